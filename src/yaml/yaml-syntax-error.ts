/**
 * Where a YAML syntax error comes from. The yaml package reports an
 * unclosed quote or bracket where it notices it, which can be far from the
 * cause: an open quote on line 1 is noticed at the end of the file, an
 * unclosed `{` on the next line that is not indented. Its concrete syntax
 * tree still holds the token that was opened, so the report can point at
 * the line where the quote or bracket opens and name the line where the
 * parser noticed it.
 */
import { CST, Parser, type LineCounter, type YAMLError } from 'yaml';

export interface SyntaxErrorPlace {
  /** 1-based line to report: where the cause begins. */
  readonly line: number;
  /** The problem in words, naming both lines when they differ. */
  readonly problem: string;
}

/** Errors the yaml package raises for an unclosed quote or flow collection. */
const UNCLOSED = /closing .?quote|end with a [\]}]/;

export function placeSyntaxError(text: string, error: YAMLError, lines: LineCounter): SyntaxErrorPlace {
  const noticedAt = error.linePos?.[0].line ?? lines.linePos(error.pos[0]).line;
  const message = error.message.split('\n')[0]!.replace(/ at line \d+, column \d+.*$/, '');
  const opened = UNCLOSED.test(message) ? unclosedBefore(text, error.pos[0]) : undefined;
  const openedAt = opened === undefined ? noticedAt : lines.linePos(opened).line;
  if (openedAt >= noticedAt) return { line: noticedAt, problem: message };
  const where = error.pos[0] >= text.trimEnd().length ? 'at the end of the file' : `on line ${noticedAt}`;
  return { line: openedAt, problem: `${message} (opened on line ${openedAt}, still open ${where})` };
}

/** Offset of the last quote or bracket opened before `offset` and never closed. */
function unclosedBefore(text: string, offset: number): number | undefined {
  let found: number | undefined;
  const consider = (token: CST.Token | undefined) => {
    const start = token === undefined ? undefined : unclosedStart(token);
    if (start !== undefined && start <= offset && (found === undefined || start > found)) found = start;
  };
  for (const token of new Parser().parse(text)) {
    if (token.type !== 'document') continue;
    consider(token.value);
    CST.visit(token, (item) => {
      consider(item.key ?? undefined);
      consider(item.value);
    });
  }
  return found;
}

function unclosedStart(token: CST.Token): number | undefined {
  switch (token.type) {
    case 'double-quoted-scalar':
      return /^"(?:[^"\\]|\\[\s\S])*"$/.test(token.source) ? undefined : token.offset;
    case 'single-quoted-scalar':
      return /^'(?:[^']|'')*'$/.test(token.source) ? undefined : token.offset;
    case 'flow-collection': {
      const closer = token.start.source === '{' ? '}' : ']';
      return token.end[0]?.source === closer ? undefined : token.start.offset;
    }
    default:
      return undefined;
  }
}

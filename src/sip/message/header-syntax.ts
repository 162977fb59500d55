/**
 * Lexical helpers shared by the header grammars of RFC 3261 section 25.1:
 * splitting lists at top-level commas and reading `;name=value` parameters,
 * both aware of quoted strings and of URIs in angle brackets.
 */

/** Splits at `separator` outside quoted strings and `<...>`. Returns undefined on an unterminated quote or bracket. */
export function splitTopLevel(text: string, separator: string): string[] | undefined {
  const parts: string[] = [];
  let start = 0;
  let quoted = false;
  let angle = false;
  for (let i = 0; i < text.length; i++) {
    const char = text[i];
    if (quoted) {
      if (char === '\\') i++;
      else if (char === '"') quoted = false;
    } else if (char === '"') quoted = true;
    else if (char === '<') angle = true;
    else if (char === '>') angle = false;
    else if (char === separator && !angle) {
      parts.push(text.slice(start, i));
      start = i + 1;
    }
  }
  if (quoted || angle) return undefined;
  parts.push(text.slice(start));
  return parts;
}

/** Parameters keyed by lower-case name; a parameter without a value maps to ''. */
export type SipParams = Readonly<Record<string, string>>;

/** RFC 3261 section 25.1 `token`. */
const TOKEN = /^[A-Za-z0-9\-.!%*_+`'~]+$/;

export function isToken(text: string): boolean {
  return TOKEN.test(text);
}

/** Reads `;a=b;c` (the leading `;` already split off); undefined when a name is not a token. */
export function parseParams(parts: readonly string[]): SipParams | undefined {
  const params: Record<string, string> = Object.create(null);
  for (const part of parts) {
    const eq = part.indexOf('=');
    const name = (eq < 0 ? part : part.slice(0, eq)).trim().toLowerCase();
    if (!isToken(name)) return undefined;
    params[name] = eq < 0 ? '' : part.slice(eq + 1).trim();
  }
  return params;
}

export function serializeParams(params: SipParams): string {
  return Object.entries(params)
    .map(([name, value]) => (value === '' ? `;${name}` : `;${name}=${value}`))
    .join('');
}

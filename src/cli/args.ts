import { parseArgs, type ParseArgsConfig } from 'node:util';
import { UsageError } from '../errors.ts';

type OptionConfig = NonNullable<ParseArgsConfig['options']>[string];

/**
 * A command's option: node's parseArgs config plus, for a string option,
 * what its value is in words ('a whole number from 4 to 24', 'a file name'),
 * for the message when the value is missing.
 */
export type CliOption = OptionConfig & { readonly expects?: string };

/** A value that starts with a dash but is a number (`--level -20`), not the next option. */
const NEGATIVE_NUMBER = /^-(\d|\.\d)/;

/**
 * `node:util` parseArgs with one-line UsageErrors naming the option
 * (`unknown option --frobnicate`, `--db needs a database file name`) instead of
 * node's own multi-line text. A value may start with a dash only when it
 * is a number or attached with `=`, so `--db --read-only` is a missing
 * value rather than a database called `--read-only`.
 */
export function parseCommandArgs<T extends Record<string, CliOption>>(args: string[], options: T) {
  const { tokens } = parseArgs({ args, options, allowPositionals: true, strict: false, tokens: true });
  // Rebuilt with every value attached (`--name=value`), which strict parsing takes as given.
  const checked: string[] = [];
  for (const token of tokens) {
    if (token.kind === 'positional') checked.push(token.value);
    else if (token.kind === 'option-terminator') checked.push('--');
    else {
      const option = Object.hasOwn(options, token.name) ? options[token.name] : undefined;
      if (option === undefined) throw new UsageError(`unknown option ${token.rawName}`);
      if (option.type === 'boolean') {
        if (token.value !== undefined) throw new UsageError(`${token.rawName} takes no value`);
        checked.push(`--${token.name}`);
      } else {
        const { value } = token;
        if (value === undefined || (!token.inlineValue && value.startsWith('-') && !NEGATIVE_NUMBER.test(value))) {
          throw new UsageError(`${token.rawName} needs ${option.expects ?? 'a value'}`);
        }
        checked.push(`--${token.name}=${value}`);
      }
    }
  }
  return parseArgs({ args: checked, options, allowPositionals: true, strict: true });
}

/** A numeric option: undefined when absent, a UsageError when not a number. */
export function numberOption(name: string, value: string | undefined): number | undefined {
  if (value === undefined) return undefined;
  const number = Number(value);
  if (value.trim() === '' || !Number.isFinite(number)) {
    throw new UsageError(`--${name} expects a number, got '${value}'`);
  }
  return number;
}

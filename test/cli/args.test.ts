import { describe, expect, it } from 'vitest';
import { parseCommandArgs } from '../../src/cli/args.ts';
import { main } from '../../src/cli/main.ts';
import { UsageError } from '../../src/errors.ts';
import { captureIo } from './capture-io.ts';

const OPTIONS = {
  db: { type: 'string', expects: 'a database file name' },
  level: { type: 'string' },
  output: { type: 'string', short: 'o', expects: 'a WAV file name' },
  'read-only': { type: 'boolean' },
} as const;

function usageError(args: string[]): UsageError {
  try {
    parseCommandArgs(args, OPTIONS);
  } catch (error) {
    return error as UsageError;
  }
  throw new Error(`no error for ${args.join(' ')}`);
}

describe('parseCommandArgs', () => {
  it('names an unknown option', () => {
    for (const [args, message] of [
      [['--frobnicate'], 'unknown option --frobnicate'],
      [['-x'], 'unknown option -x'],
      [['--constructor'], 'unknown option --constructor'],
    ] as const) {
      const error = usageError([...args]);
      expect(error).toBeInstanceOf(UsageError);
      expect(error.code).toBe('E_USAGE');
      expect(error.message).toBe(message);
    }
  });

  it('names an option whose value is missing and says what it expects', () => {
    expect(usageError(['--db']).message).toBe('--db needs a database file name');
    expect(usageError(['--db', '--read-only']).message).toBe('--db needs a database file name');
    expect(usageError(['-o']).message).toBe('-o needs a WAV file name');
    expect(usageError(['--level']).message).toBe('--level needs a value');
  });

  it('refuses a value for a switch', () => {
    expect(usageError(['--read-only=no']).message).toBe('--read-only takes no value');
  });

  it('takes negative numbers, values attached with =, and positionals after --', () => {
    const { values, positionals } = parseCommandArgs(
      ['a', '--level', '-20', '--db=-odd.db', '-o', 'out.wav', '--read-only', '--', '--not-an-option'],
      OPTIONS,
    );
    expect(values).toEqual({ level: '-20', db: '-odd.db', output: 'out.wav', 'read-only': true });
    expect(positionals).toEqual(['a', '--not-an-option']);
  });
});

describe('dialin-sim <command> with a bad option', () => {
  const COMMANDS = ['run', 'test', 'paths', 'decode', 'synth', 'serve', 'pin', 'policy', 'outbox', 'graph'];

  it('prints one line naming an unknown option and exits 2, for every command', async () => {
    for (const name of COMMANDS) {
      const { io, out, err } = captureIo();
      expect(await main([name, '--frobnicate'], io), name).toBe(2);
      expect(out).toEqual([]);
      expect(err).toEqual([`dialin-sim ${name}: unknown option --frobnicate`]);
    }
  });

  it('prints one line naming an option without its value and exits 2, for every command', async () => {
    for (const [argv, message] of [
      [['decode', 'a.wav', '--channel'], 'dialin-sim decode: --channel needs a channel number, from 1'],
      [['synth', '1', '-o'], 'dialin-sim synth: -o needs a WAV file name'],
      [['pin', 'status', 'amos', '--db'], 'dialin-sim pin: --db needs a database file name or postgres:// URL'],
      [['outbox', '--user'], 'dialin-sim outbox: --user needs a user id'],
      [['policy', 'set', '--min-length'], 'dialin-sim policy: --min-length needs a whole number from 4 to 24'],
    ] as const) {
      const { io, out, err } = captureIo();
      expect(await main([...argv], io), argv.join(' ')).toBe(2);
      expect(out).toEqual([]);
      expect(err).toEqual([message]);
    }
  });
});

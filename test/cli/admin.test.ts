import { spawnSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { CliInput } from '../../src/cli/command.ts';
import { main } from '../../src/cli/main.ts';
import { ADMIN_LOCKOUT } from '../../src/directory/access/admin-accounts.ts';
import { PinDirectory } from '../../src/directory/pin-directory.ts';
import { captureIo } from './capture-io.ts';
import { cliFixture } from './directory-fixture.ts';

const BIN = fileURLToPath(new URL('../../bin/dialin-sim.js', import.meta.url));
const PASSWORD = 'a long enough password';

let fixture: ReturnType<typeof cliFixture>;
beforeEach(async () => {
  fixture = cliFixture();
  expect((await fixture.run('pin', 'status', 'amos', '--config', fixture.config)).code).toBe(0);
});
afterEach(() => fixture.cleanup());

/** Runs a command with standard input: piped text, or a terminal. */
async function runWithInput(input: CliInput, ...args: string[]) {
  const { io, out, err } = captureIo();
  const code = await main([...args, '--db', fixture.db], { ...io, input });
  return { code, out, err };
}
const piped = (text: string): CliInput => ({ isTTY: false, readAll: async () => text });
const terminal = (text = ''): CliInput => ({ isTTY: true, readAll: async () => text });

async function signIn(name: string, password: string) {
  const directory = await PinDirectory.open(fixture.db);
  try {
    return await directory.accounts.verifySignIn(name, password);
  } finally {
    await directory.close();
  }
}

describe('dialin-sim admin', () => {
  it('adds an account with the password piped in, printing no password', async () => {
    const { code, out, err } = await runWithInput(piped(`${PASSWORD}\n`), 'admin', 'add', 'alice', '--role', 'admin');
    expect({ code, err }).toEqual({ code: 0, err: [] });
    expect(out).toEqual(['Admin alice added (role admin)']);
    expect(await signIn('alice', PASSWORD)).toEqual({ outcome: 'ok', name: 'alice', role: 'admin' });
  });

  it('generates a password from a terminal and shows it once', async () => {
    const { code, out } = await runWithInput(terminal(), 'admin', 'add', 'bob', '--role', 'user-admin');
    expect(code).toBe(0);
    const match = /^Admin bob added \(role user-admin\); password: ([A-Za-z0-9_-]{24}) \(shown once\)$/.exec(out[0]!);
    expect(match).not.toBeNull();
    expect(await signIn('bob', match![1]!)).toMatchObject({ outcome: 'ok', role: 'user-admin' });
    expect((await fixture.run('admin', 'list')).out.join('\n')).not.toContain(match![1]!);
  });

  it('reads the password from a terminal with --password-stdin', async () => {
    const { code } = await runWithInput(terminal(`${PASSWORD}\r\n`), 'admin', 'add', 'carol', '--role', 'admin', '--password-stdin');
    expect(code).toBe(0);
    expect(await signIn('carol', PASSWORD)).toMatchObject({ outcome: 'ok' });
  });

  it('refuses an empty or short password and adds nothing', async () => {
    const empty = await runWithInput(piped(''), 'admin', 'add', 'alice', '--role', 'admin');
    expect(empty).toEqual({ code: 2, out: [], err: ['dialin-sim admin: no password on standard input (its first line is empty)'] });
    const short = await runWithInput(piped('short\n'), 'admin', 'add', 'alice', '--role', 'admin');
    expect(short).toEqual({
      code: 1,
      out: [],
      err: ["dialin-sim admin: the password for admin 'alice' must have 15 to 256 characters, got 5"],
    });
    expect((await fixture.run('admin', 'list')).out).toEqual(['No admin accounts.']);
  });

  it('lists accounts with role and lock, and no hashes', async () => {
    await runWithInput(piped(PASSWORD), 'admin', 'add', 'alice', '--role', 'admin');
    await runWithInput(piped(PASSWORD), 'admin', 'add', 'bob', '--role', 'user-admin');
    const { code, out } = await fixture.run('admin', 'list');
    expect(code).toBe(0);
    expect(out).toHaveLength(2);
    expect(out[0]).toMatch(/^alice {12}admin {6}added \d{4}-\d\d-\d\dT[0-9:.]+Z {2}not locked$/);
    expect(out[1]).toMatch(/^bob {14}user-admin added \S+Z {2}not locked$/);
    expect(out.join('\n')).not.toMatch(/scrypt/);
  });

  it('shows a lock after failed sign-ins and unlocks it', async () => {
    await runWithInput(piped(PASSWORD), 'admin', 'add', 'alice', '--role', 'admin');
    for (let i = 0; i < ADMIN_LOCKOUT.maxFailures; i++) await signIn('alice', `wrong password number ${i}`);
    expect((await fixture.run('admin', 'list')).out[0]).toMatch(/ {2}locked until \S+Z$/);
    expect(await signIn('alice', PASSWORD)).toMatchObject({ outcome: 'locked' });
    expect((await fixture.run('admin', 'unlock', 'alice')).out).toEqual(['Admin alice unlocked; failed sign-ins cleared']);
    expect(await signIn('alice', PASSWORD)).toMatchObject({ outcome: 'ok' });
    expect((await fixture.run('admin', 'unlock', 'alice')).out).toEqual(['Admin alice was not locked; failed sign-ins cleared']);
  });

  it('removes an account, and names an unknown one', async () => {
    await runWithInput(piped(PASSWORD), 'admin', 'add', 'alice', '--role', 'admin');
    expect((await fixture.run('admin', 'remove', 'alice')).out).toEqual(['Admin alice removed; their web sessions have ended']);
    expect(await signIn('alice', PASSWORD)).toMatchObject({ outcome: 'rejected' });
    for (const action of ['remove', 'unlock']) {
      const { code, err } = await fixture.run('admin', action, 'alice');
      expect(code).toBe(1);
      expect(err).toEqual(["dialin-sim admin: no admin account 'alice' (see dialin-sim admin list)"]);
    }
  });

  it('refuses a name taken', async () => {
    await runWithInput(piped(PASSWORD), 'admin', 'add', 'alice', '--role', 'admin');
    const again = await runWithInput(piped(PASSWORD), 'admin', 'add', 'alice', '--role', 'user-admin');
    expect(again).toEqual({ code: 1, out: [], err: ["dialin-sim admin: admin account 'alice' exists already"] });
  });

  it('records who added and removed an account in the audit log', async () => {
    await runWithInput(piped(PASSWORD), 'admin', 'add', 'alice', '--role', 'admin');
    await fixture.run('admin', 'remove', 'alice');
    const { out } = await fixture.run('pin', 'audit');
    expect(out.slice(-2).map((line) => line.replace(/^\S+ {2}/, ''))).toEqual([
      'admin:alice  account-added by cli, role admin; given password',
      'admin:alice  account-removed by cli, role admin',
    ]);
  });

  it('refuses malformed command lines with exit code 2', async () => {
    const cases: [string[], string][] = [
      [[], 'dialin-sim admin: missing action (add, remove, list, unlock)'],
      [['grant', 'alice'], "dialin-sim admin: unknown action 'grant' (expected add, remove, list, unlock)"],
      [['add'], 'dialin-sim admin: add needs a NAME'],
      [['add', 'alice'], 'dialin-sim admin: add needs --role (user-admin or admin)'],
      [['add', 'alice', '--role', 'root'], "dialin-sim admin: --role must be user-admin or admin, got 'root'"],
      [['add', 'alice', '--role'], 'dialin-sim admin: --role needs user-admin or admin'],
      [['remove', 'alice', '--role', 'admin'], "dialin-sim admin: --role only goes with 'admin add'"],
      [['unlock', 'alice', '--password-stdin'], "dialin-sim admin: --password-stdin only goes with 'admin add'"],
      [['list', 'alice'], "dialin-sim admin: list: unexpected argument 'alice'"],
      [['remove', 'alice', 'bob'], "dialin-sim admin: remove: unexpected argument 'bob'"],
    ];
    for (const [args, message] of cases) {
      const { code, out, err } = await fixture.run('admin', ...args);
      expect(code, args.join(' ')).toBe(2);
      expect(out).toEqual([]);
      expect(err).toEqual([message]);
    }
  });

  it('needs an existing database unless --config is given', async () => {
    const { io, err } = captureIo();
    expect(await main(['admin', 'list', '--db', `${fixture.dir}/missing.db`], io)).toBe(1);
    expect(err).toEqual([
      `dialin-sim admin: no directory at ${fixture.dir}/missing.db (create one with --config FILE, or run dialin-sim serve)`,
    ]);
  });

  it('reads the password from a real pipe through the installed command', () => {
    const run = spawnSync(process.execPath, [BIN, 'admin', 'add', 'dora', '--role', 'user-admin', '--db', fixture.db], {
      input: `${PASSWORD}\n`,
      encoding: 'utf8',
    });
    expect(run.stderr).toBe('');
    expect(run.stdout).toBe('Admin dora added (role user-admin)\n');
    expect(run.status).toBe(0);
  });
});

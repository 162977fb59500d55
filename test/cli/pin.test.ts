import { spawnSync } from 'node:child_process';
import { existsSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { main } from '../../src/cli/main.ts';
import { manualClock } from '../../src/directory/clock.ts';
import { PinDirectory } from '../../src/directory/pin-directory.ts';
import { captureIo } from './capture-io.ts';
import { CLI_DEPLOYMENT, cliFixture } from './directory-fixture.ts';

const BIN = fileURLToPath(new URL('../../bin/dialin-sim.js', import.meta.url));

let fixture: ReturnType<typeof cliFixture>;
beforeEach(async () => {
  fixture = cliFixture();
  // Every test starts from a directory loaded from the deployment file.
  const { code } = await fixture.run('pin', 'status', 'amos', '--config', fixture.config);
  expect(code).toBe(0);
});
afterEach(() => fixture.cleanup());

describe('dialin-sim pin', () => {
  it('sets a generated PIN, shows it once and mails it', async () => {
    const { code, out, err } = await fixture.run('pin', 'set', 'amos');
    expect(code).toBe(0);
    expect(err).toEqual([]);
    expect(out).toHaveLength(1);
    const match = /^New PIN for amos: ([0-9]{5}) \(shown once; it has been mailed to amos@contoso\.com\)$/.exec(out[0]!);
    expect(match).not.toBeNull();
    const pin = match![1]!;
    const status = await fixture.run('pin', 'status', 'amos');
    expect(status.out.join('\n')).toContain('PIN:       ***** set ');
    expect(status.out.join('\n')).not.toContain(pin);
    const outbox = await fixture.run('outbox');
    expect(outbox.out).toContain(`  Your new PIN is: ${pin}`);
    const directory = await PinDirectory.open(fixture.db);
    expect(await directory.verifyLeaderPin('123456', pin)).toMatchObject({ outcome: 'accepted' });
    await directory.close();
  });

  it('sets a given PIN without printing it', async () => {
    const { code, out } = await fixture.run('pin', 'set', 'amos', '--pin', '80317');
    expect(code).toBe(0);
    expect(out).toEqual(['PIN for amos set (*****; it has been mailed to amos@contoso.com)']);
  });

  it('refuses a PIN that breaks the policy, naming the rule and not the PIN', async () => {
    const cases: [string, string][] = [
      ['12345', 'the PIN contains 4 or more consecutive ascending or descending digits (rule consecutive-digits)'],
      ['11111', 'the PIN is one digit repeated (rule repeated-digit)'],
      ['1357', 'the PIN must have at least 5 digits (rule min-length)'],
      ['12*45', 'a PIN may contain only the digits 0-9 (rule digits-only)'],
      ['', 'the PIN must have at least 5 digits (rule min-length)'],
      ['8039175', "the PIN matches the user's phone number (rule phone-number)"],
      ['84071', "the PIN matches the user's extension (rule extension)"],
      ['2468024680246802468024680', 'a PIN may have at most 24 digits (rule max-length)'],
    ];
    for (const [pin, reason] of cases) {
      const { code, out, err } = await fixture.run('pin', 'set', 'amos', '--pin', pin);
      expect(code).toBe(1);
      expect(out).toEqual([]);
      expect(err).toEqual([`dialin-sim pin: PIN for 'amos' rejected: ${reason}`]);
    }
    expect((await fixture.run('pin', 'status', 'amos')).out[1]).toBe('  PIN:       not set');
  });

  it('refuses a PIN from the recent history', async () => {
    await fixture.run('pin', 'set', 'amos', '--pin', '80317');
    const { code, err } = await fixture.run('pin', 'set', 'amos', '--pin', '80317');
    expect(code).toBe(1);
    expect(err).toEqual(["dialin-sim pin: PIN for 'amos' rejected: the PIN must not be one of the user's last 5 PINs (rule history)"]);
  });

  it('resets a PIN that must be changed at the next dial-in', async () => {
    const { code, out } = await fixture.run('pin', 'reset', 'amos', '--expired');
    expect(code).toBe(0);
    expect(out[0]).toMatch(
      /^New PIN for amos: [0-9]{5} \(shown once; it has been mailed to amos@contoso\.com; it must be changed at the next dial-in\)$/,
    );
    const status = await fixture.run('pin', 'status', 'amos');
    expect(status.out[1]).toMatch(/^ {2}PIN: {7}\*{5} set \S+; never expires; must be changed at the next dial-in$/);
  });

  it('requires a change at the next dial-in after a reset by default, and not with --not-expired', async () => {
    const plain = await fixture.run('pin', 'reset', 'amos');
    expect(plain.out[0]).toMatch(/; it must be changed at the next dial-in\)$/);
    const kept = await fixture.run('pin', 'reset', 'amos', '--not-expired');
    expect(kept.code).toBe(0);
    expect(kept.out[0]).toMatch(/^New PIN for amos: [0-9]{5} \(shown once; it has been mailed to amos@contoso\.com\)$/);
    expect((await fixture.run('pin', 'status', 'amos')).out[1]).toMatch(/; never expires$/);
    const both = await fixture.run('pin', 'reset', 'amos', '--expired', '--not-expired');
    expect(both.code).toBe(2);
    expect(both.err).toEqual(['dialin-sim pin: --expired and --not-expired contradict each other']);
  });

  it("shows when a PIN's lifetime ends, and that it has once it is over", async () => {
    expect((await fixture.run('policy', 'set', '--lifetime-days', '30')).code).toBe(0);
    await fixture.run('pin', 'set', 'amos', '--pin', '80317');
    const fresh = await fixture.run('pin', 'status', 'amos');
    expect(fresh.out[1]).toMatch(/^ {2}PIN: {7}\*{5} set \S+; lifetime ends \S+Z$/);

    const directory = await PinDirectory.open(fixture.db, { clock: manualClock(Date.now() - 40 * 86_400_000) });
    await directory.setPin('amos', '70425');
    await directory.close();
    const old = await fixture.run('pin', 'status', 'amos');
    expect(old.out[1]).toMatch(/^ {2}PIN: {7}\*{5} set \S+; lifetime ends \S+Z \(expired\)$/);
  });

  it('shows status lines for a PIN locked after failures', async () => {
    await fixture.run('pin', 'set', 'amos', '--pin', '80317');
    const directory = await PinDirectory.open(fixture.db);
    await directory.setPolicy({ maxLogonAttempts: { local: 2, global: 10 } });
    await directory.verifyLeaderPin('123456', '55055');
    await directory.verifyLeaderPin('123456', '55055');
    await directory.close();
    const { code, out } = await fixture.run('pin', 'status', 'amos');
    expect(code).toBe(0);
    expect(out[0]).toBe('amos (Amos Marble)');
    expect(out[2]).toMatch(/^ {2}Lock: {6}locked until \d{4}-\d\d-\d\dT[0-9:.]+Z \(too many failures in 30 minutes\)$/);
    expect(out[3]).toBe('  Failures:  2 in the last 30 minutes (limit 2), 2 since the last logon (limit 10)');
  });

  it('locks and unlocks, and refuses to set a locked PIN', async () => {
    expect((await fixture.run('pin', 'lock', 'amos')).out).toEqual(["PIN of amos locked until 'dialin-sim pin unlock amos'"]);
    expect((await fixture.run('pin', 'status', 'amos')).out[2]).toBe('  Lock:      locked by an administrator until unlocked');
    for (const args of [['set', 'amos'], ['reset', 'amos']]) {
      const { code, err } = await fixture.run('pin', ...args);
      expect(code).toBe(1);
      expect(err).toEqual([
        "dialin-sim pin: the PIN of 'amos' is locked (by an administrator); unlock it first with 'dialin-sim pin unlock amos'",
      ]);
    }
    expect((await fixture.run('pin', 'unlock', 'amos')).out).toEqual(['PIN of amos unlocked; failure counts cleared']);
    expect((await fixture.run('pin', 'unlock', 'amos')).out).toEqual(['PIN of amos was not locked; failure counts cleared']);
    expect((await fixture.run('pin', 'set', 'amos')).code).toBe(0);
  });

  it('removes a PIN, and says so when there is none', async () => {
    await fixture.run('pin', 'set', 'amos');
    expect((await fixture.run('pin', 'remove', 'amos')).out).toEqual(['PIN of amos removed']);
    const again = await fixture.run('pin', 'remove', 'amos');
    expect(again.code).toBe(1);
    expect(again.err).toEqual(["dialin-sim pin: 'amos' has no PIN to remove"]);
  });

  it('lists the audit log with who acted, without PINs', async () => {
    const set = await fixture.run('pin', 'set', 'amos');
    const pin = /: ([0-9]+) \(/.exec(set.out[0]!)![1]!;
    await fixture.run('pin', 'lock', 'amos');
    const { code, out } = await fixture.run('pin', 'audit', 'amos');
    expect(code).toBe(0);
    expect(out).toHaveLength(2);
    expect(out[0]).toMatch(/^\S+Z {2}amos {9}set {6}by cli, generated; mailed to amos@contoso\.com$/);
    expect(out[1]).toMatch(/locked {3}by cli, until unlocked$/);
    expect(out.join('\n')).not.toContain(pin);
    expect((await fixture.run('pin', 'audit', 'bela')).out).toEqual(['No PIN events.']);
  });

  it('names an unknown user', async () => {
    for (const action of ['set', 'reset', 'unlock', 'lock', 'remove', 'status', 'audit']) {
      const { code, err } = await fixture.run('pin', action, 'zed');
      expect(code).toBe(1);
      expect(err).toEqual(["dialin-sim pin: no user 'zed' in the directory"]);
    }
  });

  it('refuses malformed command lines with exit code 2', async () => {
    const cases: [string[], string][] = [
      [[], 'dialin-sim pin: missing action (set, reset, unlock, lock, remove, status, audit)'],
      [['frobnicate', 'amos'], "dialin-sim pin: unknown action 'frobnicate' (expected set, reset, unlock, lock, remove, status, audit)"],
      [['set'], 'dialin-sim pin: set needs a USER'],
      [['set', 'amos', 'bela'], "dialin-sim pin: set: unexpected argument 'bela'"],
      [['reset', 'amos', '--pin', '80317'], "dialin-sim pin: --pin only goes with 'pin set'"],
      [['set', 'amos', '--expired'], "dialin-sim pin: --expired only goes with 'pin reset'"],
      [['lock', 'amos', '--not-expired'], "dialin-sim pin: --not-expired only goes with 'pin reset'"],
    ];
    for (const [args, message] of cases) {
      const { code, err } = await fixture.run('pin', ...args);
      expect(code).toBe(2);
      expect(err).toEqual([message]);
    }
    const unknownOption = await fixture.run('pin', 'set', 'amos', '--colour', 'blue');
    expect(unknownOption.code).toBe(2);
    expect(unknownOption.err).toEqual(['dialin-sim pin: unknown option --colour']);
    const noPin = await fixture.run('pin', 'set', 'amos', '--pin');
    expect(noPin.code).toBe(2);
    expect(noPin.err).toEqual(['dialin-sim pin: --pin needs the digits of the PIN']);
  });

  it('reports a deployment file problem with its line, and creates no database', async () => {
    const config = join(fixture.dir, 'bad.yaml');
    writeFileSync(config, 'users:\n  - { id: amos, name: Amos, email: amos@contoso.com }\n  - id: bela\n    name: Bela\n');
    const db = join(fixture.dir, 'fresh.db');
    const { io, err } = captureIo();
    expect(await main(['pin', 'status', 'amos', '--config', config, '--db', db], io)).toBe(1);
    expect(err).toEqual([`dialin-sim pin: ${config}:3: users[1].email is missing`]);
    expect(existsSync(db)).toBe(false);
  });

  it('reports a corrupted database file by name', async () => {
    writeFileSync(fixture.db, 'garbage '.repeat(1000));
    const { code, err } = await fixture.run('pin', 'status', 'amos');
    expect(code).toBe(1);
    expect(err).toHaveLength(1);
    expect(err[0]).toMatch(new RegExp(`^dialin-sim pin: ${fixture.db.replace(/[.]/g, '\\.')} is not a valid dialin-sim database`));
  });

  it('reads with --read-only and refuses changes with a clear message', async () => {
    await fixture.run('pin', 'set', 'amos', '--pin', '80317');
    expect((await fixture.run('pin', 'status', 'amos', '--read-only')).code).toBe(0);
    const { code, err } = await fixture.run('pin', 'lock', 'amos', '--read-only');
    expect(code).toBe(1);
    expect(err).toEqual([`dialin-sim pin: ${fixture.db} is read-only: cannot lock the PIN`]);
    expect((await fixture.run('pin', 'status', 'amos')).out[2]).toBe('  Lock:      not locked');
  });

  it('says there is no directory at a mistyped --db and creates none', async () => {
    const typo = join(fixture.dir, 'dialn.db');
    const commands = [
      ['pin', 'status', 'amos'], ['pin', 'audit'], ['pin', 'unlock', 'amos'], ['pin', 'lock', 'amos'],
      ['pin', 'reset', 'amos'], ['pin', 'remove', 'amos'], ['pin', 'set', 'amos'], ['pin', 'status', 'amos', '--read-only'],
      ['pin', 'status', 'amos', '--read-only', '--config', fixture.config],
      ['outbox'], ['outbox', '--clear'], ['policy', 'show'], ['policy', 'set', '--min-length', '6'],
    ];
    for (const argv of commands) {
      const { io, out, err } = captureIo();
      expect(await main([...argv, '--db', typo], io), argv.join(' ')).toBe(1);
      expect(out).toEqual([]);
      expect(err).toEqual([`dialin-sim ${argv[0]}: no directory at ${typo} (create one with --config FILE, or run dialin-sim serve)`]);
      expect(existsSync(typo), argv.join(' ')).toBe(false);
    }
    const created = captureIo();
    expect(await main(['pin', 'set', 'amos', '--config', fixture.config, '--db', typo], created.io)).toBe(0);
    expect(existsSync(typo)).toBe(true);
  });

  it('reads with --read-only and --config, whether or not the file matches the database', async () => {
    await fixture.run('pin', 'set', 'amos', '--pin', '80317');
    const status = await fixture.run('pin', 'status', 'amos');
    for (const action of [['status', 'amos'], ['audit', 'amos']]) {
      const { code, out, err } = await fixture.run('pin', ...action, '--read-only', '--config', fixture.config);
      expect(err).toEqual([]);
      expect(code).toBe(0);
      if (action[0] === 'status') expect(out).toEqual(status.out);
    }
    expect((await fixture.run('outbox', '--read-only', '--config', fixture.config)).code).toBe(0);
    expect((await fixture.run('policy', 'show', '--read-only', '--config', fixture.config)).code).toBe(0);

    // A deployment file with a change the read-only database does not have.
    const changed = join(fixture.dir, 'changed.yaml');
    writeFileSync(changed, CLI_DEPLOYMENT.replace('Amos Marble', 'Amos Marble-Okafor'));
    const read = await fixture.run('pin', 'status', 'amos', '--read-only', '--config', changed);
    expect(read.err).toEqual([]);
    expect(read.out).toEqual(status.out);
  });

  it('refuses a change with --read-only and --config, naming what stops it', async () => {
    const same = await fixture.run('pin', 'lock', 'amos', '--read-only', '--config', fixture.config);
    expect(same.code).toBe(1);
    expect(same.err).toEqual([`dialin-sim pin: ${fixture.db} is read-only: cannot lock the PIN`]);
    const changed = join(fixture.dir, 'changed.yaml');
    writeFileSync(changed, CLI_DEPLOYMENT.replace('bela@contoso.com', 'bela.okafor@contoso.com'));
    const differs = await fixture.run('pin', 'lock', 'amos', '--read-only', '--config', changed);
    expect(differs.code).toBe(1);
    expect(differs.err).toEqual([
      `dialin-sim pin: ${fixture.db} is read-only: cannot save what ${changed} adds or changes (users, conferences or settings)`,
    ]);
    expect((await fixture.run('pin', 'status', 'amos')).out[2]).toBe('  Lock:      not locked');
  });

  it('uses dialin.db in the working directory by default (as a real process)', () => {
    const result = spawnSync(process.execPath, [BIN, 'pin', 'set', 'bela', '--config', fixture.config], {
      cwd: fixture.dir,
      encoding: 'utf8',
    });
    expect(result.stderr).toBe('');
    expect(result.status).toBe(0);
    expect(result.stdout).toMatch(/^New PIN for bela: [0-9]{5} \(shown once; it has been mailed to bela@contoso\.com\)\n$/);
    const failed = spawnSync(process.execPath, [BIN, 'pin', 'status', 'nobody'], { cwd: fixture.dir, encoding: 'utf8' });
    expect(failed.status).toBe(1);
    expect(failed.stderr).toBe("dialin-sim pin: no user 'nobody' in the directory\n");
  });
});

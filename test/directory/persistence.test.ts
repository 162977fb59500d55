import { spawn } from 'node:child_process';
import { chmodSync, existsSync, readFileSync, writeFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import Database from 'better-sqlite3';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { manualClock } from '../../src/directory/clock.ts';
import { SCHEMA_VERSION } from '../../src/directory/sql/database.ts';
import { DirectoryError } from '../../src/directory/errors.ts';
import { PinDirectory } from '../../src/directory/pin-directory.ts';
import { FAST_COST, HOUR_MS, START_MS, makeDirectory, tempDir } from './helpers.ts';
import { oldSchemaFile, versionWithTable } from './old-schema.ts';

const FIXTURE = fileURLToPath(new URL('./fixtures/pin-attempts.ts', import.meta.url));
const REPO = fileURLToPath(new URL('../../', import.meta.url));

let temp: ReturnType<typeof tempDir>;
beforeEach(() => {
  temp = tempDir();
});
afterEach(() => temp.cleanup());

async function openError(action: () => Promise<unknown>): Promise<DirectoryError> {
  try {
    await action();
  } catch (error) {
    expect(error).toBeInstanceOf(DirectoryError);
    return error as DirectoryError;
  }
  throw new Error('expected a DirectoryError');
}

/** Runs the fixture in a child process; `waitFor` resolves once its output matches. */
function child(args: string[]) {
  const run = spawn(process.execPath, ['--import', 'tsx', FIXTURE, ...args], { cwd: REPO, stdio: ['ignore', 'pipe', 'pipe'] });
  let stdout = '';
  let stderr = '';
  let exited = false;
  const listeners = new Set<() => void>();
  run.stdout.on('data', (chunk: Buffer) => {
    stdout += chunk.toString();
    for (const listener of listeners) listener();
  });
  run.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
  const exit = new Promise<void>((resolve) =>
    run.on('exit', () => {
      exited = true;
      for (const listener of listeners) listener();
      resolve();
    }),
  );
  const waitFor = (pattern: RegExp) =>
    new Promise<string>((resolve, reject) => {
      const check = () => {
        const match = pattern.exec(stdout);
        if (match) resolve(match[0]);
        else if (exited) reject(new Error(`child exited before printing ${pattern}: ${stderr}`));
      };
      listeners.add(check);
      check();
    });
  return { process: run, waitFor, exit };
}

describe('the directory file', () => {
  it('keeps a lock, failures and PINs across close and reopen', async () => {
    const file = temp.file('dialin.db');
    const clock = manualClock(START_MS);
    const first = await makeDirectory({ file, clock });
    await first.directory.setPolicy({ maxLogonAttempts: { local: 3, global: 100 } });
    for (let i = 0; i < 3; i++) await first.directory.verifyLeaderPin('123456', '55055');
    await first.directory.close();

    const second = await PinDirectory.open(file, { clock, hashCost: FAST_COST });
    expect(await second.getStatus('amos')).toMatchObject({ lockedOut: true, lockKind: 'local', failures: 3, globalFailures: 3 });
    expect(await second.verifyLeaderPin('123456', '24680')).toEqual({ outcome: 'locked', userId: 'amos' });
    clock.advance(HOUR_MS);
    expect(await second.verifyLeaderPin('123456', '24680')).toMatchObject({ outcome: 'accepted' });
    await second.close();
  });

  it('sees the lock a killed process recorded', async () => {
    const file = temp.file('dialin.db');
    const setup = await makeDirectory({ file });
    await setup.directory.setPolicy({ maxLogonAttempts: { local: 4, global: 100 } });
    await setup.directory.close();

    const run = child([file, String(START_MS), 'until-locked']);
    await run.waitFor(/LOCKED/);
    run.process.kill('SIGKILL');
    await run.exit;
    expect(run.process.signalCode).toBe('SIGKILL');
    // The killed process never checkpointed: its writes are in the WAL.
    expect(existsSync(`${file}-wal`)).toBe(true);

    const after = await PinDirectory.open(file, { clock: manualClock(START_MS + 1000), hashCost: FAST_COST });
    expect(await after.getStatus('amos')).toMatchObject({ lockedOut: true, lockKind: 'local', failures: 4, globalFailures: 4 });
    expect(await after.verifyLeaderPin('123456', '24680')).toEqual({ outcome: 'locked', userId: 'amos' });
    await after.close();
  }, 20_000);

  it('counts failures exactly across two processes attacking at once', async () => {
    const file = temp.file('dialin.db');
    const setup = await makeDirectory({ file });
    await setup.directory.setPolicy({ maxLogonAttempts: { local: 999, global: 99_999 } });
    await setup.directory.close();

    const runs = [0, 1].map(() => child([file, String(START_MS), 'parallel', '40']));
    await Promise.all(runs.map((run) => run.waitFor(/READY/)));
    writeFileSync(`${file}.go`, '');
    expect(await Promise.all(runs.map((run) => run.waitFor(/DONE \d+/)))).toEqual(['DONE 40', 'DONE 40']);
    await Promise.all(runs.map((run) => run.exit));

    const after = await PinDirectory.open(file, { clock: manualClock(START_MS), hashCost: FAST_COST });
    expect(await after.getStatus('amos')).toMatchObject({ failures: 80, globalFailures: 80 });
    expect((await after.listAudit({ userId: 'amos' })).filter((entry) => entry.event === 'failure')).toHaveLength(80);
    await after.close();
  }, 30_000);

  it('sets a first PIN once when two processes set it at the same moment, and that PIN is the one stored', async () => {
    const file = temp.file('dialin.db');
    const setup = await makeDirectory({ file });
    await setup.directory.removePin('amos');
    const setsBefore = (await setup.directory.listAudit({ userId: 'amos' })).filter((entry) => entry.event === 'set').length;
    await setup.directory.close();

    const runs = [0, 1].map(() => child([file, String(START_MS), 'first-pin']));
    await Promise.all(runs.map((run) => run.waitFor(/READY/)));
    writeFileSync(`${file}.go`, '');
    const said = await Promise.all(runs.map((run) => run.waitFor(/SET \d+|ALREADY/)));
    await Promise.all(runs.map((run) => run.exit));
    expect(said.map((line) => line.split(' ')[0]).sort()).toEqual(['ALREADY', 'SET']);

    const after = await PinDirectory.open(file, { clock: manualClock(START_MS), hashCost: FAST_COST });
    const pin = said.find((line) => line.startsWith('SET '))!.slice(4);
    expect(await after.verifyLeaderPin('123456', pin)).toMatchObject({ outcome: 'accepted' });
    expect((await after.listAudit({ userId: 'amos' })).filter((entry) => entry.event === 'set')).toHaveLength(setsBefore + 1);
    await after.close();
  }, 30_000);

  it('counts failures exactly across two connections in one process', async () => {
    const file = temp.file('dialin.db');
    const clock = manualClock(START_MS);
    const a = await makeDirectory({ file, clock });
    await a.directory.setPolicy({ maxLogonAttempts: { local: 999, global: 99_999 } });
    const b = await PinDirectory.open(file, { clock, hashCost: FAST_COST });
    const attempts = Array.from({ length: 50 }, (_, index) => (index % 2 ? a.directory : b).verifyLeaderPin('123456', '55055'));
    await Promise.all(attempts);
    expect((await a.directory.getStatus('amos')).globalFailures).toBe(50);
    expect((await b.getStatus('amos')).failures).toBe(50);
    await a.directory.close();
    await b.close();
  });

  it('upgrades a PIN hash made with a lower scrypt cost at the next logon', async () => {
    const file = temp.file('dialin.db');
    const made = await makeDirectory({ file });
    await made.directory.close();
    const hashOf = () => {
      const db = new Database(file, { readonly: true });
      const row = db.prepare("SELECT hash FROM pins WHERE user_id = 'amos'").get() as { hash: string };
      db.close();
      return row.hash;
    };
    expect(hashOf()).toMatch(/^scrypt\$1024\$/);
    const stronger = await PinDirectory.open(file, { clock: manualClock(START_MS) });
    expect(await stronger.verifyLeaderPin('123456', '24680')).toMatchObject({ outcome: 'accepted' });
    expect(await stronger.verifyLeaderPin('123456', '24680')).toMatchObject({ outcome: 'accepted' });
    await stronger.close();
    expect(hashOf()).toMatch(/^scrypt\$16384\$8\$1\$/);
  });

  it('refuses a file that is not a database with E_DB_CORRUPT naming it, and leaves it alone', async () => {
    const file = temp.file('garbage.db');
    const garbage = Buffer.from('this is certainly not an SQLite database\n'.repeat(200));
    writeFileSync(file, garbage);
    const error = await openError(() => PinDirectory.open(file));
    expect(error.code).toBe('E_DB_CORRUPT');
    expect(error.message).toContain(file);
    expect(error.message).toContain('is not a valid dialin-sim database');
    expect(readFileSync(file).equals(garbage)).toBe(true);
  });

  it('refuses a database whose pages are damaged with E_DB_CORRUPT', async () => {
    const file = temp.file('damaged.db');
    const made = await makeDirectory({ file });
    await made.directory.close();
    const bytes = readFileSync(file);
    // Keep the 100-byte header and page 1's b-tree header; scramble the rest.
    for (let i = 4096; i < bytes.length; i++) bytes[i] = (i * 7919) & 0xff;
    writeFileSync(file, bytes);
    const error = await openError(async () => {
      const directory = await PinDirectory.open(file, { hashCost: FAST_COST });
      try {
        await directory.getStatus('amos');
        await directory.listConferences();
      } finally {
        await directory.close();
      }
    });
    expect(error.code).toBe('E_DB_CORRUPT');
  });

  it('reports a missing directory as E_DB_OPEN', async () => {
    const error = await openError(() => PinDirectory.open(temp.file('no/such/dir/dialin.db')));
    expect(error.code).toBe('E_DB_OPEN');
    expect(error.message).toContain('no/such/dir/dialin.db');
  });

  it('drops the length of each PIN from a database made by an earlier version, keeping the PINs', async () => {
    const current = temp.file('current.db');
    const made = await makeDirectory({ file: current });
    await made.directory.close();
    // What schema version 1 left behind: its tables only, every PIN's length next to its hash.
    const file = temp.file('old.db');
    const old = await oldSchemaFile(file, 1);
    old.exec(`ATTACH DATABASE '${current}' AS current`);
    old.exec(`INSERT INTO users SELECT id, name, email, phone, extension FROM current.users;
      INSERT INTO conferences SELECT * FROM current.conferences;
      INSERT INTO tenant SELECT * FROM current.tenant;
      INSERT INTO pin_policy SELECT * FROM current.pin_policy;
      INSERT INTO pins (user_id, hash, pin_length, set_at, must_change) SELECT user_id, hash, 5, set_at, must_change FROM current.pins`);
    old.exec('DETACH DATABASE current');
    old.close();

    const reopened = await PinDirectory.open(file, { hashCost: FAST_COST, clock: manualClock(START_MS) });
    expect(await reopened.verifyLeaderPin('123456', '24680')).toMatchObject({ outcome: 'accepted' });
    await reopened.close();
    const db = new Database(file, { readonly: true });
    const columns = (db.prepare('PRAGMA table_info(pins)').all() as { name: string }[]).map((column) => column.name);
    expect(db.pragma('user_version', { simple: true })).toBe(SCHEMA_VERSION);
    db.close();
    expect(columns).not.toContain('pin_length');
    expect(columns).toEqual(['user_id', 'hash', 'set_at', 'must_change']);
  });

  it('drops the outbox of an earlier version, leaving its PINs in neither the file nor the WAL', async () => {
    const before = (await versionWithTable('scoped_pin_policies')) - 1;
    expect(before).toBeGreaterThan(0);
    const file = temp.file('old.db');
    const mailedPin = '739182046571938204657193';
    const old = await oldSchemaFile(file, before);
    old.exec("INSERT INTO users (id, name, email) VALUES ('amos', 'Amos Marble', 'amos@contoso.com')");
    old.prepare('INSERT INTO outbox (at, user_id, to_address, subject, body) VALUES (1, ?, ?, ?, ?)').run(
      'amos', 'amos@contoso.com', 'Your dial-in conferencing PIN', `Your new PIN is: ${mailedPin}`,
    );
    old.close();
    expect(readFileSync(file).toString('latin1')).toContain(mailedPin);

    // Checked while the upgraded directory is still open (its WAL in use), then after it closes.
    const reopened = await PinDirectory.open(file, { hashCost: FAST_COST, clock: manualClock(START_MS) });
    const bytes = () => [file, `${file}-wal`].filter((path) => existsSync(path)).map((path) => readFileSync(path).toString('latin1')).join('');
    expect(bytes()).not.toContain(mailedPin);
    expect(await reopened.getUser('amos')).toMatchObject({ name: 'Amos Marble', site: null });
    expect((await reopened.effectivePolicy('amos')).scope).toEqual({ kind: 'global' });
    await reopened.close();
    expect(bytes()).not.toContain(mailedPin);
    const db = new Database(file, { readonly: true });
    const tables = (db.prepare("SELECT name FROM sqlite_master WHERE type = 'table'").all() as { name: string }[]).map((row) => row.name);
    expect(db.pragma('user_version', { simple: true })).toBe(SCHEMA_VERSION);
    db.close();
    expect(tables).not.toContain('outbox');
    expect(tables).toContain('scoped_pin_policies');
  });

  it('refuses a database from a newer dialin-sim with E_DB_VERSION', async () => {
    const file = temp.file('future.db');
    const db = new Database(file);
    db.pragma('user_version = 99');
    db.close();
    const error = await openError(() => PinDirectory.open(file));
    expect(error.code).toBe('E_DB_VERSION');
    expect(error.message).toContain('schema version 99');
  });

  it('reads but does not write a database opened read-only, and loses nothing', async () => {
    // Tests run as root, for whom chmod 0444 does not stop writes; the readonly
    // open option is what a write-protected file gets (see the next test).
    const file = temp.file('dialin.db');
    const made = await makeDirectory({ file });
    await made.directory.close();
    const readonly = await PinDirectory.open(file, { readonly: true, hashCost: FAST_COST, clock: manualClock(START_MS) });
    expect((await readonly.getStatus('amos')).pinSet).toBe(true);
    expect(await readonly.findConference('123456')).toMatchObject({ organizerId: 'amos' });
    expect(await readonly.verifyLeaderPin('123456', '24680')).toMatchObject({ outcome: 'accepted' });
    for (const write of [() => readonly.setPin('amos', '80317'), () => readonly.verifyLeaderPin('123456', '55055'), () => readonly.lock('amos')]) {
      let error: unknown;
      try {
        await write();
      } catch (caught) {
        error = caught;
      }
      expect(error).toBeInstanceOf(DirectoryError);
      expect((error as DirectoryError).code).toBe('E_DB_READONLY');
      expect((error as DirectoryError).message).toMatch(new RegExp(`^${file.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')} is read-only: cannot `));
    }
    await readonly.close();
    const again = await PinDirectory.open(file, { hashCost: FAST_COST, clock: manualClock(START_MS) });
    expect(await again.getStatus('amos')).toMatchObject({ pinSet: true, failures: 0, lockedOut: false });
    expect(await again.verifyLeaderPin('123456', '24680')).toMatchObject({ outcome: 'accepted' });
    await again.close();
  });

  // Root ignores file modes, so the check runs as nobody: only root may
  // setuid to another user. Any other user (or a platform without setuid)
  // cannot run it, and says so in the test's title.
  const noPrivilegeDrop = process.getuid?.() === 0 ? '' : ' (skipped: needs root to setuid to nobody, uid 65534)';
  it.skipIf(noPrivilegeDrop !== '')(`opens a write-protected file read-only for a user without write permission${noPrivilegeDrop}`, async () => {
    const file = temp.file('dialin.db');
    const made = await makeDirectory({ file });
    await made.directory.close();
    chmodSync(file, 0o444);
    // The directory stays writable (SQLite needs it for the -shm file of a WAL database).
    chmodSync(temp.dir, 0o1777);
    const script = `
      import { PinDirectory } from ${JSON.stringify(new URL('../../src/directory/pin-directory.ts', import.meta.url).href)};
      // The code (and SQLite's addon, loaded by a first open) loads as root;
      // only the file is opened as nobody, so the checkout need not be
      // readable by that user.
      await (await PinDirectory.open(':memory:')).close();
      process.setgid(65534);
      process.setuid(65534);
      const directory = await PinDirectory.open(${JSON.stringify(file)});
      const status = await directory.getStatus('amos');
      let write = 'written';
      try { await directory.lock('amos'); } catch (error) { write = error.code + ': ' + error.message; }
      console.log(JSON.stringify({ pinSet: status.pinSet, write }));
    `;
    const run = spawn(process.execPath, ['--import', 'tsx', '--input-type=module', '-e', script], {
      cwd: REPO,
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let stdout = '';
    let stderr = '';
    run.stdout.on('data', (chunk: Buffer) => (stdout += chunk.toString()));
    run.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
    await new Promise((resolve) => run.on('exit', resolve));
    expect(stderr).toBe('');
    expect(JSON.parse(stdout)).toEqual({ pinSet: true, write: `E_DB_READONLY: ${file} is read-only: cannot lock the PIN` });
    chmodSync(file, 0o644);
    const again = await PinDirectory.open(file, { hashCost: FAST_COST });
    expect((await again.getStatus('amos')).lockedOut).toBe(false);
    await again.close();
  }, 20_000);
});

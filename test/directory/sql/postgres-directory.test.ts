import { spawn } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import pg from 'pg';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { manualClock } from '../../../src/directory/clock.ts';
import { DirectoryError } from '../../../src/directory/errors.ts';
import { MemoryMailbox } from '../../../src/directory/mail/memory-mailbox.ts';
import { PinDirectory } from '../../../src/directory/pin-directory.ts';
import { SCHEMA_VERSION } from '../../../src/directory/sql/database.ts';
import { startPostgres, type PostgresServer } from '../../helpers/postgres-server.ts';
import { FAST_COST, START_MS, makeDirectory } from '../helpers.ts';

const FIXTURE = fileURLToPath(new URL('../fixtures/pin-attempts.ts', import.meta.url));
const REPO = fileURLToPath(new URL('../../../', import.meta.url));

let server: PostgresServer;
beforeAll(async () => {
  server = await startPostgres();
}, 60_000);
afterAll(() => server?.stop());

let opened: PinDirectory[] = [];
afterEach(async () => {
  for (const directory of opened) await directory.close().catch(() => {});
  opened = [];
});

async function open(url: string, options: Parameters<typeof PinDirectory.open>[1] = {}): Promise<PinDirectory> {
  // Mail stays in memory: a PostgreSQL directory's mail folder would be in the working directory.
  const directory = await PinDirectory.open(url, { clock: manualClock(START_MS), hashCost: FAST_COST, mail: new MemoryMailbox(), ...options });
  opened.push(directory);
  return directory;
}

/** A new database holding the test deployment (amos organizes 123456, PIN 24680). */
async function deployed(): Promise<string> {
  const url = await server.createDatabase();
  const { directory } = await makeDirectory({ file: url });
  await directory.close();
  return url;
}

async function rejection(action: () => Promise<unknown>): Promise<DirectoryError> {
  try {
    await action();
  } catch (error) {
    expect(error).toBeInstanceOf(DirectoryError);
    return error as DirectoryError;
  }
  throw new Error('expected a DirectoryError');
}

async function query<T>(url: string, text: string): Promise<T[]> {
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  try {
    return (await client.query(text)).rows as T[];
  } finally {
    await client.end();
  }
}

describe('the directory on PostgreSQL', () => {
  it('counts 100 parallel wrong PINs from two nodes exactly', async () => {
    const url = await deployed();
    const [a, b] = [await open(url), await open(url)];
    await a.setPolicy({ maxLogonAttempts: { local: 999, global: 99_999 } });
    const results = await Promise.all(Array.from({ length: 100 }, (_, i) => (i % 2 ? a : b).verifyLeaderPin('123456', '55055')));
    expect(results.every((result) => result.outcome === 'rejected')).toBe(true);
    expect(await a.getStatus('amos')).toMatchObject({ failures: 100, globalFailures: 100 });
    expect(await b.getStatus('amos')).toMatchObject({ failures: 100, globalFailures: 100 });
    expect((await b.listAudit({ userId: 'amos' })).filter((entry) => entry.event === 'failure')).toHaveLength(100);
  }, 60_000);

  it('locks once when 100 parallel wrong PINs from two nodes cross the limit, and both nodes see the lock', async () => {
    const url = await deployed();
    const [a, b] = [await open(url), await open(url)];
    await a.setPolicy({ maxLogonAttempts: { local: 30, global: 1000 } });
    const results = await Promise.all(Array.from({ length: 100 }, (_, i) => (i % 2 ? a : b).verifyLeaderPin('123456', '55055')));
    const rejected = results.filter((result) => result.outcome === 'rejected');
    expect(rejected).toHaveLength(30);
    expect(rejected.filter((result) => result.lockedNow)).toHaveLength(1);
    expect(results.filter((result) => result.outcome === 'locked')).toHaveLength(70);
    for (const node of [a, b]) {
      expect(await node.getStatus('amos')).toMatchObject({ lockedOut: true, lockKind: 'local', failures: 30, globalFailures: 30 });
      expect(await node.verifyLeaderPin('123456', '24680')).toEqual({ outcome: 'locked', userId: 'amos' });
    }
  }, 60_000);

  it('sees the lock a killed process recorded', async () => {
    const url = await deployed();
    await (await open(url)).setPolicy({ maxLogonAttempts: { local: 4, global: 100 } });
    const run = spawn(process.execPath, ['--import', 'tsx', FIXTURE, url, String(START_MS), 'until-locked'], { cwd: REPO, stdio: ['ignore', 'pipe', 'pipe'] });
    let stderr = '';
    run.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
    await new Promise<void>((resolve, reject) => {
      run.stdout.on('data', (chunk: Buffer) => chunk.toString().includes('LOCKED') && resolve());
      run.on('exit', () => reject(new Error(`the attacker exited before locking the PIN: ${stderr}`)));
    });
    const exited = new Promise((resolve) => run.on('exit', resolve));
    run.kill('SIGKILL');
    await exited;
    const after = await open(url, { clock: manualClock(START_MS + 1000) });
    expect(await after.getStatus('amos')).toMatchObject({ lockedOut: true, lockKind: 'local', failures: 4, globalFailures: 4 });
  }, 30_000);

  it('creates the schema once when two nodes start on an empty database together', async () => {
    const url = await server.createDatabase();
    const [a, b] = await Promise.all([open(url), open(url)]);
    expect(await a.getPolicy()).toEqual(await b.getPolicy());
    expect(await query(url, 'SELECT version FROM dialin_schema_version')).toEqual([{ version: SCHEMA_VERSION }]);
  });

  it('stores flags as booleans and times as bigint', async () => {
    const url = await deployed();
    const columns = await query<{ column_name: string; data_type: string }>(
      url,
      `SELECT column_name, data_type FROM information_schema.columns WHERE table_name = 'pins' ORDER BY ordinal_position`,
    );
    expect(columns).toEqual([
      { column_name: 'user_id', data_type: 'text' },
      { column_name: 'hash', data_type: 'text' },
      { column_name: 'set_at', data_type: 'bigint' },
      { column_name: 'must_change', data_type: 'boolean' },
    ]);
    const directory = await open(url);
    await directory.resetPin('amos', { expired: true });
    expect(await directory.getStatus('amos')).toMatchObject({ mustChange: true, lastSetAt: START_MS });
  });

  it('refuses a database whose schema is newer with E_DB_VERSION', async () => {
    const url = await deployed();
    await query(url, 'UPDATE dialin_schema_version SET version = 99');
    const error = await rejection(() => open(url));
    expect(error.code).toBe('E_DB_VERSION');
    expect(error.message).toContain('schema version 99');
  });

  it('reports a database without a directory as E_DB_MISSING where one must exist', async () => {
    const empty = await server.createDatabase();
    expect((await rejection(() => open(empty, { mustExist: true }))).code).toBe('E_DB_MISSING');
    const error = await rejection(() => open(server.url('no_such_database')));
    expect(error.code).toBe('E_DB_MISSING');
    expect(error.message).toContain(`postgres://postgres@127.0.0.1:${server.port}/no_such_database`);
  });

  it('reads but does not write when opened read-only', async () => {
    const url = await deployed();
    const readonly = await open(url, { readonly: true });
    expect(await readonly.verifyLeaderPin('123456', '24680')).toMatchObject({ outcome: 'accepted' });
    const error = await rejection(() => readonly.lock('amos'));
    expect(error.code).toBe('E_DB_READONLY');
    expect(error.message).toBe(`postgres://postgres@127.0.0.1:${server.port}/${new URL(url).pathname.slice(1)} is read-only: cannot lock the PIN`);
    expect((await readonly.getStatus('amos')).lockedOut).toBe(false);
  });
});

describe('the directory when PostgreSQL is down', () => {
  it('fails with E_DB_UNAVAILABLE naming the server but not the password, and works again once it is back', async () => {
    const url = (await deployed()).replace('postgres@', 'postgres:s3cret-pw@');
    const label = url.replace(':s3cret-pw', '');
    const directory = await open(url, { busyTimeoutMs: 1000 });
    expect(await directory.verifyLeaderPin('123456', '24680')).toMatchObject({ outcome: 'accepted' });
    await server.pause();
    try {
      const error = await rejection(() => directory.verifyLeaderPin('123456', '24680'));
      expect(error.code).toBe('E_DB_UNAVAILABLE');
      expect(error.message).toMatch(new RegExp(`^${label.replace(/[.*+?^${}()|[\]\\/]/g, '\\$&')} is unavailable \\(.+\\): cannot look up a conference$`));
      expect(error.message).not.toContain('s3cret');
      expect(error.message).not.toContain('\n');
      const opening = await rejection(() => open(url, { busyTimeoutMs: 1000 }));
      expect(opening.code).toBe('E_DB_UNAVAILABLE');
      expect(opening.message).not.toContain('s3cret');
    } finally {
      await server.resume();
    }
    expect(await directory.verifyLeaderPin('123456', '24680')).toMatchObject({ outcome: 'accepted' });
    expect(await directory.verifyLeaderPin('123456', '55055')).toMatchObject({ outcome: 'rejected' });
    expect((await directory.getStatus('amos')).failures).toBe(1);
  }, 60_000);
});

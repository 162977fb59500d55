/**
 * A real PostgreSQL server for tests: its own data folder in the temp
 * directory, trust authentication on 127.0.0.1 and a free port, stopped
 * and removed by `stop()`. PostgreSQL refuses to run as root, so under root
 * initdb and postgres run as the `postgres` system user (Debian's package
 * creates it; `.ci/run` installs the package), with the data folder owned
 * by that user.
 */
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { chownSync, existsSync, mkdtempSync, readdirSync, rmSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import pg from 'pg';

export interface PostgresServer {
  readonly port: number;
  /** A `postgres://` URL for `database` on this server. */
  url(database: string): string;
  /** Creates an empty database with a fresh name and returns its URL. */
  createDatabase(): Promise<string>;
  /** Stops the server (fast shutdown: sessions are cut) and keeps its data. */
  pause(): Promise<void>;
  /** Starts the stopped server again on the same port and data. */
  resume(): Promise<void>;
  /** Stops the server and removes its data folder. */
  stop(): Promise<void>;
}

function binary(name: string): string {
  const root = '/usr/lib/postgresql';
  const versions = existsSync(root) ? readdirSync(root).sort((a, b) => Number(b) - Number(a)) : [];
  const found = versions.map((version) => join(root, version, 'bin', name)).find((path) => existsSync(path));
  if (!found) throw new Error(`PostgreSQL's ${name} is not installed under ${root} (apt-get install postgresql)`);
  return found;
}

/** The user the server runs as: `postgres` under root, else the current user. */
function serverUser(): { uid: number; gid: number } | undefined {
  if (process.getuid?.() !== 0) return undefined;
  const id = (flag: string) => spawnSync('id', [flag, 'postgres'], { encoding: 'utf8' });
  const uid = id('-u');
  const gid = id('-g');
  if (uid.status !== 0 || gid.status !== 0) throw new Error('running as root, and there is no postgres user to run PostgreSQL as');
  return { uid: Number(uid.stdout.trim()), gid: Number(gid.stdout.trim()) };
}

function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const probe = createServer();
    probe.once('error', reject);
    probe.listen(0, '127.0.0.1', () => {
      const { port } = probe.address() as { port: number };
      probe.close(() => resolve(port));
    });
  });
}

async function untilReady(url: string, server: ChildProcess, log: () => string): Promise<void> {
  const deadline = Date.now() + 20_000;
  for (;;) {
    if (server.exitCode !== null) throw new Error(`postgres exited (${server.exitCode}): ${log()}`);
    const client = new pg.Client({ connectionString: url });
    try {
      await client.connect();
      await client.end();
      return;
    } catch (error) {
      await client.end().catch(() => {});
      if (Date.now() > deadline) throw new Error(`postgres did not start: ${(error as Error).message}: ${log()}`);
      await new Promise((resolve) => setTimeout(resolve, 50));
    }
  }
}

export async function startPostgres(): Promise<PostgresServer> {
  const user = serverUser();
  const folder = mkdtempSync(join(tmpdir(), 'dialin-pg-'));
  if (user) chownSync(folder, user.uid, user.gid);
  const data = join(folder, 'data');
  const asServerUser = user ? { uid: user.uid, gid: user.gid } : {};
  const init = spawnSync(binary('initdb'), ['-D', data, '-U', 'postgres', '-A', 'trust', '-E', 'UTF8', '--locale=C', '--no-sync'], {
    ...asServerUser,
    encoding: 'utf8',
  });
  if (init.status !== 0) {
    rmSync(folder, { recursive: true, force: true });
    throw new Error(`initdb failed: ${init.stderr}`);
  }
  const port = await freePort();
  const url = (database: string) => `postgres://postgres@127.0.0.1:${port}/${database}`;
  let server: ChildProcess | undefined;
  let output = '';

  const start = async () => {
    output = '';
    // Only TCP on loopback; the socket directory is the test's own folder, not /var/run/postgresql.
    const args = ['-D', data, '-p', String(port), '-c', 'listen_addresses=127.0.0.1', '-k', folder, '-c', 'fsync=off'];
    server = spawn(binary('postgres'), args, { ...asServerUser, stdio: ['ignore', 'ignore', 'pipe'] });
    server.stderr!.on('data', (chunk: Buffer) => (output += chunk.toString()));
    await untilReady(url('postgres'), server, () => output);
  };
  const halt = async () => {
    const running = server;
    server = undefined;
    if (!running || running.exitCode !== null) return;
    const exited = new Promise((resolve) => running.once('exit', resolve));
    // SIGINT is PostgreSQL's fast shutdown: sessions are disconnected, the data is kept.
    running.kill('SIGINT');
    await exited;
  };

  await start();
  let databases = 0;
  return {
    port,
    url,
    async createDatabase() {
      const name = `dialin_${++databases}`;
      const admin = new pg.Client({ connectionString: url('postgres') });
      await admin.connect();
      try {
        await admin.query(`CREATE DATABASE ${name}`);
      } finally {
        await admin.end();
      }
      return url(name);
    },
    pause: halt,
    resume: start,
    async stop() {
      await halt();
      rmSync(folder, { recursive: true, force: true });
    },
  };
}

import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runServe } from '../../src/cli/commands/serve.ts';
import { main } from '../../src/cli/main.ts';
import { startSmtpServer } from '../directory/mail/smtp-test-server.ts';
import { startPostgres, type PostgresServer } from '../helpers/postgres-server.ts';
import { captureIo } from './capture-io.ts';
import { cliFixture } from './directory-fixture.ts';

let server: PostgresServer;
beforeAll(async () => {
  server = await startPostgres();
}, 60_000);
afterAll(() => server?.stop());

async function run(...args: string[]) {
  const { io, out, err } = captureIo();
  const code = await main(args, io);
  return { code, out, err };
}

describe('directory commands with --db postgres://', () => {
  it('set a PIN, change the policy and read status and audit on PostgreSQL', async () => {
    const fixture = cliFixture();
    // Mail goes to SMTP: the mail folder of a PostgreSQL directory is in the working directory.
    const smtp = await startSmtpServer();
    try {
      const db = await server.createDatabase();
      const set = await run('pin', 'set', 'amos', '--config', fixture.config, '--db', db, '--smtp', smtp.url);
      expect(set.err).toEqual([]);
      const pin = /^New PIN for amos: ([0-9]{5}) /.exec(set.out[0]!)![1]!;
      expect((await run('policy', 'set', '--min-length', '6', '--db', db)).out).toContain('  minLength                     6');
      expect((await run('pin', 'lock', 'amos', '--db', db)).code).toBe(0);
      const status = await run('pin', 'status', 'amos', '--db', db);
      expect(status.out[2]).toBe('  Lock:      locked by an administrator until unlocked');
      const audit = await run('pin', 'audit', 'amos', '--db', db);
      expect(audit.out.map((line) => line.split(/\s+/).slice(1, 3).join(' '))).toEqual(['amos set', 'amos locked']);
      expect(smtp.received.map((message) => message.to)).toEqual([['amos@contoso.com']]);
      expect(smtp.received[0]!.raw).toContain(`Your new PIN is: ${pin}`);
    } finally {
      await smtp.close();
      fixture.cleanup();
    }
  });

  it('refuses a PostgreSQL database without a directory, a malformed URL and a server that is down, each in one line', async () => {
    const empty = await server.createDatabase();
    expect(await run('pin', 'status', 'amos', '--db', empty)).toEqual({
      code: 1,
      out: [],
      err: [`dialin-sim pin: no directory at ${empty} (create one with --config FILE, or run dialin-sim serve)`],
    });
    expect((await run('pin', 'status', 'amos', '--db', 'postgres://')).err).toEqual([
      'dialin-sim pin: --db: a PostgreSQL URL needs a host and a database: postgres://USER@HOST[:PORT]/DATABASE',
    ]);
    const down = `postgres://postgres:hunter2@127.0.0.1:1/dialin`;
    expect(await run('policy', 'show', '--db', down)).toEqual({
      code: 1,
      out: [],
      err: ['dialin-sim policy: postgres://postgres@127.0.0.1:1/dialin is unavailable (ECONNREFUSED): cannot open it'],
    });
  });
});

describe('dialin-sim serve --db postgres://', () => {
  it('runs two nodes on one directory: the second finds the demo PIN the first set', async () => {
    const db = await server.createDatabase();
    const start = async () => {
      const { io, out } = captureIo();
      let stop!: (signal: string) => void;
      const serving = runServe(['--port', '0', '--sip-port', 'off', '--db', db], io, new Promise((resolve) => (stop = resolve)));
      await expect.poll(() => out.find((line) => line.startsWith('Softphone:')), { timeout: 15_000 }).toBeDefined();
      return { out, stop: () => (stop('SIGTERM'), serving) };
    };
    const first = await start();
    const second = await start();
    expect(first.out.find((line) => line.startsWith('Organizer PIN: '))).toMatch(/^Organizer PIN: [0-9]{5} /);
    expect(second.out).toContain(`for a new one: dialin-sim pin reset amos --db ${db}`);
    expect(second.out.find((line) => line.includes('listening on http'))).toContain(`db ${db})`);
    expect(await first.stop()).toBe(0);
    expect(await second.stop()).toBe(0);
    const status = await run('pin', 'status', 'amos', '--db', db);
    expect(status.out[1]).toMatch(/^ {2}PIN: {7}\*{5} set /);
  }, 60_000);
});

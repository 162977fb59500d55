/**
 * `dialin-sim serve --workers 2` as a user runs it: the real CLI process
 * (bin/dialin-sim.js) on a real redis-server and a real PostgreSQL, both on
 * loopback with their own temporary folders.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startPostgres, type PostgresServer } from '../helpers/postgres-server.ts';
import { startRedis, type TestRedis } from '../helpers/redis-server.ts';
import { TEST_FLOW, until } from '../server/cluster/cluster-nodes.ts';
import { NativeCaller } from '../server/test-callers.ts';

// Callers send audio in real time: the CLI's server turns away audio more than a second ahead (maxAudioLeadMs).
const BIN = new URL('../../bin/dialin-sim.js', import.meta.url).pathname;

let redis: TestRedis;
let postgres: PostgresServer;
let serve: ChildProcess;
let output = '';
let url: string;
let pin: string;

beforeAll(async () => {
  redis = await startRedis();
  postgres = await startPostgres();
  const db = (await postgres.createDatabase()).replace('postgres@', 'postgres:s3cret-pw@');
  const flow = Object.entries(TEST_FLOW).flatMap(([key, ms]) => ['--flow', `${key}=${ms}`]);
  serve = spawn(process.execPath, [BIN, 'serve', '--workers', '2', '--port', '0', '--sip-port', 'off', '--redis', redis.url, '--db', db, ...flow], {
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  serve.stdout!.on('data', (data: Buffer) => (output += data.toString()));
  serve.stderr!.on('data', (data: Buffer) => (output += data.toString()));
  // Generous: two cold tsx starts on a loaded machine.
  await until(() => /^SIP phones|^Softphone: .*\n/m.test(output) || serve.exitCode !== null, 90_000, 'serve --workers');
  url = /^Softphone: (http:\/\/\S+?)\/ /m.exec(output)?.[1] ?? expect.fail(output);
  pin = /^Organizer PIN: (\d+) /m.exec(output)?.[1] ?? expect.fail(output);
}, 100_000);

afterAll(async () => {
  if (serve && serve.exitCode === null) {
    const exited = new Promise((resolve) => serve.once('exit', resolve));
    serve.kill('SIGKILL');
    await exited;
  }
  await redis?.stop();
  await postgres?.stop();
});

const nodeOf = (caller: NativeCaller) => String(caller.events.find((e) => e.event === 'call-started')!.callId).split('-')[0];

async function guestInLobby(): Promise<NativeCaller> {
  const guest = new NativeCaller(url);
  await guest.start(8000, '+15550601');
  await guest.waitForState('collecting-conference-id');
  await guest.press('123456#');
  await guest.waitForState('leader-question');
  await guest.press('#');
  await guest.waitForState('lobby');
  return guest;
}

async function organizerKeys(keys: string): Promise<NativeCaller> {
  const organizer = new NativeCaller(url);
  await organizer.start(8000, '+15550602');
  await organizer.waitForState('collecting-conference-id');
  await organizer.press('123456#');
  await organizer.waitForState('leader-question');
  await organizer.press('*');
  await organizer.waitForState('collecting-pin');
  if (keys !== '') await organizer.press(keys);
  return organizer;
}

describe('dialin-sim serve --workers 2 --redis URL --db postgres://...', () => {
  it('prints one banner and one demo PIN for both workers, naming the database without its password', () => {
    expect(output).toMatch(/^workers: 2 listening on http:\/\/127\.0\.0\.1:\d+$/m);
    expect(output.match(/^Organizer PIN: /gm)).toHaveLength(1);
    expect(output.match(/^Softphone: /gm)).toHaveLength(1);
    // Each worker is a node of the bridge of its own.
    expect(new Set(output.match(/cluster: node n[0-9a-f]{6} joined/g))).toHaveProperty('size', 2);
    expect(output).not.toContain('s3cret');
  });

  it('admits a lobby caller on one worker when the organizer keys the PIN on the other', async () => {
    const guest = await guestInLobby();
    const organizer = await organizerKeys(`${pin}#`);
    await organizer.waitForState('in-meeting', 15_000);
    expect(nodeOf(organizer)).not.toBe(nodeOf(guest));
    await guest.waitForState('in-meeting', 10_000);
    guest.hangup();
    organizer.hangup();
    await guest.closed;
    await organizer.closed;
  }, 120_000);

  it('says goodbye to a PIN check while PostgreSQL is down, keeps other calls, and serves again once it is back', async () => {
    const guest = await guestInLobby();
    let organizer = await organizerKeys('');
    await postgres.pause();
    try {
      const logged = output.length;
      await organizer.press(`${pin}#`);
      await organizer.waitFor('hung-up', 20_000);
      await organizer.closed;
      const lines = output.slice(logged).split('\n');
      // The caller heard goodbye; the log says why, once, naming the database but not its password.
      expect(lines.some((line) => / prompt-started goodbye$/.test(line))).toBe(true);
      expect(lines.some((line) => / hung-up system-error$/.test(line))).toBe(true);
      const failures = lines.filter((line) => line.includes('directory failed'));
      expect(failures, lines.join('\n')).toHaveLength(1);
      expect(failures[0]).toMatch(/directory failed: E_DB_UNAVAILABLE postgres:\/\/postgres@127\.0\.0\.1:\d+\/dialin_1 is unavailable \(.+\): cannot /);
      // The guest, on its own call, is still waiting in the lobby.
      expect(guest.events.some((e) => e.event === 'hung-up')).toBe(false);
    } finally {
      await postgres.resume();
    }
    organizer = await organizerKeys(`${pin}#`);
    await organizer.waitForState('in-meeting', 15_000);
    await guest.waitForState('in-meeting', 10_000);
    guest.hangup();
    organizer.hangup();
    await guest.closed;
    await organizer.closed;
  }, 120_000);

  it('drains both workers on SIGTERM and exits 0', async () => {
    const exited = new Promise<number | null>((resolve) => serve.once('exit', (code) => resolve(code)));
    serve.kill('SIGTERM');
    expect(await exited).toBe(0);
    expect(output).toMatch(/^SIGTERM: ending calls$/m);
    expect(output.match(/^.* server stopped$/gm)).toHaveLength(2);
    expect(output).not.toContain('s3cret');
  }, 30_000);
});

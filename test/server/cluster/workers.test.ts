/**
 * Two workers behind one set of ports (startWorkers, what `serve --workers`
 * runs): WebSocket calls spread over the workers and share conferences
 * through Redis, and a SIP phone's UDP dialog, relayed by the primary by
 * Call-ID, reaches one worker from INVITE to BYE.
 */
import { spawn } from 'node:child_process';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startRedis, type TestRedis } from '../../helpers/redis-server.ts';
import { RawSipPhone } from '../sip/raw-sip-phone.ts';
import { NativeCaller } from '../test-callers.ts';
import { sharedDatabase, until } from './cluster-nodes.ts';

let redis: TestRedis;
let database: ReturnType<typeof sharedDatabase>;
let primary: ReturnType<typeof spawn>;
let output = '';
let bridge: { url: string; sipPort: number; pin: string };

beforeAll(async () => {
  redis = await startRedis();
  database = sharedDatabase();
  const script = new URL('./workers-process.ts', import.meta.url).pathname;
  primary = spawn(process.execPath, ['--import', 'tsx', script, redis.url, database.db, '0', '0'], { stdio: ['ignore', 'pipe', 'pipe'] });
  primary.stdout!.on('data', (data: Buffer) => (output += data.toString()));
  primary.stderr!.on('data', (data: Buffer) => (output += data.toString()));
  await until(() => /ready \{/.test(output) || primary.exitCode !== null, 90_000, 'the workers');
  bridge = JSON.parse(/ready (\{.*\})/.exec(output)?.[1] ?? 'null') ?? expect.fail(output);
}, 100_000);

afterAll(async () => {
  if (primary && primary.exitCode === null) {
    const exited = new Promise((resolve) => primary.once('exit', resolve));
    primary.kill('SIGTERM');
    await exited;
  }
  await redis?.stop();
  database?.remove();
});

const lines = () => output.split('\n');
const nodeOf = (callId: string) => callId.split('-')[0];

async function organizerKeysPin(): Promise<NativeCaller> {
  const organizer = new NativeCaller(bridge.url, { speed: 2 });
  await organizer.start(8000, '+15550502');
  await organizer.waitForState('collecting-conference-id');
  await organizer.press('123456#');
  await organizer.waitForState('leader-question');
  await organizer.press('*');
  await organizer.waitForState('collecting-pin');
  await organizer.press(`${bridge.pin}#`);
  await organizer.waitForState('in-meeting', 15_000);
  return organizer;
}

describe('two workers behind one set of ports', () => {
  it('spreads WebSocket calls over the workers, which admit each other\'s lobby callers', async () => {
    const guest = new NativeCaller(bridge.url, { speed: 2 });
    await guest.start(8000, '+15550501');
    const guestId = (await guest.waitFor('call-started')).callId as string;
    await guest.waitForState('collecting-conference-id');
    await guest.press('123456#');
    await guest.waitForState('leader-question');
    await guest.press('#');
    await guest.waitForState('lobby');

    const organizer = await organizerKeysPin();
    const organizerId = organizer.events.find((e) => e.event === 'call-started')!.callId as string;
    // The primary handed the two connections to different workers (round robin), each its own node of the bridge.
    expect(nodeOf(organizerId)).not.toBe(nodeOf(guestId));
    await guest.waitForState('in-meeting', 10_000);
    guest.hangup();
    organizer.hangup();
    await guest.closed;
    await organizer.closed;
  }, 60_000);

  it('keeps a SIP dialog over UDP on one worker, from INVITE to BYE', async () => {
    const phone = await RawSipPhone.open(bridge.sipPort);
    try {
      await phone.call();
      let callId: string | undefined;
      await until(() => (callId = lines().map((line) => / (n[0-9a-f]{6}-c\d+) call-started protocol=sip-udp/.exec(line)?.[1]).find(Boolean)) !== undefined, 10_000, 'the SIP call');
      const enters = (state: string) => until(() => lines().some((line) => line.endsWith(` ${callId} state-entered ${state}`)), 15_000, `${callId} in ${state}`);
      await enters('collecting-conference-id');
      // Every INFO is a request of the dialog: relayed by its Call-ID to the worker that holds the call.
      for (const key of '123456#') phone.request('INFO', { type: 'application/dtmf-relay', body: `Signal=${key}\r\nDuration=100\r\n` });
      await enters('leader-question');
      phone.request('INFO', { type: 'application/dtmf-relay', body: 'Signal=#\r\nDuration=100\r\n' });
      await enters('lobby');
      // RTP comes straight from the worker's own port.
      const heard = phone.rtp.length;
      await until(() => phone.rtp.length > heard + 10, 5_000, 'RTP from the worker');

      const organizer = await organizerKeysPin();
      await enters('in-meeting');
      // The BYE too reaches the worker that holds the call, which ends it as the caller's hang-up.
      phone.request('BYE');
      await until(() => lines().some((line) => line.endsWith(` ${callId} hung-up caller`)), 10_000, 'the BYE to end the call');
      organizer.hangup();
    } finally {
      phone.close();
    }
  }, 60_000);
});

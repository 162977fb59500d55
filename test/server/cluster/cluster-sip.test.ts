/**
 * SIP callers on a bridge of two servers: a SIP guest in node A's lobby,
 * with RTP media from node A, is admitted when the organizer dials node B
 * over SIP and keys the PIN (as SIP INFO, the way JsSIP and SIP.js send
 * keys).
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startRedis, type TestRedis } from '../../helpers/redis-server.ts';
import { RawSipPhone } from '../sip/raw-sip-phone.ts';
import { sharedDatabase, startNode, until, type ClusterTestNode } from './cluster-nodes.ts';

let redis: TestRedis;
let database: ReturnType<typeof sharedDatabase>;
let a: ClusterTestNode;
let b: ClusterTestNode;

beforeAll(async () => {
  redis = await startRedis();
  database = sharedDatabase();
  a = await startNode(redis.url, database.db, { sipPort: 0 });
  b = await startNode(redis.url, database.db, { sipPort: 0 });
});

afterAll(async () => {
  await Promise.all([a?.close(), b?.close()]);
  await redis?.stop();
  database?.remove();
});

/** The node's call id for its SIP call that started last. */
async function lastSipCallId(node: ClusterTestNode): Promise<string> {
  let id: string | undefined;
  const find = () => [...node.lines].reverse().map((line) => / (n[0-9a-f]{6}-c\d+) call-started protocol=sip-udp/.exec(line)?.[1]).find(Boolean);
  await until(() => (id = find()) !== undefined, 10_000, 'a SIP call');
  return id!;
}

async function enters(node: ClusterTestNode, callId: string, state: string): Promise<void> {
  await until(() => node.lines.some((line) => line.endsWith(` ${callId} state-entered ${state}`)), 15_000, `${callId} in ${state}`);
}

function infoKeys(phone: RawSipPhone, keys: string): void {
  for (const key of keys) phone.request('INFO', { type: 'application/dtmf-relay', body: `Signal=${key}\r\nDuration=100\r\n` });
}

describe('SIP calls on a bridge of two servers', () => {
  it('admits a SIP guest waiting on one node when a SIP organizer keys the PIN on the other', async () => {
    const guestPhone = await RawSipPhone.open(a.sipPort!);
    const organizerPhone = await RawSipPhone.open(b.sipPort!);
    try {
      await guestPhone.call();
      const guest = await lastSipCallId(a);
      await enters(a, guest, 'collecting-conference-id');
      infoKeys(guestPhone, '123456#');
      await enters(a, guest, 'leader-question');
      infoKeys(guestPhone, '#');
      await enters(a, guest, 'lobby');

      await organizerPhone.call();
      const organizer = await lastSipCallId(b);
      await enters(b, organizer, 'collecting-conference-id');
      infoKeys(organizerPhone, '123456#');
      await enters(b, organizer, 'leader-question');
      infoKeys(organizerPhone, '*');
      await enters(b, organizer, 'collecting-pin');
      infoKeys(organizerPhone, `${a.demoPin}#`);
      await enters(b, organizer, 'in-meeting');
      await enters(a, guest, 'in-meeting');
      expect(a.lines.some((line) => line.includes(` ${guest} admitted 123456`))).toBe(true);
      // Node A's RTP keeps flowing to its caller after the admission.
      const heard = guestPhone.rtp.length;
      await until(() => guestPhone.rtp.length > heard + 10, 5_000, 'RTP in the meeting');
    } finally {
      guestPhone.close();
      organizerPhone.close();
    }
  }, 60_000);
});

/**
 * Two servers on one Redis act as one bridge: a guest waiting in the lobby
 * on node A is admitted when the organizer keys the PIN on node B, over
 * each WebSocket protocol the server speaks; the conference list on either
 * node shows both calls.
 */
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { startRedis, type TestRedis } from '../../helpers/redis-server.ts';
import { NativeCaller, TwilioCaller, VonageCaller, type TestCaller } from '../test-callers.ts';
import { sharedDatabase, startNode, type ClusterTestNode } from './cluster-nodes.ts';

let redis: TestRedis;
let database: ReturnType<typeof sharedDatabase>;
let a: ClusterTestNode;
let b: ClusterTestNode;
let pin: string;

beforeAll(async () => {
  redis = await startRedis();
});

afterAll(async () => {
  await redis?.stop();
});

// A bridge each, on a fresh Redis prefix: one test's meeting must not be running in the next.
beforeEach(async (context) => {
  database = sharedDatabase();
  const prefix = `t${context.task.id}:`;
  a = await startNode(redis.url, database.db, { clusterKeyPrefix: prefix });
  b = await startNode(redis.url, database.db, { clusterKeyPrefix: prefix });
  pin = a.demoPin!;
});

afterEach(async () => {
  await Promise.all([a?.close(), b?.close()]);
  database.remove();
});

type Protocol = 'native' | 'twilio' | 'vonage';

async function dial(protocol: Protocol, url: string, from: string): Promise<TestCaller> {
  if (protocol === 'native') {
    const caller = new NativeCaller(url, { speed: 2 });
    await caller.start(8000, from);
    return caller;
  }
  if (protocol === 'twilio') {
    const caller = new TwilioCaller(url, { speed: 2 });
    await caller.start(from);
    return caller;
  }
  const caller = new VonageCaller(url, { speed: 2 });
  await caller.start(16000);
  return caller;
}

describe('two servers on one Redis', () => {
  for (const protocol of ['native', 'twilio', 'vonage'] as const) {
    it(`admits a ${protocol} guest waiting on one node when the organizer keys the PIN on the other`, async () => {
      const guest = await dial(protocol, a.url, '+15550101');
      await guest.waitForState('collecting-conference-id');
      await guest.press('123456#');
      await guest.waitForState('leader-question');
      await guest.press('#');
      await guest.waitForState('lobby');

      const organizer = await dial(protocol, b.url, '+15550102');
      await organizer.waitForState('collecting-conference-id');
      await organizer.press('123456#');
      await organizer.waitForState('leader-question');
      await organizer.press('*');
      await organizer.waitForState('collecting-pin');
      await organizer.press(`${pin}#`);
      await organizer.waitForState('in-meeting', 15_000);
      await guest.waitForState('in-meeting', 10_000);

      // Either node lists the whole bridge: the organizer (on B) led, the guest (on A) joined.
      for (const node of [a, b]) {
        const [conference] = (await (await fetch(`${node.url}/api/conferences`)).json()) as any[];
        expect(conference.started).toBe(true);
        expect(conference.lobby).toEqual([]);
        expect(conference.participants.map((p: any) => p.callId).sort()).toEqual(
          [...b.lines, ...a.lines].flatMap((line) => / (n[0-9a-f]{6}-c\d+) call-started/.exec(line)?.[1] ?? []).sort(),
        );
        expect(conference.leader).toMatch(/^n[0-9a-f]{6}-c1$/);
        // The guest's caller id, recorded by node A, is listed by node B too (Vonage sends none).
        if (protocol !== 'vonage') expect(conference.participants.some((p: any) => p.from === '+15550101')).toBe(true);
      }
      expect([...a.lines, ...b.lines].join('\n')).not.toContain(pin);
      guest.close();
      organizer.close();
    }, 60_000);
  }
});

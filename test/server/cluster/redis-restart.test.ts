/**
 * Redis restarts under a running bridge (appendonly on, so its state and
 * event stream survive): the nodes reconnect, what a call asked while Redis
 * was down goes out once it is back, and the event stream resumes after
 * the last entry each node applied: no event lost, none applied twice.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startRedis, type TestRedis } from '../../helpers/redis-server.ts';
import { NativeCaller } from '../test-callers.ts';
import { sharedDatabase, startNode, until, type ClusterTestNode } from './cluster-nodes.ts';

let redis: TestRedis;
let database: ReturnType<typeof sharedDatabase>;
let a: ClusterTestNode;
let b: ClusterTestNode;

beforeAll(async () => {
  redis = await startRedis();
  database = sharedDatabase();
  a = await startNode(redis.url, database.db);
  b = await startNode(redis.url, database.db);
});

afterAll(async () => {
  await Promise.all([a?.close(), b?.close()]);
  await redis?.stop();
  database?.remove();
});

describe('a Redis restart under the bridge', () => {
  it('loses no event and applies none twice', async () => {
    const first = new NativeCaller(a.url, { speed: 2 });
    await first.start(8000, '+15550401');
    await first.waitForState('collecting-conference-id');
    await first.press('123456#');
    await first.waitForState('leader-question');
    await first.press('#');
    await first.waitForState('lobby');

    const second = new NativeCaller(a.url, { speed: 2 });
    await second.start(8000, '+15550402');
    await second.waitForState('collecting-conference-id');
    await second.press('123456#');
    await second.waitForState('leader-question');
    // The second guest's ENTER_LOBBY is asked while Redis is down, and reaches the lobby once it is back.
    await redis.restart(async () => {
      await second.press('#');
      await until(() => a.lines.some((line) => line.includes('cluster: redis connection lost')), 5_000, 'node A to notice');
    });
    await second.waitForState('lobby', 15_000);
    await until(() => b.lines.filter((line) => line.endsWith('cluster: redis connection ready')).length >= 1, 10_000, 'node B reconnected');

    const organizer = new NativeCaller(b.url, { speed: 2 });
    await organizer.start(8000, '+15550403');
    await organizer.waitForState('collecting-conference-id');
    await organizer.press('123456#');
    await organizer.waitForState('leader-question');
    await organizer.press('*');
    await organizer.waitForState('collecting-pin');
    await organizer.press(`${a.demoPin}#`);
    await organizer.waitForState('in-meeting', 15_000);
    await first.waitForState('in-meeting', 10_000);
    await second.waitForState('in-meeting', 10_000);

    // Each guest was queued once (first before the restart, second after) and admitted once.
    for (const guest of [first, second]) {
      expect(guest.events.filter((e) => e.event === 'admitted')).toHaveLength(1);
      expect(guest.events.filter((e) => e.event === 'state-entered' && e.state === 'lobby')).toHaveLength(1);
    }
    expect(a.lines.filter((line) => / lobby position \d$/.test(line)).map((line) => line.slice(-1))).toEqual(['1', '2']);
    const [listing] = (await (await fetch(`${b.url}/api/conferences`)).json()) as { participants: unknown[] }[];
    expect(listing!.participants).toHaveLength(3);
    for (const caller of [first, second, organizer]) caller.close();
  }, 60_000);
});

/**
 * PIN guessing spread over two servers of one bridge on one PostgreSQL
 * directory: 100 calls at once, half on each server, each keying a wrong
 * PIN. The failures are counted once each, whichever server took the call,
 * and the lock that the limit sets is seen by the calls of both.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startPostgres, type PostgresServer } from '../../helpers/postgres-server.ts';
import { startRedis, type TestRedis } from '../../helpers/redis-server.ts';
import { NativeCaller } from '../test-callers.ts';
import { wrongPin } from '../test-server.ts';
import { startNode, type ClusterTestNode } from './cluster-nodes.ts';

let redis: TestRedis;
let postgres: PostgresServer;
let nodes: ClusterTestNode[] = [];

beforeAll(async () => {
  [redis, postgres] = await Promise.all([startRedis(), startPostgres()]);
}, 60_000);

afterAll(async () => {
  await Promise.all(nodes.map((node) => node.close()));
  await redis?.stop();
  await postgres?.stop();
});

/** Dials in as the organizer on `url`, keys one PIN and hangs up once it is checked. */
async function guessOnce(url: string, pin: string): Promise<void> {
  const caller = new NativeCaller(url, { speed: 2 });
  try {
    await caller.start(8000);
    await caller.waitForState('collecting-conference-id', 20_000);
    await caller.press('123456#');
    await caller.waitForState('leader-question', 20_000);
    await caller.press('*');
    await caller.waitForState('collecting-pin', 20_000);
    const keyed = caller.events.length;
    await caller.press(`${pin}#`);
    await caller.waitFor((e) => caller.events.indexOf(e) >= keyed && e.event === 'state-entered' && e.state !== 'verifying-pin', 60_000);
  } finally {
    caller.close();
  }
}

describe('100 parallel wrong PINs over two servers on one PostgreSQL', () => {
  it('counts each failure once and locks the organizer on both servers at the limit', async () => {
    const db = await postgres.createDatabase();
    const first = await startNode(redis.url, db);
    nodes.push(first);
    const pin = first.demoPin!;
    await first.directory.setPolicy({ maxLogonAttempts: { local: 30, global: 1000 } });
    const second = await startNode(redis.url, db);
    nodes.push(second);

    await Promise.all(Array.from({ length: 100 }, (_, i) => guessOnce((i % 2 ? first : second).url, wrongPin(pin))));
    const checks = (node: ClusterTestNode) => node.lines.filter((line) => / pin-checked /.test(line));
    const all = [...checks(first), ...checks(second)];
    expect(all).toHaveLength(100);
    expect(all.filter((line) => line.endsWith(' pin-checked rejected'))).toHaveLength(30);
    expect(all.filter((line) => line.endsWith(' pin-checked locked'))).toHaveLength(70);
    // Both servers' calls met the lock, whichever server's calls crossed the limit.
    for (const node of [first, second]) expect(checks(node).some((line) => line.endsWith(' pin-checked locked'))).toBe(true);
    for (const node of [first, second]) {
      expect(await node.directory.getStatus('amos')).toMatchObject({ lockedOut: true, lockKind: 'local', failures: 30 });
      expect(node.lines.join('\n')).not.toContain(pin);
    }
  }, 180_000);
});

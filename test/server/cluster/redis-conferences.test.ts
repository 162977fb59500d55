/**
 * The shared conference registry between nodes, without calls: two nodes
 * racing to start one conference start it once, and every node hears the
 * news of its own participants in commit order; the event stream carries
 * transitions, from which any copy of a conference follows Redis's.
 */
import { Redis } from 'ioredis';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import type { ConferenceEmitted } from '../../../src/flow/conference-machine.ts';
import type { ConferenceRegistry } from '../../../src/flow/ivr/conference-registry.ts';
import { ClusterKeys } from '../../../src/server/cluster/cluster-keys.ts';
import { ClusterError, ClusterNode } from '../../../src/server/cluster/cluster-node.ts';
import { entryFields } from '../../../src/server/cluster/event-stream.ts';
import { RedisConferences } from '../../../src/server/cluster/redis-conferences.ts';
import { startRedis, type TestRedis } from '../../helpers/redis-server.ts';
import { until } from './cluster-nodes.ts';

let redis: TestRedis;
const nodes: ClusterNode[] = [];

beforeAll(async () => {
  redis = await startRedis();
});

afterEach(async () => {
  await Promise.all(nodes.splice(0).map((node) => node.close()));
});

afterAll(async () => {
  await redis?.stop();
});

interface TestNode {
  readonly node: ClusterNode;
  readonly registry: ConferenceRegistry;
  readonly heard: { conferenceId: string; event: ConferenceEmitted }[];
}

async function join(keyPrefix: string): Promise<TestNode> {
  const node = await ClusterNode.connect({ url: redis.url, keyPrefix }, () => {});
  nodes.push(node);
  const heard: TestNode['heard'] = [];
  const registry = node.registry((conferenceId, event) => heard.push({ conferenceId, event }));
  await node.start();
  return { node, registry, heard };
}

describe('conferences shared on Redis', () => {
  it('starts a conference once, and admits its lobby once, when two nodes start it at the same moment', async () => {
    const [a, b] = [await join('race:'), await join('race:')];
    const ids = Array.from({ length: 40 }, (_, i) => `room${i}`);
    const guest = `${a.node.nodeId}-c9`;
    for (const id of ids) a.registry.send(id, { type: 'ENTER_LOBBY', participantId: guest });
    await until(() => a.heard.filter((news) => news.event.type === 'queued').length === ids.length, 10_000, 'the guest queued everywhere');
    for (const id of ids) {
      // Both organizers hold a leader PIN; whoever commits second joins the running meeting.
      a.registry.send(id, { type: 'LEADER_START', participantId: `${a.node.nodeId}-c1`, userId: 'amos', how: 'leader-pin' });
      b.registry.send(id, { type: 'LEADER_START', participantId: `${b.node.nodeId}-c1`, userId: 'amos', how: 'leader-pin' });
    }
    const news = (id: string) => ({
      starts: [...a.heard, ...b.heard].filter((heard) => heard.conferenceId === id && heard.event.type === 'meeting-started'),
      joins: [...a.heard, ...b.heard].filter((heard) => heard.conferenceId === id && heard.event.type === 'admitted' && !heard.event.fromLobby),
    });
    // A node's snapshot takes its own commit at once; the news of it comes through the event stream, a moment later.
    await until(
      () => ids.every((id) => a.registry.snapshot(id)?.participants.length === 3 && b.registry.snapshot(id)?.participants.length === 3 && news(id).starts.length >= 2 && news(id).joins.length >= 1),
      10_000,
      'both organizers in every meeting, and the news of it heard',
    );
    for (const id of ids) {
      const { starts, joins } = news(id);
      const admissions = a.heard.filter((news) => news.conferenceId === id && news.event.type === 'admitted' && news.event.fromLobby);
      expect(admissions.map((news) => news.event)).toEqual([{ type: 'admitted', participantId: guest, fromLobby: true }]);
      const by = new Set(starts.map((news) => (news.event as { by: string }).by));
      // One start, which each node hears (its calls in the conference need it); the other organizer joins it.
      expect(starts).toHaveLength(2);
      expect(by.size).toBe(1);
      expect(joins).toHaveLength(1);
      expect(joins[0]!.event).toMatchObject({ type: 'admitted', fromLobby: false });
      expect(by.has((joins[0]!.event as { participantId: string }).participantId)).toBe(false);
      expect(a.registry.snapshot(id)).toEqual(b.registry.snapshot(id));
      expect(by.has(a.registry.snapshot(id)!.leader!)).toBe(true);
    }
  });

  it('admits the lobby of every node, in arrival order, when one node starts the meeting', async () => {
    const [a, b] = [await join('lobby:'), await join('lobby:')];
    const guestA = `${a.node.nodeId}-c1`;
    const guestB = `${b.node.nodeId}-c1`;
    a.registry.send('123456', { type: 'ENTER_LOBBY', participantId: guestA });
    await until(() => a.heard.some((news) => news.event.type === 'queued'), 5_000, 'guest A queued');
    b.registry.send('123456', { type: 'ENTER_LOBBY', participantId: guestB });
    await until(() => b.heard.some((news) => news.event.type === 'queued'), 5_000, 'guest B queued');
    expect(b.registry.snapshot('123456')?.lobby).toEqual([guestA, guestB]);

    b.registry.send('123456', { type: 'LEADER_START', participantId: `${b.node.nodeId}-c2`, userId: 'amos', how: 'leader-pin' });
    await until(() => a.heard.some((news) => news.event.type === 'admitted'), 5_000, 'guest A admitted');
    // Each node hears the start and its own callers' admission, not the other node's.
    expect(a.heard.map((news) => news.event.type)).toEqual(['queued', 'meeting-started', 'admitted']);
    await until(() => b.heard.filter((news) => news.event.type === 'admitted').length === 1, 5_000, 'guest B admitted');
    expect(b.heard.filter((news) => news.event.type === 'admitted').map((news) => news.event)).toEqual([{ type: 'admitted', participantId: guestB, fromLobby: true }]);
    expect(a.registry.snapshot('123456')?.participants).toEqual([`${b.node.nodeId}-c2`, guestA, guestB]);
  });

  it('streams each transition, not the conference, and a copy that missed entries reads the conference and follows on', async () => {
    const a = await join('replay:');
    const guests = Array.from({ length: 300 }, (_, i) => `${a.node.nodeId}-c${i}`);
    for (const guest of guests) a.registry.send('777', { type: 'ENTER_LOBBY', participantId: guest });
    await until(() => a.heard.filter((news) => news.event.type === 'queued').length === guests.length, 10_000, 'every guest queued');
    const client = new Redis(redis.url);
    try {
      const entries = (await client.xrange('replay:events', '-', '+')).map(([, list]) => entryFields(list));
      expect(entries).toHaveLength(guests.length);
      const bytes = (fields: Record<string, string>) => Object.entries(fields).join('').length;
      // The hash holds 300 guests and their holders; the last entry, like the first, one guest's arrival.
      expect(bytes(await client.hgetall('replay:conf:777'))).toBeGreaterThan(10_000);
      expect(Math.max(...entries.map(bytes))).toBeLessThan(400);

      const copy = () => new RedisConferences({ redis: client, keys: new ClusterKeys('replay:'), nodeId: 'nx', onEmitted: () => {}, callerOf: () => undefined, log: () => {} });
      const replayed = copy();
      for (const fields of entries) replayed.applyEntry(fields);
      expect(replayed.snapshot('777')).toEqual(a.registry.snapshot('777'));
      expect(replayed.holder(guests[299]!)).toEqual({ node: a.node.nodeId });

      const behind = copy();
      behind.applyEntry(entries[0]!);
      for (const fields of entries.slice(-3)) behind.applyEntry(fields);
      await until(() => behind.snapshot('777')?.lobby.length === guests.length, 5_000, 'the copy read from Redis');
      expect(behind.snapshot('777')).toEqual(a.registry.snapshot('777'));
      expect(behind.holder(guests[150]!)).toEqual({ node: a.node.nodeId });
    } finally {
      client.disconnect();
    }
  });

  it('closes within its time limit when Redis is gone, leaving the clean-up to the others', async () => {
    const lonely = await startRedis();
    const lines: string[] = [];
    const node = await ClusterNode.connect({ url: lonely.url }, (line) => lines.push(line));
    const registry = node.registry(() => {});
    await node.start();
    await lonely.stop();
    registry.send('123456', { type: 'ENTER_LOBBY', participantId: `${node.nodeId}-c1` });
    const started = performance.now();
    await node.close();
    expect(performance.now() - started).toBeLessThan(5_000);
    expect(lines).toContain('cluster: redis did not answer on close; the other servers will clean up after this one');
  }, 15_000);

  it('refuses to start when Redis cannot be reached, naming the URL', async () => {
    const error = await ClusterNode.connect({ url: 'redis://127.0.0.1:1' }, () => {}).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(ClusterError);
    expect(error).toMatchObject({ code: 'E_CLUSTER', message: expect.stringMatching(/^--redis redis:\/\/127\.0\.0\.1:1: cannot connect/) });
  });
});

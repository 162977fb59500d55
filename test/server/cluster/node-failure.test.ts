/**
 * A node that dies (kill -9) in a bridge of two: its calls end, the other
 * node's go on; once its lease lapses the survivor removes its lobby
 * callers, a later organizer admits the others, and a meeting held only by
 * its calls is no longer "started".
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startRedis, type TestRedis } from '../../helpers/redis-server.ts';
import { NativeCaller } from '../test-callers.ts';
import { sharedDatabase, startNode, startNodeProcess, until, type ClusterTestNode } from './cluster-nodes.ts';

/** Short, so the test does not wait long for the dead node's lease to lapse. */
const LEASE_MS = 1500;

let redis: TestRedis;
let database: ReturnType<typeof sharedDatabase>;
let survivor: ClusterTestNode;

beforeAll(async () => {
  redis = await startRedis();
  database = sharedDatabase();
  survivor = await startNode(redis.url, database.db, { clusterLeaseMs: LEASE_MS });
});

afterAll(async () => {
  await survivor?.close();
  await redis?.stop();
  database?.remove();
});

interface Listing {
  started: boolean;
  leader?: string;
  lobby: { callId: string; from?: string }[];
  participants: { callId?: string }[];
}

async function conference(): Promise<Listing> {
  const [listing] = (await (await fetch(`${survivor.url}/api/conferences`)).json()) as Listing[];
  return listing!;
}

async function guestInLobby(url: string, from: string): Promise<NativeCaller> {
  const guest = new NativeCaller(url, { speed: 2 });
  await guest.start(8000, from);
  await guest.waitForState('collecting-conference-id');
  await guest.press('123456#');
  await guest.waitForState('leader-question');
  await guest.press('#');
  await guest.waitForState('lobby');
  return guest;
}

async function organizerIn(url: string): Promise<NativeCaller> {
  const organizer = new NativeCaller(url, { speed: 2 });
  await organizer.start(8000, '+15550200');
  await organizer.waitForState('collecting-conference-id');
  await organizer.press('123456#');
  await organizer.waitForState('leader-question');
  await organizer.press('*');
  await organizer.waitForState('collecting-pin');
  await organizer.press(`${survivor.demoPin}#`);
  await organizer.waitForState('in-meeting', 15_000);
  return organizer;
}

describe('a node killed with SIGKILL', () => {
  it("ends its calls only; the survivor removes its lobby callers and a later organizer admits the rest", async () => {
    const doomed = await startNodeProcess(redis.url, database.db, LEASE_MS);
    const lost = await guestInLobby(doomed.url, '+15550301');
    const kept = await guestInLobby(survivor.url, '+15550302');
    await until(async () => (await conference()).lobby.length === 2, 5_000, 'both guests in the lobby');

    doomed.child.kill('SIGKILL');
    await doomed.exited;
    expect((await lost.closed).code).toBe(1006); // cut, no close frame: the process is gone
    await until(async () => (await conference()).lobby.length === 1, LEASE_MS * 4, 'the dead node\'s guest removed');
    expect((await conference()).lobby).toEqual([{ callId: expect.stringMatching(/^n[0-9a-f]{6}-c\d+$/), from: '+15550302' }]);
    expect(survivor.lines.some((line) => /cluster: removed 1 caller\(s\) of node n[0-9a-f]{6}$/.test(line))).toBe(true);

    // The survivor's guest waited on throughout and is admitted by a later organizer.
    expect(kept.events.filter((e) => e.event === 'hung-up')).toEqual([]);
    const organizer = await organizerIn(survivor.url);
    await kept.waitForState('in-meeting', 10_000);
    const listing = await conference();
    expect(listing.started).toBe(true);
    expect(listing.participants).toHaveLength(2);
    kept.hangup();
    organizer.hangup();
    await until(async () => !(await conference()).started, 5_000, 'the meeting to end');
  }, 120_000);

  it('leaves no meeting started that only its calls were in', async () => {
    const doomed = await startNodeProcess(redis.url, database.db, LEASE_MS);
    const organizer = await organizerIn(doomed.url);
    await until(async () => (await conference()).started, 5_000, 'the meeting started on the doomed node');
    doomed.child.kill('SIGKILL');
    await doomed.exited;
    await organizer.closed;
    await until(async () => !(await conference()).started, LEASE_MS * 4, 'the dead meeting to end');
    expect(await conference()).toMatchObject({ started: false, lobby: [], participants: [] });

    // A new meeting starts as usual afterwards.
    const next = await organizerIn(survivor.url);
    expect((await conference()).started).toBe(true);
    next.hangup();
  }, 120_000);
});

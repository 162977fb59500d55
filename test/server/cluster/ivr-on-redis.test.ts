/**
 * Two Ivrs whose conferences are on one Redis, driven the way a media
 * layer would (test/flow/ivr-harness.ts): the organizer joining from the
 * app on one node admits a lobby caller on the other, and ending the
 * meeting from that other node sends every call home. The conference
 * replies arrive through Redis, so each step waits for them.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ClusterNode } from '../../../src/server/cluster/cluster-node.ts';
import { startRedis, type TestRedis } from '../../helpers/redis-server.ts';
import { IvrHarness } from '../../flow/ivr-harness.ts';
import { until } from './cluster-nodes.ts';

let redis: TestRedis;
const nodes: ClusterNode[] = [];

beforeAll(async () => {
  redis = await startRedis();
});

afterAll(async () => {
  for (const node of nodes) await node.close();
  await redis?.stop();
});

async function harnessOnRedis(): Promise<IvrHarness> {
  const node = await ClusterNode.connect({ url: redis.url }, () => {});
  nodes.push(node);
  const harness = new IvrHarness({ conferences: node.registry });
  await node.start();
  return harness;
}

/** Finishes the prompt the call plays once it is `prompt`. */
async function finishWhenPlaying(h: IvrHarness, callId: string, prompt: string): Promise<void> {
  await until(() => h.playing(callId) === prompt, 5_000, `${callId} playing ${prompt}`);
  h.finish(callId, prompt as never);
}

describe('the Ivr on conferences shared through Redis', () => {
  it('admits a lobby caller on one node when the organizer joins from the app on another, and ends the meeting from either', async () => {
    const a = await harnessOnRedis();
    const b = await harnessOnRedis();
    a.ivr.startCall({ callId: 'a-c1' });
    a.finish('a-c1', 'welcome');
    a.finish('a-c1', 'enter-conference-id');
    a.keys('a-c1', '1234#');
    await until(() => a.ivr.callState('a-c1') === 'leader-question', 5_000, 'the leader question');
    a.keys('a-c1', '#');
    await finishWhenPlaying(a, 'a-c1', 'waiting-for-leader');
    await until(() => b.ivr.conference('1234')?.lobby.includes('a-c1') === true, 5_000, 'node B to see the lobby');

    expect(await b.ivr.appJoin('alice', '1234')).toEqual({ ok: true, participantId: 'app:alice', startedMeeting: true, alreadyJoined: false });
    await finishWhenPlaying(a, 'a-c1', 'joining-meeting');
    expect(a.ivr.callState('a-c1')).toBe('in-meeting');
    expect(a.events.filter((e) => e.type === 'admitted')).toEqual([{ type: 'admitted', conferenceId: '1234', participantId: 'a-c1', callId: 'a-c1', fromLobby: true }]);
    // Node A heard the start by the app; node B, which holds no call, heard no admission.
    expect(a.events.filter((e) => e.type === 'meeting-started')).toMatchObject([{ conferenceId: '1234', by: 'app:alice', how: 'app' }]);
    expect(b.events.filter((e) => e.type === 'admitted' && e.callId !== undefined)).toEqual([]);

    await until(() => a.ivr.conference('1234')?.participants.length === 2, 5_000, 'node A to see the app participant');
    expect(a.ivr.endMeeting('1234')).toBe(true);
    await finishWhenPlaying(a, 'a-c1', 'goodbye');
    expect(a.hangupReason('a-c1')).toBe('meeting-ended');
    await until(() => b.ivr.conference('1234')?.started === false, 5_000, 'node B to see the meeting end');
    expect(b.ivr.conference('1234')).toEqual({ id: '1234', started: false, lobby: [], participants: [] });
  });
});

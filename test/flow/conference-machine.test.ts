import { describe, expect, it } from 'vitest';
import { createActor } from 'xstate';
import { conferenceMachine, type ConferenceEmitted } from '../../src/flow/conference-machine.ts';

function conference() {
  const actor = createActor(conferenceMachine, { input: { conferenceId: '1234' } });
  const emitted: ConferenceEmitted[] = [];
  actor.on('*', (event) => emitted.push(event));
  actor.start();
  const lobby = () => [...actor.getSnapshot().context.lobby.keys()];
  const participants = () => [...actor.getSnapshot().context.participants.keys()];
  return { actor, emitted, lobby, participants, state: () => actor.getSnapshot().value };
}

describe('conference machine', () => {
  it('asks arrivals for a leader while not started', () => {
    const c = conference();
    c.actor.send({ type: 'ARRIVE', participantId: 'a', allowAnonymousStart: false });
    expect(c.emitted).toEqual([{ type: 'must-ask-leader', participantId: 'a' }]);
    expect(c.state()).toBe('not-started');
  });

  it('queues lobby callers in arrival order with their positions', () => {
    const c = conference();
    for (const id of ['a', 'b', 'c']) c.actor.send({ type: 'ENTER_LOBBY', participantId: id });
    c.actor.send({ type: 'ENTER_LOBBY', participantId: 'a' }); // already queued
    expect(c.lobby()).toEqual(['a', 'b', 'c']);
    expect(c.emitted.map((e) => (e.type === 'queued' ? e.position : -1))).toEqual([1, 2, 3]);
  });

  it('starts on LEADER_START: leader first, then the lobby admitted in arrival order', () => {
    const c = conference();
    for (const id of ['a', 'b', 'c']) c.actor.send({ type: 'ENTER_LOBBY', participantId: id });
    c.actor.send({ type: 'LEAVE', participantId: 'b' });
    c.emitted.length = 0;
    c.actor.send({ type: 'LEADER_START', participantId: 'lead', userId: 'alice', how: 'leader-pin' });
    expect(c.emitted).toEqual([
      { type: 'meeting-started', by: 'lead', how: 'leader-pin', userId: 'alice' },
      { type: 'admitted', participantId: 'a', fromLobby: true },
      { type: 'admitted', participantId: 'c', fromLobby: true },
    ]);
    expect(c.state()).toBe('started');
    expect(c.lobby()).toEqual([]);
    expect(c.participants()).toEqual(['lead', 'a', 'c']);
    expect(c.actor.getSnapshot().context.leader).toBe('lead');
  });

  it('takes a leader out of the lobby before admitting the others', () => {
    const c = conference();
    for (const id of ['a', 'b']) c.actor.send({ type: 'ENTER_LOBBY', participantId: id });
    c.actor.send({ type: 'LEADER_START', participantId: 'b', userId: 'alice', how: 'leader-pin' });
    expect(c.emitted.filter((e) => e.type === 'admitted')).toEqual([{ type: 'admitted', participantId: 'a', fromLobby: true }]);
    expect(c.participants()).toEqual(['b', 'a']);
  });

  it('starts on an arrival when anonymous start is allowed', () => {
    const c = conference();
    c.actor.send({ type: 'ENTER_LOBBY', participantId: 'a' });
    c.actor.send({ type: 'ARRIVE', participantId: 'b', allowAnonymousStart: true });
    expect(c.emitted.slice(1)).toEqual([
      { type: 'meeting-started', by: 'b', how: 'anonymous' },
      { type: 'admitted', participantId: 'a', fromLobby: true },
    ]);
  });

  it('admits newcomers of a running meeting at once', () => {
    const c = conference();
    c.actor.send({ type: 'LEADER_START', participantId: 'lead', userId: 'alice', how: 'app' });
    c.actor.send({ type: 'ARRIVE', participantId: 'a', allowAnonymousStart: false });
    c.actor.send({ type: 'ENTER_LOBBY', participantId: 'b' });
    expect(c.emitted.slice(1)).toEqual([
      { type: 'admitted', participantId: 'a', fromLobby: false },
      { type: 'admitted', participantId: 'b', fromLobby: false },
    ]);
  });

  it('ends when the organizer ends it, dismissing every participant, and can start again', () => {
    const c = conference();
    c.actor.send({ type: 'LEADER_START', participantId: 'lead', userId: 'alice', how: 'leader-pin' });
    c.actor.send({ type: 'ARRIVE', participantId: 'a', allowAnonymousStart: false });
    c.emitted.length = 0;
    c.actor.send({ type: 'END' });
    expect(c.emitted).toEqual([
      { type: 'meeting-ended', reason: 'ended-by-organizer' },
      { type: 'dismissed', participantId: 'lead' },
      { type: 'dismissed', participantId: 'a' },
    ]);
    expect(c.state()).toBe('not-started');
    expect(c.participants()).toEqual([]);
    c.actor.send({ type: 'ARRIVE', participantId: 'b', allowAnonymousStart: false });
    expect(c.emitted.at(-1)).toEqual({ type: 'must-ask-leader', participantId: 'b' });
  });

  it('ends when the last participant leaves, not before', () => {
    const c = conference();
    c.actor.send({ type: 'LEADER_START', participantId: 'lead', userId: 'alice', how: 'leader-pin' });
    c.actor.send({ type: 'ARRIVE', participantId: 'a', allowAnonymousStart: false });
    c.actor.send({ type: 'LEAVE', participantId: 'lead' });
    expect(c.state()).toBe('started');
    c.actor.send({ type: 'LEAVE', participantId: 'a' });
    expect(c.emitted.slice(-2)).toEqual([
      { type: 'left', participantId: 'a', from: 'meeting' },
      { type: 'meeting-ended', reason: 'last-participant-left' },
    ]);
    expect(c.state()).toBe('not-started');
  });

  it('ignores LEAVE from someone it does not know', () => {
    const c = conference();
    c.actor.send({ type: 'LEAVE', participantId: 'ghost' });
    c.actor.send({ type: 'LEADER_START', participantId: 'lead', userId: 'alice', how: 'leader-pin' });
    c.actor.send({ type: 'LEAVE', participantId: 'ghost' });
    expect(c.emitted).toEqual([{ type: 'meeting-started', by: 'lead', how: 'leader-pin', userId: 'alice' }]);
    expect(c.state()).toBe('started');
  });
});

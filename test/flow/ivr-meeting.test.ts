import { describe, expect, it } from 'vitest';
import { IvrHarness } from './ivr-harness.ts';

describe('the organizer in the app', () => {
  it('starts the meeting from the app and admits the lobby', async () => {
    const h = new IvrHarness();
    await h.toLobby('c1');
    await h.toLobby('c2');
    const result = await h.ivr.appJoin('alice', '1234');
    expect(result).toEqual({ ok: true, participantId: 'app:alice', startedMeeting: true, alreadyJoined: false });
    expect(h.events).toContainEqual({
      type: 'meeting-started',
      conferenceId: '1234',
      by: 'app:alice',
      how: 'app',
      userId: 'alice',
    });
    expect(h.playing('c1')).toBe('joining-meeting');
    expect(h.ivr.conference('1234')).toEqual({
      id: '1234',
      started: true,
      leader: 'app:alice',
      lobby: [],
      participants: ['app:alice', 'c1', 'c2'],
    });
  });

  it('refuses a user who does not organize the conference, and an unknown conference', async () => {
    const h = new IvrHarness();
    await h.toLobby('c1');
    expect(await h.ivr.appJoin('bob', '1234')).toEqual({ ok: false, reason: 'not-organizer' });
    expect(await h.ivr.appJoin('alice', '0000')).toEqual({ ok: false, reason: 'unknown-conference' });
    expect(h.ivr.conference('1234')?.started).toBe(false);
    expect(h.playing('c1')).toBe('hold-music');
  });

  it('joins a running meeting without starting it again', async () => {
    const h = new IvrHarness();
    await h.lead('leader');
    expect(await h.ivr.appJoin('alice', '1234')).toEqual({
      ok: true,
      participantId: 'app:alice',
      startedMeeting: false,
      alreadyJoined: false,
    });
    expect(await h.ivr.appJoin('alice', '1234')).toMatchObject({ ok: true, alreadyJoined: true });
    expect(h.since(0, 'meeting-started')).toHaveLength(1);
    expect(h.ivr.conference('1234')?.participants).toEqual(['leader', 'app:alice']);
  });
});

describe('the end of a meeting', () => {
  it('ends when the organizer ends it: participants hear goodbye and hang up', async () => {
    const h = new IvrHarness();
    await h.toLobby('c1');
    await h.lead('leader');
    h.finish('c1', 'joining-meeting');
    expect(h.ivr.endMeeting('1234')).toBe(true);
    expect(h.events).toContainEqual({ type: 'meeting-ended', conferenceId: '1234', reason: 'ended-by-organizer' });
    for (const callId of ['c1', 'leader']) {
      expect(h.playing(callId)).toBe('goodbye');
      h.finish(callId, 'goodbye');
      expect(h.hangupReason(callId)).toBe('meeting-ended');
    }
    expect(h.ivr.conference('1234')).toEqual({ id: '1234', started: false, lobby: [], participants: [] });
    expect(h.ivr.endMeeting('1234')).toBe(false);
  });

  it('ends a meeting whose participant is still hearing joining-meeting', async () => {
    const h = new IvrHarness();
    await h.toLobby('c1');
    await h.lead('leader');
    h.ivr.endMeeting('1234');
    expect(h.eventsFor('c1')).toContainEqual({ type: 'stop-prompt', callId: 'c1', prompt: 'joining-meeting', reason: 'interrupted' });
    h.finish('c1', 'goodbye');
    expect(h.hangupReason('c1')).toBe('meeting-ended');
  });

  it('ends when the last participant leaves', async () => {
    const h = new IvrHarness();
    await h.lead('leader');
    await h.dialIn('c2', '1234');
    h.finish('c2', 'joining-meeting');
    h.ivr.hangup('leader');
    expect(h.ivr.conference('1234')?.started).toBe(true);
    h.ivr.hangup('c2');
    expect(h.events.at(-2)).toEqual({ type: 'meeting-ended', conferenceId: '1234', reason: 'last-participant-left' });
    expect(h.ivr.conference('1234')?.started).toBe(false);
  });

  it('ends when the app organizer, the last participant, leaves', async () => {
    const h = new IvrHarness();
    await h.ivr.appJoin('alice', '1234');
    expect(h.ivr.appLeave('alice', '1234')).toBe(true);
    expect(h.events.at(-1)).toEqual({ type: 'meeting-ended', conferenceId: '1234', reason: 'last-participant-left' });
    expect(h.ivr.appLeave('alice', '1234')).toBe(false);
  });

  it('starts again later: new callers get the leader question again', async () => {
    const h = new IvrHarness();
    await h.lead('leader');
    h.ivr.endMeeting('1234');
    h.finish('leader', 'goodbye');
    await h.dialIn('c2', '1234');
    expect(h.ivr.callState('c2')).toBe('leader-question');
    h.keys('c2', '#');
    await h.lead('leader2');
    expect(h.since(0, 'meeting-started').map((event) => event.by)).toEqual(['leader', 'leader2']);
    expect(h.playing('c2')).toBe('joining-meeting');
  });
});

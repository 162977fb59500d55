import { describe, expect, it } from 'vitest';
import { IvrHarness, settle } from './ivr-harness.ts';

describe('the lobby', () => {
  it('plays waiting-for-leader, then loops hold-music until admitted', async () => {
    const h = new IvrHarness();
    await h.dialIn('c1', '1234');
    h.keys('c1', '#');
    expect(h.eventsFor('c1')).toContainEqual({ type: 'lobby-entered', callId: 'c1', conferenceId: '1234', position: 1 });
    h.finish('c1', 'waiting-for-leader');
    expect(h.eventsFor('c1').at(-1)).toEqual({ type: 'play', callId: 'c1', prompt: 'hold-music', loop: true });
    h.advance(3_600_000);
    expect(h.ivr.callState('c1')).toBe('lobby');
    expect(h.playing('c1')).toBe('hold-music');
  });

  it('admits every lobby caller in arrival order when the leader keys the PIN', async () => {
    const h = new IvrHarness();
    for (const callId of ['a', 'b', 'c', 'd']) await h.toLobby(callId);
    h.ivr.hangup('b');
    expect(h.ivr.conference('1234')?.lobby).toEqual(['a', 'c', 'd']);
    const mark = h.events.length;
    await h.toPinEntry('leader');
    await h.enterPin('leader', '5678');
    const admitted = h.since(mark, 'admitted').map((event) => event.callId);
    expect(admitted).toEqual(['a', 'c', 'd']);
    const started = h.events.findIndex((event) => event.type === 'meeting-started');
    const firstAdmitted = h.events.findIndex((event) => event.type === 'admitted');
    expect(started).toBeLessThan(firstAdmitted);
    for (const callId of ['a', 'c', 'd']) {
      expect(h.eventsFor(callId)).toContainEqual({ type: 'stop-prompt', callId, prompt: 'hold-music', reason: 'interrupted' });
      expect(h.ivr.callState(callId)).toBe('lobby');
      h.finish(callId, 'joining-meeting');
      expect(h.ivr.callState(callId)).toBe('in-meeting');
    }
    expect(h.ivr.conference('1234')).toEqual({
      id: '1234',
      started: true,
      leader: 'leader',
      lobby: [],
      participants: ['leader', 'a', 'c', 'd'],
    });
  });

  it('admits 1,000 lobby callers in arrival order', async () => {
    const h = new IvrHarness();
    const ids = Array.from({ length: 1_000 }, (_, i) => `caller-${i}`);
    for (const callId of ids) {
      h.ivr.startCall({ callId });
      h.keys(callId, '1234#');
    }
    await settle();
    for (const callId of ids) h.keys(callId, '#');
    expect(h.ivr.conference('1234')?.lobby).toEqual(ids);
    const mark = h.events.length;
    await h.lead('leader');
    expect(h.since(mark, 'admitted').map((event) => event.participantId)).toEqual(ids);
  });

  it('offers PIN entry on * and starts the meeting from the lobby', async () => {
    const h = new IvrHarness();
    await h.toLobby('early');
    await h.toLobby('c1');
    h.keys('c1', '*');
    expect(h.eventsFor('c1')).toContainEqual({ type: 'stop-prompt', callId: 'c1', prompt: 'hold-music', reason: 'barge-in' });
    expect(h.ivr.callState('c1')).toBe('collecting-pin');
    expect(h.ivr.conference('1234')?.lobby).toEqual(['early', 'c1']); // keeps its place meanwhile
    h.finish('c1', 'enter-pin');
    await h.enterPin('c1', '5678');
    h.finish('c1', 'meeting-started');
    expect(h.ivr.callState('c1')).toBe('in-meeting');
    expect(h.ivr.conference('1234')?.participants).toEqual(['c1', 'early']);
  });

  it('returns to hold music when # alone is keyed after * in the lobby', async () => {
    const h = new IvrHarness();
    await h.toLobby('c1');
    h.keys('c1', '*');
    h.keys('c1', '#');
    expect(h.ivr.callState('c1')).toBe('lobby');
    expect(h.playing('c1')).toBe('hold-music');
    expect(h.ivr.conference('1234')?.lobby).toEqual(['c1']);
    expect(h.since(0, 'lobby-entered')).toHaveLength(1);
  });

  it('still hangs up after three wrong PINs tried from the lobby', async () => {
    const h = new IvrHarness();
    await h.toLobby('c1');
    h.keys('c1', '*');
    await h.enterPin('c1', '1111');
    await h.enterPin('c1', '2222');
    await h.enterPin('c1', '3333');
    expect(h.playing('c1')).toBe('goodbye');
    expect(h.ivr.conference('1234')?.lobby).toEqual([]); // left the queue before goodbye
    await h.lead('leader');
    expect(h.playing('c1')).toBe('goodbye');
    h.finish('c1', 'goodbye');
    expect(h.hangupReason('c1')).toBe('pin-failures');
  });

  it('admits a caller who is trying a PIN from the lobby when someone else starts the meeting', async () => {
    const h = new IvrHarness();
    await h.toLobby('c1');
    h.keys('c1', '*');
    h.finish('c1', 'enter-pin');
    h.keys('c1', '12');
    await h.lead('leader');
    expect(h.ivr.callState('c1')).toBe('lobby');
    expect(h.playing('c1')).toBe('joining-meeting');
    h.advance(60_000); // the PIN timeouts were stopped
    h.finish('c1', 'joining-meeting');
    expect(h.ivr.callState('c1')).toBe('in-meeting');
  });

  it('admits at once a caller who chooses the lobby of a running meeting', async () => {
    const h = new IvrHarness();
    await h.dialIn('c1', '1234');
    await h.lead('leader');
    h.keys('c1', '#');
    expect(h.prompts('c1')).not.toContain('waiting-for-leader');
    expect(h.playing('c1')).toBe('joining-meeting');
  });

  it('has no lobby timeout by default', async () => {
    const h = new IvrHarness();
    await h.toLobby('c1');
    expect(h.clock.pending()).toBe(0);
    h.advance(24 * 3_600_000);
    expect(h.playing('c1')).toBe('hold-music');
  });

  it('says goodbye when the configured lobby timeout expires', async () => {
    const h = new IvrHarness({ options: { lobbyTimeoutMs: 600_000 } });
    await h.toLobby('c1');
    h.advance(599_999);
    expect(h.playing('c1')).toBe('hold-music');
    h.advance(1);
    expect(h.eventsFor('c1')).toContainEqual({ type: 'stop-prompt', callId: 'c1', prompt: 'hold-music', reason: 'interrupted' });
    expect(h.playing('c1')).toBe('goodbye');
    expect(h.ivr.conference('1234')?.lobby).toEqual([]);
    h.finish('c1', 'goodbye');
    expect(h.hangupReason('c1')).toBe('lobby-timeout');
  });

  it('stops the lobby timeout when the caller is admitted', async () => {
    const h = new IvrHarness({ options: { lobbyTimeoutMs: 10_000 } });
    await h.toLobby('c1');
    await h.lead('leader');
    h.advance(20_000);
    h.finish('c1', 'joining-meeting');
    expect(h.ivr.callState('c1')).toBe('in-meeting');
  });
});

import { describe, expect, it } from 'vitest';
import { IvrHarness, settle } from './ivr-harness.ts';

describe('the leader question', () => {
  it('goes to PIN entry on *, stopping the question', async () => {
    const h = new IvrHarness();
    await h.dialIn('c1', '1234');
    h.keys('c1', '*');
    expect(h.eventsFor('c1')).toContainEqual({ type: 'stop-prompt', callId: 'c1', prompt: 'leader-question', reason: 'barge-in' });
    expect(h.ivr.callState('c1')).toBe('collecting-pin');
    expect(h.playing('c1')).toBe('enter-pin');
  });

  it('goes to the lobby on #', async () => {
    const h = new IvrHarness();
    await h.dialIn('c1', '1234');
    h.keys('c1', '#');
    expect(h.ivr.callState('c1')).toBe('lobby');
    expect(h.playing('c1')).toBe('waiting-for-leader');
  });

  it('goes to the lobby 5 s after the question has finished', async () => {
    const h = new IvrHarness();
    await h.dialIn('c1', '1234');
    h.advance(20_000); // still playing
    expect(h.ivr.callState('c1')).toBe('leader-question');
    h.finish('c1', 'leader-question');
    h.advance(4_999);
    expect(h.ivr.callState('c1')).toBe('leader-question');
    h.advance(1);
    expect(h.ivr.callState('c1')).toBe('lobby');
  });

  it('ignores other keys', async () => {
    const h = new IvrHarness();
    await h.dialIn('c1', '1234');
    h.finish('c1', 'leader-question');
    h.keys('c1', '5A');
    h.advance(5_000);
    expect(h.ivr.callState('c1')).toBe('lobby');
  });
});

describe('leader PIN entry', () => {
  it('starts the meeting for the organizer: meeting-started, then in-meeting', async () => {
    const h = new IvrHarness();
    await h.toPinEntry('c1');
    await h.enterPin('c1', '5678');
    expect(h.eventsFor('c1')).toContainEqual({
      type: 'pin-checked',
      callId: 'c1',
      conferenceId: '1234',
      outcome: 'accepted',
      mustChange: false,
    });
    expect(h.events).toContainEqual({
      type: 'meeting-started',
      conferenceId: '1234',
      by: 'c1',
      callId: 'c1',
      how: 'leader-pin',
      userId: 'alice',
    });
    expect(h.ivr.callState('c1')).toBe('verifying-pin');
    h.finish('c1', 'meeting-started');
    expect(h.ivr.callState('c1')).toBe('in-meeting');
    expect(h.ivr.conference('1234')).toEqual({
      id: '1234',
      started: true,
      leader: 'c1',
      lobby: [],
      participants: ['c1'],
    });
  });

  it('never puts the PIN in an event', async () => {
    const h = new IvrHarness();
    await h.toPinEntry('c1');
    await h.enterPin('c1', '5678');
    const text = JSON.stringify(h.events.filter((event) => event.type !== 'digit'));
    expect(text).not.toContain('5678');
  });

  it('plays invalid-pin then enter-pin after a wrong PIN', async () => {
    const h = new IvrHarness();
    await h.toPinEntry('c1');
    await h.enterPin('c1', '1111');
    expect(h.eventsFor('c1')).toContainEqual(expect.objectContaining({ type: 'pin-checked', outcome: 'rejected' }));
    expect(h.ivr.callState('c1')).toBe('collecting-pin');
    h.finish('c1', 'invalid-pin');
    expect(h.playing('c1')).toBe('enter-pin');
    h.finish('c1', 'enter-pin');
    await h.enterPin('c1', '5678');
    expect(h.playing('c1')).toBe('meeting-started');
  });

  it('keeps a digit pressed during invalid-pin as the first digit of the next try', async () => {
    const h = new IvrHarness();
    await h.toPinEntry('c1');
    await h.enterPin('c1', '1111');
    h.keys('c1', '5');
    expect(h.eventsFor('c1')).toContainEqual({ type: 'stop-prompt', callId: 'c1', prompt: 'invalid-pin', reason: 'barge-in' });
    await h.enterPin('c1', '678');
    expect(h.playing('c1')).toBe('meeting-started');
    expect(h.prompts('c1').filter((p) => p === 'enter-pin')).toHaveLength(1);
  });

  it('says goodbye and hangs up after three wrong PINs in one call', async () => {
    const h = new IvrHarness();
    await h.toPinEntry('c1');
    await h.enterPin('c1', '1111');
    await h.enterPin('c1', '2222');
    await h.enterPin('c1', '3333');
    expect(h.directory.count('verifyLeaderPin')).toBe(3);
    expect(h.playing('c1')).toBe('goodbye');
    h.finish('c1', 'goodbye');
    expect(h.hangupReason('c1')).toBe('pin-failures');
    expect(h.states('c1').slice(-2)).toEqual(['verifying-pin', 'disconnected']);
  });

  it('re-prompts on an empty PIN without asking the directory', async () => {
    const h = new IvrHarness();
    await h.toPinEntry('c1');
    h.keys('c1', '#');
    expect(h.playing('c1')).toBe('enter-pin');
    await settle();
    expect(h.directory.count('verifyLeaderPin')).toBe(0);
    expect(h.directory.failures.get('alice') ?? 0).toBe(0);
  });

  it('sends the caller to the lobby after three empty or timed-out PIN entries', async () => {
    const h = new IvrHarness();
    await h.toPinEntry('c1');
    h.keys('c1', '#'); // 1: empty
    h.finish('c1', 'enter-pin');
    h.advance(10_000); // 2: first-digit timeout
    h.finish('c1', 'enter-pin');
    h.keys('c1', '12');
    h.advance(5_000); // 3: inter-digit timeout
    expect(h.ivr.callState('c1')).toBe('lobby');
    expect(h.directory.count('verifyLeaderPin')).toBe(0);
  });

  it('uses the PIN timeouts from the options', async () => {
    const h = new IvrHarness({ options: { pinFirstDigitTimeoutMs: 3_000, pinInterDigitTimeoutMs: 1_000 } });
    await h.toPinEntry('c1');
    h.advance(2_999);
    expect(h.prompts('c1').filter((p) => p === 'enter-pin')).toHaveLength(1);
    h.advance(1);
    expect(h.prompts('c1').filter((p) => p === 'enter-pin')).toHaveLength(2);
    h.finish('c1', 'enter-pin');
    h.keys('c1', '5');
    h.advance(1_000);
    expect(h.prompts('c1').filter((p) => p === 'enter-pin')).toHaveLength(3);
  });

  it('verifies as soon as maxPinDigits digits are keyed, without #', async () => {
    const h = new IvrHarness();
    h.directory.maxPinDigits = 4;
    await h.toPinEntry('c1');
    h.keys('c1', '5678');
    await settle();
    expect(h.playing('c1')).toBe('meeting-started');
  });

  it('ignores keys pressed while the directory checks the PIN', async () => {
    const h = new IvrHarness();
    h.directory.maxPinDigits = 4;
    await h.toPinEntry('c1');
    h.keys('c1', '567899#');
    await settle();
    expect(h.directory.count('verifyLeaderPin')).toBe(1);
    expect(h.playing('c1')).toBe('meeting-started');
  });

  it('restarts PIN entry on *', async () => {
    const h = new IvrHarness();
    await h.toPinEntry('c1');
    h.keys('c1', '99*');
    expect(h.playing('c1')).toBe('enter-pin');
    await h.enterPin('c1', '5678');
    expect(h.playing('c1')).toBe('meeting-started');
    expect(h.directory.count('verifyLeaderPin')).toBe(1);
  });

  it('authenticates only the organizer of this conference', async () => {
    const h = new IvrHarness();
    await h.toPinEntry('c1', '1234');
    await h.enterPin('c1', '1357'); // bob's PIN, but bob does not organize 1234
    expect(h.eventsFor('c1')).toContainEqual(expect.objectContaining({ type: 'pin-checked', outcome: 'rejected' }));
  });
});

describe('lockout', () => {
  it('plays locked-out and hangs up when the directory says the organizer is locked', async () => {
    const h = new IvrHarness();
    h.directory.failures.set('alice', 5);
    await h.toPinEntry('c1');
    await h.enterPin('c1', '5678');
    expect(h.eventsFor('c1')).toContainEqual(expect.objectContaining({ type: 'pin-checked', outcome: 'locked' }));
    expect(h.ivr.callState('c1')).toBe('locked-out');
    expect(h.playing('c1')).toBe('locked-out');
    h.keys('c1', '5678#'); // not interruptible
    expect(h.playing('c1')).toBe('locked-out');
    h.finish('c1', 'locked-out');
    expect(h.states('c1').slice(-2)).toEqual(['locked-out', 'disconnected']);
    expect(h.hangupReason('c1')).toBe('locked-out');
  });

  it('locks out the caller whose wrong PIN locked the organizer', async () => {
    const h = new IvrHarness();
    h.directory.failures.set('alice', 4);
    await h.toPinEntry('c1');
    await h.enterPin('c1', '0000');
    expect(h.ivr.callState('c1')).toBe('locked-out');
    h.finish('c1', 'locked-out');
    expect(h.hangupReason('c1')).toBe('locked-out');
  });

  it('counts wrong PINs across calls in the directory, not in the flow', async () => {
    const h = new IvrHarness();
    h.directory.lockAfter = 4;
    await h.toPinEntry('c1');
    await h.enterPin('c1', '1111');
    await h.enterPin('c1', '2222');
    h.ivr.hangup('c1');
    await h.toPinEntry('c2');
    await h.enterPin('c2', '1111');
    expect(h.ivr.callState('c2')).toBe('collecting-pin');
    await h.enterPin('c2', '2222'); // the organizer's fourth failure: locked now
    expect(h.ivr.callState('c2')).toBe('locked-out');
  });
});

describe('meetings that need no PIN', () => {
  it('joins a running meeting straight away: joining-meeting, then in-meeting', async () => {
    const h = new IvrHarness();
    await h.lead('leader');
    await h.dialIn('c2', '1234');
    expect(h.states('c2')).toEqual(['greeting', 'collecting-conference-id']);
    expect(h.playing('c2')).toBe('joining-meeting');
    h.finish('c2', 'joining-meeting');
    expect(h.ivr.callState('c2')).toBe('in-meeting');
    expect(h.prompts('c2')).not.toContain('leader-question');
    expect(h.ivr.conference('1234')?.participants).toEqual(['leader', 'c2']);
  });

  it('lets the first caller start a conference that allows anonymous start, admitting its lobby', async () => {
    const h = new IvrHarness();
    await h.dialIn('c1', '4321');
    expect(h.events).toContainEqual({ type: 'meeting-started', conferenceId: '4321', by: 'c1', callId: 'c1', how: 'anonymous' });
    expect(h.playing('c1')).toBe('meeting-started');
    h.finish('c1', 'meeting-started');
    expect(h.ivr.callState('c1')).toBe('in-meeting');
    expect(h.prompts('c1')).not.toContain('enter-pin');
  });
});

import { describe, expect, it } from 'vitest';
import { IvrHarness, settle } from './ivr-harness.ts';

describe('answering and the conference ID', () => {
  it('plays welcome, then enter-conference-id once welcome has finished', () => {
    const h = new IvrHarness();
    h.ivr.startCall({ callId: 'c1', from: '+15550100' });
    expect(h.events.slice(0, 3)).toEqual([
      { type: 'call-started', callId: 'c1', from: '+15550100' },
      { type: 'state-entered', callId: 'c1', state: 'greeting' },
      { type: 'play', callId: 'c1', prompt: 'welcome', loop: false },
    ]);
    h.advance(60_000);
    expect(h.prompts('c1')).toEqual(['welcome']);
    h.finish('c1', 'welcome');
    expect(h.ivr.callState('c1')).toBe('collecting-conference-id');
    expect(h.playing('c1')).toBe('enter-conference-id');
  });

  it('looks up the ID keyed before # and asks the leader question for a meeting not started', async () => {
    const h = new IvrHarness();
    await h.dialIn('c1', '1234');
    expect(h.eventsFor('c1')).toContainEqual({ type: 'conference-id-entered', callId: 'c1', conferenceId: '1234' });
    expect(h.directory.count('findConference')).toBe(1);
    expect(h.ivr.callState('c1')).toBe('leader-question');
    expect(h.playing('c1')).toBe('leader-question');
  });

  it('lets a digit during welcome stop it and start the conference ID', async () => {
    const h = new IvrHarness();
    h.ivr.startCall({ callId: 'c1' });
    h.keys('c1', '12');
    expect(h.eventsFor('c1')).toContainEqual({ type: 'stop-prompt', callId: 'c1', prompt: 'welcome', reason: 'barge-in' });
    h.keys('c1', '34#');
    await settle();
    expect(h.prompts('c1')).toEqual(['welcome', 'leader-question']);
    expect(h.ivr.callState('c1')).toBe('leader-question');
  });

  it('keeps a digit pressed during enter-conference-id as the first digit', async () => {
    const h = new IvrHarness();
    h.ivr.startCall({ callId: 'c1' });
    h.finish('c1', 'welcome');
    h.keys('c1', '1');
    expect(h.eventsFor('c1')).toContainEqual({
      type: 'stop-prompt',
      callId: 'c1',
      prompt: 'enter-conference-id',
      reason: 'barge-in',
    });
    h.keys('c1', '234#');
    await settle();
    expect(h.ivr.callState('c1')).toBe('leader-question');
  });

  it('re-prompts after the 10 s first-digit timeout, counted from the end of the prompt', () => {
    const h = new IvrHarness();
    h.ivr.startCall({ callId: 'c1' });
    h.finish('c1', 'welcome');
    h.advance(30_000); // the prompt is still playing: no timeout yet
    expect(h.prompts('c1')).toEqual(['welcome', 'enter-conference-id']);
    h.finish('c1', 'enter-conference-id');
    h.advance(9_999);
    expect(h.prompts('c1')).toHaveLength(2);
    h.advance(1);
    expect(h.prompts('c1')).toEqual(['welcome', 'enter-conference-id', 'enter-conference-id']);
  });

  it('re-prompts after the 5 s inter-digit timeout and discards the partial ID', async () => {
    const h = new IvrHarness();
    h.ivr.startCall({ callId: 'c1' });
    h.finish('c1', 'welcome');
    h.finish('c1', 'enter-conference-id');
    h.keys('c1', '12');
    h.advance(4_999);
    h.keys('c1', '3');
    h.advance(4_999);
    expect(h.prompts('c1')).toHaveLength(2);
    h.advance(1);
    expect(h.prompts('c1')).toHaveLength(3);
    h.finish('c1', 'enter-conference-id');
    h.keys('c1', '1234#');
    await settle();
    expect(h.eventsFor('c1')).toContainEqual({ type: 'conference-id-entered', callId: 'c1', conferenceId: '1234' });
  });

  it('uses configured digit timeouts', () => {
    const h = new IvrHarness({ options: { firstDigitTimeoutMs: 2_000, interDigitTimeoutMs: 700 } });
    h.ivr.startCall({ callId: 'c1' });
    h.finish('c1', 'welcome');
    h.finish('c1', 'enter-conference-id');
    h.advance(2_000);
    expect(h.prompts('c1')).toHaveLength(3);
    h.finish('c1', 'enter-conference-id');
    h.keys('c1', '1');
    h.advance(700);
    expect(h.prompts('c1')).toHaveLength(4);
  });

  it('plays invalid-conference-id, then enter-conference-id, for an unknown ID', async () => {
    const h = new IvrHarness();
    await h.dialIn('c1', '777');
    expect(h.playing('c1')).toBe('invalid-conference-id');
    h.finish('c1', 'invalid-conference-id');
    expect(h.playing('c1')).toBe('enter-conference-id');
    expect(h.ivr.callState('c1')).toBe('collecting-conference-id');
  });

  it('keeps a digit pressed during invalid-conference-id as the first digit of the next try', async () => {
    const h = new IvrHarness();
    await h.dialIn('c1', '777');
    h.keys('c1', '1234#');
    await settle();
    expect(h.eventsFor('c1')).toContainEqual({
      type: 'stop-prompt',
      callId: 'c1',
      prompt: 'invalid-conference-id',
      reason: 'barge-in',
    });
    expect(h.ivr.callState('c1')).toBe('leader-question');
  });

  it('says goodbye and hangs up after three unknown IDs', async () => {
    const h = new IvrHarness();
    await h.dialIn('c1', '111');
    h.finish('c1', 'invalid-conference-id');
    h.finish('c1', 'enter-conference-id');
    h.keys('c1', '222#');
    await settle();
    h.finish('c1', 'invalid-conference-id');
    h.finish('c1', 'enter-conference-id');
    h.keys('c1', '333#');
    await settle();
    expect(h.playing('c1')).toBe('goodbye');
    h.keys('c1', '1234#'); // goodbye cannot be interrupted
    expect(h.playing('c1')).toBe('goodbye');
    h.finish('c1', 'goodbye');
    expect(h.hangupReason('c1')).toBe('conference-id-failures');
    expect(h.states('c1').at(-1)).toBe('disconnected');
    expect(h.ivr.callState('c1')).toBeUndefined();
  });

  it('counts timeouts and empty entries toward the three failures', () => {
    const h = new IvrHarness();
    h.ivr.startCall({ callId: 'c1' });
    h.finish('c1', 'welcome');
    h.finish('c1', 'enter-conference-id');
    h.advance(10_000); // failure 1: no key
    h.finish('c1', 'enter-conference-id');
    h.keys('c1', '#'); // failure 2: empty entry
    expect(h.playing('c1')).toBe('invalid-conference-id');
    h.finish('c1', 'invalid-conference-id');
    h.finish('c1', 'enter-conference-id');
    h.keys('c1', '5');
    h.advance(5_000); // failure 3: inter-digit timeout
    expect(h.playing('c1')).toBe('goodbye');
    h.finish('c1', 'goodbye');
    expect(h.hangupReason('c1')).toBe('conference-id-failures');
  });

  it('restarts the entry on * without counting a failure', async () => {
    const h = new IvrHarness({ options: { maxConferenceIdFailures: 1 } });
    h.ivr.startCall({ callId: 'c1' });
    h.finish('c1', 'welcome');
    h.finish('c1', 'enter-conference-id');
    h.keys('c1', '99*');
    expect(h.playing('c1')).toBe('enter-conference-id');
    h.keys('c1', '1234#');
    await settle();
    expect(h.ivr.callState('c1')).toBe('leader-question');
  });

  it('rejects an ID longer than maxConferenceIdDigits without asking the directory', async () => {
    const h = new IvrHarness({ options: { maxConferenceIdDigits: 4 } });
    h.ivr.startCall({ callId: 'c1' });
    h.finish('c1', 'welcome');
    h.finish('c1', 'enter-conference-id');
    h.keys('c1', '12345');
    expect(h.playing('c1')).toBe('invalid-conference-id');
    await settle();
    expect(h.directory.count('findConference')).toBe(0);
  });

  it('ignores the letter keys A-D during entry', async () => {
    const h = new IvrHarness();
    h.ivr.startCall({ callId: 'c1' });
    h.finish('c1', 'welcome');
    h.finish('c1', 'enter-conference-id');
    h.keys('c1', '12A3D4#');
    await settle();
    expect(h.eventsFor('c1')).toContainEqual({ type: 'conference-id-entered', callId: 'c1', conferenceId: '1234' });
  });

  it('ignores a PROMPT_FINISHED for a prompt that is not playing', () => {
    const h = new IvrHarness();
    h.ivr.startCall({ callId: 'c1' });
    h.ivr.promptFinished('c1', 'goodbye');
    expect(h.ivr.callState('c1')).toBe('greeting');
    expect(h.playing('c1')).toBe('welcome');
  });

  it('keeps keys keyed during the lookup and replays them once the conference is found', async () => {
    const h = new IvrHarness();
    h.ivr.startCall({ callId: 'c1' });
    // One burst, as from a platform's DTMF events or one long audio frame.
    h.keys('c1', '1234#*5678#');
    await settle();
    expect(h.states('c1')).toEqual(['greeting', 'collecting-conference-id', 'leader-question', 'collecting-pin', 'verifying-pin']);
    expect(h.directory.count('verifyLeaderPin')).toBe(1);
    expect(h.playing('c1')).toBe('meeting-started');
  });

  it('takes a typed-ahead # as the answer to the leader question', async () => {
    const h = new IvrHarness();
    h.ivr.startCall({ callId: 'c1' });
    h.keys('c1', '1234##');
    await settle();
    expect(h.ivr.callState('c1')).toBe('lobby');
  });

  it('drops the keys typed ahead of an unknown conference ID', async () => {
    const h = new IvrHarness();
    h.ivr.startCall({ callId: 'c1' });
    h.keys('c1', '777#*5678#');
    await settle();
    expect(h.directory.count('findConference')).toBe(1);
    expect(h.ivr.callState('c1')).toBe('collecting-conference-id');
    expect(h.playing('c1')).toBe('invalid-conference-id');
    h.finish('c1', 'invalid-conference-id');
    h.keys('c1', '1234#');
    await settle();
    expect(h.ivr.callState('c1')).toBe('leader-question');
  });

  it('counts a key pressed once invalid-conference-id has started as the first key of the next entry', async () => {
    const h = new IvrHarness();
    h.ivr.startCall({ callId: 'c1' });
    h.keys('c1', '777#');
    await settle();
    expect(h.playing('c1')).toBe('invalid-conference-id');
    h.keys('c1', '1');
    expect(h.eventsFor('c1')).toContainEqual({ type: 'stop-prompt', callId: 'c1', prompt: 'invalid-conference-id', reason: 'barge-in' });
    h.keys('c1', '234#');
    await settle();
    expect(h.eventsFor('c1')).toContainEqual({ type: 'conference-id-entered', callId: 'c1', conferenceId: '1234' });
    expect(h.ivr.callState('c1')).toBe('leader-question');
  });

  it('restarts the entry on a * pressed during invalid-conference-id, without counting a failure', async () => {
    const h = new IvrHarness({ options: { maxConferenceIdFailures: 2 } });
    h.ivr.startCall({ callId: 'c1' });
    h.keys('c1', '777#');
    await settle();
    h.keys('c1', '*');
    expect(h.playing('c1')).toBe('enter-conference-id');
    h.keys('c1', '1234#');
    await settle();
    expect(h.ivr.callState('c1')).toBe('leader-question');
  });
});

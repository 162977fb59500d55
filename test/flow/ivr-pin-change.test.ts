import { describe, expect, it } from 'vitest';
import { IvrHarness, settle } from './ivr-harness.ts';

/** Carol's PIN 2468 has expired: after it she must choose a new one. */
async function toChange(h: IvrHarness, callId = 'c1') {
  await h.toPinEntry(callId, '9999');
  await h.enterPin(callId, '2468');
  expect(h.ivr.callState(callId)).toBe('changing-pin');
  expect(h.playing(callId)).toBe('pin-expired-enter-new');
}

describe('changing an expired PIN', () => {
  it('asks for the new PIN twice, changes it, then starts the meeting', async () => {
    const h = new IvrHarness();
    await h.toLobby('waiting', '9999');
    await toChange(h);
    expect(h.eventsFor('c1')).toContainEqual(expect.objectContaining({ type: 'pin-checked', outcome: 'accepted', mustChange: true }));
    expect(h.ivr.conference('9999')?.started).toBe(false);
    h.finish('c1', 'pin-expired-enter-new');
    h.keys('c1', '3579#');
    h.finish('c1', 'confirm-new-pin');
    h.keys('c1', '3579#');
    await settle();
    expect(h.directory.pins.get('carol')).toBe('3579');
    expect(h.playing('c1')).toBe('pin-changed');
    expect(h.ivr.conference('9999')?.started).toBe(false);
    h.finish('c1', 'pin-changed');
    expect(h.events).toContainEqual(expect.objectContaining({ type: 'meeting-started', conferenceId: '9999', by: 'c1' }));
    expect(h.playing('waiting')).toBe('joining-meeting');
    h.finish('c1', 'meeting-started');
    expect(h.ivr.callState('c1')).toBe('in-meeting');
  });

  it('accepts barge-in during the change prompts', async () => {
    const h = new IvrHarness();
    await toChange(h);
    h.keys('c1', '3579#');
    expect(h.playing('c1')).toBe('confirm-new-pin');
    h.keys('c1', '3579#');
    await settle();
    expect(h.playing('c1')).toBe('pin-changed');
  });

  it('plays pin-mismatch and starts over when the two entries differ', async () => {
    const h = new IvrHarness();
    await toChange(h);
    h.keys('c1', '3579#');
    h.keys('c1', '3578#');
    expect(h.playing('c1')).toBe('pin-mismatch');
    h.finish('c1', 'pin-mismatch');
    expect(h.playing('c1')).toBe('pin-expired-enter-new');
    h.keys('c1', '3579#');
    h.keys('c1', '3579#');
    await settle();
    expect(h.playing('c1')).toBe('pin-changed');
    expect(h.directory.count('changePin')).toBe(1);
  });

  it('plays pin-policy-rejected when the directory refuses the new PIN', async () => {
    const h = new IvrHarness();
    await toChange(h);
    h.keys('c1', '1111#');
    h.keys('c1', '1111#');
    await settle();
    expect(h.playing('c1')).toBe('pin-policy-rejected');
    h.keys('c1', '3579#'); // barge-in into the next new PIN
    h.keys('c1', '3579#');
    await settle();
    expect(h.playing('c1')).toBe('pin-changed');
  });

  it('says goodbye after three failed changes', async () => {
    const h = new IvrHarness();
    await toChange(h);
    h.keys('c1', '3579#');
    h.keys('c1', '3570#'); // 1: mismatch
    h.keys('c1', '12#');
    h.keys('c1', '12#');
    await settle(); // 2: policy (too short)
    expect(h.playing('c1')).toBe('pin-policy-rejected');
    h.finish('c1', 'pin-policy-rejected');
    h.finish('c1', 'pin-expired-enter-new');
    h.advance(10_000); // 3: no new PIN
    expect(h.playing('c1')).toBe('goodbye');
    h.finish('c1', 'goodbye');
    expect(h.hangupReason('c1')).toBe('pin-change-failures');
    expect(h.directory.pins.get('carol')).toBe('2468');
  });

  it('restarts the change on * during confirmation', async () => {
    const h = new IvrHarness({ options: { maxPinChangeAttempts: 1 } });
    await toChange(h);
    h.keys('c1', '3579#');
    h.keys('c1', '35*');
    expect(h.playing('c1')).toBe('pin-expired-enter-new');
    h.keys('c1', '4680#');
    h.keys('c1', '4680#');
    await settle();
    expect(h.directory.pins.get('carol')).toBe('4680');
  });

  it('submits a new PIN of maxPinDigits digits without #', async () => {
    const h = new IvrHarness();
    h.directory.maxPinDigits = 4;
    await toChange(h);
    h.keys('c1', '3579');
    expect(h.playing('c1')).toBe('confirm-new-pin');
    h.keys('c1', '3579');
    await settle();
    expect(h.playing('c1')).toBe('pin-changed');
  });

  it('counts an empty new PIN as a failed change', async () => {
    const h = new IvrHarness({ options: { maxPinChangeAttempts: 1 } });
    await toChange(h);
    h.keys('c1', '#');
    expect(h.playing('c1')).toBe('goodbye');
    await settle();
    expect(h.directory.count('changePin')).toBe(0);
  });
});

describe('timeouts while changing an expired PIN', () => {
  it('counts a pause of pinInterDigitTimeoutMs inside the new PIN as a failed change and asks again', async () => {
    const h = new IvrHarness();
    await toChange(h);
    h.finish('c1', 'pin-expired-enter-new');
    h.keys('c1', '35');
    h.advance(4_999);
    expect(h.playing('c1')).toBeUndefined();
    h.advance(1);
    expect(h.playing('c1')).toBe('pin-expired-enter-new');
    h.keys('c1', '3579#');
    h.keys('c1', '3579#');
    await settle();
    expect(h.directory.pins.get('carol')).toBe('3579');
  });

  it('asks for the new PIN again when the confirmation does not start within pinFirstDigitTimeoutMs', async () => {
    const h = new IvrHarness();
    await toChange(h);
    h.keys('c1', '3579#');
    h.finish('c1', 'confirm-new-pin');
    h.advance(9_999);
    expect(h.playing('c1')).toBeUndefined();
    h.advance(1);
    expect(h.playing('c1')).toBe('pin-expired-enter-new');
    expect(h.directory.count('changePin')).toBe(0);
  });

  it('says goodbye when a pause inside the confirmation uses up the last change attempt', async () => {
    const h = new IvrHarness({ options: { maxPinChangeAttempts: 1, pinInterDigitTimeoutMs: 3_000 } });
    await toChange(h);
    h.keys('c1', '3579#');
    h.finish('c1', 'confirm-new-pin');
    h.keys('c1', '357');
    h.advance(2_999);
    expect(h.playing('c1')).toBeUndefined();
    h.advance(1);
    expect(h.playing('c1')).toBe('goodbye');
    h.finish('c1', 'goodbye');
    expect(h.hangupReason('c1')).toBe('pin-change-failures');
    expect(h.directory.pins.get('carol')).toBe('2468');
  });
});

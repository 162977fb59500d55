import { describe, expect, it } from 'vitest';
import { CLOSE_ABNORMAL, closeSentence, hangupSentence, microphoneSentence } from '../../../src/web/client/outcomes.ts';

/** Every reason the flow and the call session put in hung-up. */
const REASONS = [
  'caller', 'goodbye', 'conference-id-failures', 'pin-failures', 'pin-change-failures', 'locked-out', 'lobby-timeout',
  'meeting-ended', 'server-shutdown', 'idle-timeout', 'slow-reader', 'system-error', 'error',
];

describe('hangupSentence', () => {
  it('words every hang-up reason as a sentence without the reason code', () => {
    for (const reason of REASONS) {
      const sentence = hangupSentence(reason);
      expect(sentence).toMatch(/^[A-Z].*\.$/);
      expect(sentence).not.toMatch(/[()]|\b[a-z]+-[a-z-]+\b/); // no (code), no hyphenated-code
      expect(sentence).not.toBe(hangupSentence('some-future-reason'));
    }
  });

  it('says "too many attempts" for the conference ID and PIN limits', () => {
    expect(hangupSentence('conference-id-failures')).toMatch(/^Too many attempts/);
    expect(hangupSentence('pin-failures')).toMatch(/^Too many attempts/);
  });

  it('falls back to a general sentence for a reason it does not know, and never echoes it', () => {
    expect(hangupSentence('__proto__')).toBe('The service ended the call.');
    expect(hangupSentence('<b>x</b>')).toBe('The service ended the call.');
  });
});

describe('closeSentence', () => {
  it('tells a line that never opened from one that dropped and one the service closed', () => {
    expect(closeSentence(false, CLOSE_ABNORMAL)).toBe('Cannot reach the service. Check that it is running.');
    expect(closeSentence(true, 1006)).toBe('The connection to the service was lost.');
    expect(closeSentence(true, 1000)).toBe('The service closed the line.');
  });
});

describe('microphoneSentence', () => {
  it('says nothing when the microphone is on and why Mute is disabled otherwise', () => {
    expect(microphoneSentence('on')).toBeUndefined();
    for (const state of ['off', 'denied', 'unavailable'] as const) expect(microphoneSentence(state)).toMatch(/Mute/);
  });
});

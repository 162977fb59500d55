import { describe, expect, it } from 'vitest';
import { parseFlowOverrides } from '../../src/cli/flow-overrides.ts';
import { UsageError } from '../../src/errors.ts';

function refusal(pair: string): UsageError {
  try {
    parseFlowOverrides([pair]);
  } catch (error) {
    expect(error).toBeInstanceOf(UsageError);
    expect((error as UsageError).code).toBe('E_USAGE');
    return error as UsageError;
  }
  throw new Error(`--flow ${pair} was accepted`);
}

describe('--flow overrides', () => {
  it('reads ...Ms options as durations with units or as bare milliseconds, and counts as numbers', () => {
    expect(parseFlowOverrides(['interDigitTimeoutMs=3s', 'pinFirstDigitTimeoutMs=2500', 'leaderQuestionTimeoutMs=1m', 'maxPinAttempts=2'])).toEqual({
      interDigitTimeoutMs: 3000,
      pinFirstDigitTimeoutMs: 2500,
      leaderQuestionTimeoutMs: 60_000,
      maxPinAttempts: 2,
    });
  });

  it('refuses a duration that is not one, naming the option', () => {
    expect(refusal('interDigitTimeoutMs=soon').message).toBe("--flow interDigitTimeoutMs: 'soon' is not a duration (use e.g. 500ms, 10s, 1.5s, 2m, 1h)");
    expect(refusal('interDigitTimeoutMs=2.5').message).toBe("--flow interDigitTimeoutMs: '2.5' is not a whole number of milliseconds");
    expect(refusal('maxPinAttempts=2s').message).toBe("--flow maxPinAttempts: expected a number, got '2s'");
  });
});

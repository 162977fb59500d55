import { describe, expect, it } from 'vitest';
import { FlowOptionsError } from '../../src/flow/flow-errors.ts';
import { DEFAULT_FLOW_OPTIONS, resolveFlowOptions, type FlowOptions } from '../../src/flow/flow-options.ts';

describe('flow options', () => {
  it('defaults to Asterisk digit timeouts, three tries and no lobby timeout', () => {
    expect(DEFAULT_FLOW_OPTIONS).toMatchObject({
      firstDigitTimeoutMs: 10_000,
      interDigitTimeoutMs: 5_000,
      leaderQuestionTimeoutMs: 5_000,
      pinFirstDigitTimeoutMs: 10_000,
      pinInterDigitTimeoutMs: 5_000,
      maxConferenceIdFailures: 3,
      maxPinAttempts: 3,
      maxPinChangeAttempts: 3,
    });
    expect(DEFAULT_FLOW_OPTIONS.lobbyTimeoutMs).toBeUndefined();
    expect(resolveFlowOptions()).toEqual(DEFAULT_FLOW_OPTIONS);
  });

  it('merges overrides over the defaults', () => {
    const options = resolveFlowOptions({ interDigitTimeoutMs: 3_000, lobbyTimeoutMs: 0 });
    expect(options.interDigitTimeoutMs).toBe(3_000);
    expect(options.lobbyTimeoutMs).toBe(0);
    expect(options.firstDigitTimeoutMs).toBe(10_000);
  });

  it.each([
    [{ firstDigitTimeoutMs: 0 }, 'firstDigitTimeoutMs'],
    [{ interDigitTimeoutMs: Number.NaN }, 'interDigitTimeoutMs'],
    [{ maxPinAttempts: 1.5 }, 'maxPinAttempts'],
    [{ maxConferenceIdDigits: 0 }, 'maxConferenceIdDigits'],
    [{ lobbyTimeoutMs: -5 }, 'lobbyTimeoutMs'],
    [{ pinTimeout: 5 } as unknown as Partial<FlowOptions>, 'pinTimeout'],
  ])('rejects %j naming the field', (overrides, field) => {
    try {
      resolveFlowOptions(overrides);
      expect.unreachable();
    } catch (error) {
      expect(error).toBeInstanceOf(FlowOptionsError);
      expect((error as FlowOptionsError).code).toBe('E_FLOW_OPTIONS');
      expect((error as Error).message).toContain(field);
    }
  });
});

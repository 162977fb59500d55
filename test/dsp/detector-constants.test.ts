/** The detector's spec table against the Q.24 / ES 201 235-3 limits the tests write out themselves. */
import { describe, expect, it } from 'vitest';
import { acceptFrequencyErrorHz, DTMF_RECEPTION_SPEC as SPEC } from '../../src/dsp/detector-constants.ts';
import { acceptErrorHz, RECEPTION_LIMITS as Q24 } from './helpers/reception-limits.ts';

describe('reception spec table', () => {
  it('holds the Q.24 and ES 201 235-3 limits', () => {
    expect({
      acceptErrorPct: SPEC.acceptFrequencyErrorPct,
      acceptErrorHz: SPEC.acceptFrequencyErrorHz,
      rejectErrorPct: SPEC.rejectFrequencyErrorPct,
      acceptLevelMaxDbm0: SPEC.acceptLevelMaxDbm0,
      acceptLevelMinDbm0: SPEC.acceptLevelMinDbm0,
      rejectLevelDbm0: SPEC.rejectLevelDbm0,
      standardTwistDb: SPEC.acceptStandardTwistDb,
      reverseTwistDb: SPEC.acceptReverseTwistDb,
      acceptToneMs: SPEC.acceptToneMs,
      rejectToneMs: SPEC.rejectToneMs,
      acceptPauseMs: SPEC.acceptPauseMs,
      bridgedInterruptionMs: SPEC.bridgedInterruptionMs,
      acceptSnrDb: SPEC.acceptSnrDb,
    }).toEqual(Q24);
  });

  it('computes the accept limit as 1.5 % + 2 Hz (12.455 Hz at 697 Hz, 26.495 Hz at 1633 Hz)', () => {
    expect(acceptFrequencyErrorHz(697)).toBeCloseTo(12.455, 9);
    expect(acceptFrequencyErrorHz(1633)).toBeCloseTo(26.495, 9);
    for (const hz of [697, 770, 852, 941, 1209, 1336, 1477, 1633]) expect(acceptFrequencyErrorHz(hz)).toBeCloseTo(acceptErrorHz(hz), 12);
  });
});

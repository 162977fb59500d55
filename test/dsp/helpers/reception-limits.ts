/**
 * What a DTMF receiver must accept and reject, written here from the
 * specifications rather than imported from src, so the tests judge the
 * detector by the specification and not by its own table. ITU-T Q.24,
 * Table A-1 (the AT&T column, which the README's decoder section claims),
 * and ETSI ES 201 235-3.
 */
export const RECEPTION_LIMITS = {
  /** Q.24: each tone within ±(1.5 % + 2 Hz) of nominal is accepted... */
  acceptErrorPct: 1.5,
  acceptErrorHz: 2,
  /** ...and a tone off by 3.5 % or more is rejected. */
  rejectErrorPct: 3.5,
  /** Q.24 (AT&T): each tone from 0 to -25 dBm0 is accepted. */
  acceptLevelMaxDbm0: 0,
  acceptLevelMinDbm0: -25,
  /** ES 201 235-3: tones at -55 dBm0 and below are rejected. */
  rejectLevelDbm0: -55,
  /** Q.24 (AT&T): twist, high group minus low group, from -8 dB to +4 dB. */
  standardTwistDb: 4,
  reverseTwistDb: 8,
  /** Q.24 (AT&T): a tone of 40 ms is a digit, one of 23 ms or less is not. */
  acceptToneMs: 40,
  rejectToneMs: 23,
  /** Q.24 (AT&T): a 40 ms pause separates two digits. */
  acceptPauseMs: 40,
  /** Q.24 (AT&T): an interruption of up to 10 ms does not split a digit. */
  bridgedInterruptionMs: 10,
  /** Q.24 (AT&T): digits are received at 15 dB signal-to-noise ratio. */
  acceptSnrDb: 15,
} as const;

/** The accept limit of a tone at `hz`: 1.5 % of it plus 2 Hz. */
export function acceptErrorHz(hz: number): number {
  return (hz * RECEPTION_LIMITS.acceptErrorPct) / 100 + RECEPTION_LIMITS.acceptErrorHz;
}

/**
 * The frequency-error cases at the accept limit for a key whose tones are
 * at `lowHz` and `highHz`, as [low error, high error] in Hz: each tone
 * alone either way, and both at once in all four sign combinations. The
 * conformance test and the benchmark's row both use these eight.
 */
export function acceptLimitErrorPairs(lowHz: number, highHz: number): [number, number][] {
  const low = acceptErrorHz(lowHz);
  const high = acceptErrorHz(highHz);
  return [[low, 0], [-low, 0], [0, high], [0, -high], [low, high], [-low, -high], [low, -high], [-low, high]];
}

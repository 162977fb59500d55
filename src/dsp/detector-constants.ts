/**
 * What a DTMF receiver must accept and reject, and the detector design
 * derived from it. Every timing rule and frequency limit of
 * `DtmfDetector` is computed from this table, at any sample rate.
 *
 * Sources: ITU-T Q.24 (AT&T column of the receiver table), ETSI ES 201 235-3
 * (DTMF receivers), ITU-T Q.23 (key frequencies, in dtmf-keys.ts).
 */
import { COLUMN_HZ, ROW_HZ } from './dtmf-keys.ts';

/** Reception requirements, per tone, 0 dBm0 as in levels.ts. */
export const DTMF_RECEPTION_SPEC = {
  /** Q.24: accept a tone within ±(1.5 % + 2 Hz) of its nominal frequency. */
  acceptFrequencyErrorPct: 1.5,
  acceptFrequencyErrorHz: 2,
  /** Q.24: reject a pair when either tone is off by 3.5 % or more. */
  rejectFrequencyErrorPct: 3.5,
  /** Q.24 (AT&T): accept tones from 0 to -25 dBm0 each. */
  acceptLevelMaxDbm0: 0,
  acceptLevelMinDbm0: -25,
  /** ES 201 235-3: reject tones at -55 dBm0 and below. */
  rejectLevelDbm0: -55,
  /** Q.24 (AT&T): low group up to 8 dB above the high group ("reverse" twist). */
  acceptReverseTwistDb: 8,
  /** Q.24 (AT&T): high group up to 4 dB above the low group ("standard" twist). */
  acceptStandardTwistDb: 4,
  /** Q.24 (AT&T) / ES 201 235-3: a tone of 40 ms or more is a digit. */
  acceptToneMs: 40,
  /** Q.24 (AT&T): a tone of 23 ms or less is not a digit. */
  rejectToneMs: 23,
  /** Q.24 / ES 201 235-3: a pause of 40 ms or more separates two digits. */
  acceptPauseMs: 40,
  /** Q.24 (AT&T): an interruption of 10 ms or less does not split a digit. */
  bridgedInterruptionMs: 10,
  /** Digits must all be received at this signal-to-white-noise ratio. */
  acceptSnrDb: 15,
} as const;

/**
 * Design of the detector at 8 kHz; other rates use the same durations, so
 * block and hop lengths in samples scale with the sample rate.
 */
export const DETECTOR_DESIGN = {
  /**
   * Analysis block: 102 samples at 8 kHz (as spandsp and Asterisk). Its
   * 78 Hz bin spacing puts the nearest other row (73 Hz away) near the first
   * null, about 20 dB down.
   */
  blockMs: 12.75,
  /**
   * Blocks overlap: a new one starts every blockMs / hopsPerBlock (4.25 ms).
   * The phase advance of a tone between two blocks one hop apart is
   * unambiguous for errors up to ±fs / (2 hop) = ±118 Hz, wider than a bin,
   * so it measures the frequency error exactly where magnitudes cannot.
   */
  hopsPerBlock: 3,
  /**
   * A segment (one hop) is "tone" when its amplitude at both frequencies is
   * at least this share of a full segment's; a neighbour below it but above
   * `partialSegmentFloor` is counted as partly covered, which places tone
   * edges to a fraction of a hop.
   */
  presentSegmentShare: 0.5,
  partialSegmentFloor: 0.2,
  /**
   * A block that missed but still has at least this share of the digit's
   * strongest block power at both tones (-3 dB) counts as tone for the
   * frequency measurement: in noise, a steady tone near the accept limits
   * still fails a per-block check now and then.
   */
  toneBlockShare: 0.5,
  /**
   * Second harmonics are measured through a Hann window (sidelobes below
   * -31 dB) at twice the measured tone frequency. A row's harmonic is only
   * measured when the column tone is at least this many bins away: the
   * main lobe (2 bins) plus the tones' frequency tolerance.
   */
  harmonicClearanceBins: 2.5,
  /**
   * Closer than that, the column tone's leakage into the row harmonic's
   * bin is predicted from the column's windowed value at its measured
   * frequency and the window's spectrum, and taken out, when the two stay
   * at least this many bins apart with both tones at their frequency
   * limits: Hann leakage there is -10 dB, and a frequency estimate 2 Hz
   * off leaves about -35 dB of it. Only key 1 gains the check (1394 Hz
   * beside 1209 Hz: 185 Hz nominal, 117 Hz at the limits); a note at
   * 697 Hz with its harmonic beside a tone near 1180 Hz read as 1 on
   * recorded orchestral music.
   */
  harmonicLeakageClearanceBins: 1.25,
  /**
   * A single block's harmonic may be this much closer to the tone than the
   * limit applied to the average over the digit: in noise at 15 dB SNR one
   * block's harmonic bin fluctuates by several dB.
   */
  blockHarmonicAllowanceDb: 8,
  /**
   * The DC offset taken out of the tone values is the mean sample value
   * averaged over about this many hops (a one-pole average, 34 ms): a
   * single hop's mean holds up to 8 % of a tone's own amplitude (34
   * samples are no whole number of its periods), which taken out with the
   * offset would shift its phase by up to 1 %; over 8 hops the tone's
   * share rotates and averages away. The estimate starts at 0: seeding it
   * with the first hop's mean would seed it with a tone starting there.
   */
  dcTrackingHops: 8,
  /**
   * Least share of the hit blocks' energy, summed over a digit, that its
   * two tones carry (each corrected for its measured frequency error):
   * 0.8 leaves everything else 6 dB under the pair, 9 dB worse than the
   * 15 dB SNR a key must survive (Q.24). Music holding a DTMF-like pair
   * among other notes kept 0.73-0.77 over the digit on real recordings; a
   * key keeps at least 0.84 through every channel of test/dsp/channels
   * (the lowest under 50 Hz hum at -25 dBm0, 0.90 through Opus at
   * 12 kbit/s) and 0.92 at 15 dB SNR. The per-block limit
   * (minToneEnergyShare, 0.6) must allow for one noisy block; over the
   * digit, noise averages out and a sustained note does not.
   */
  digitToneEnergyShare: 0.8,
} as const;

/** Largest accepted error of a tone at `hz`: the accept limit, in Hz. */
export function acceptFrequencyErrorHz(hz: number): number {
  const spec = DTMF_RECEPTION_SPEC;
  return (hz * spec.acceptFrequencyErrorPct) / 100 + spec.acceptFrequencyErrorHz;
}

/** Smallest error of a tone at `hz` that must be rejected, in Hz. */
export function rejectFrequencyErrorHz(hz: number): number {
  return (hz * DTMF_RECEPTION_SPEC.rejectFrequencyErrorPct) / 100;
}

/**
 * The detector's frequency limit: halfway between the accept and reject
 * limits, so a measurement error of up to a quarter of the gap on either
 * side still meets both requirements (at 697 Hz: accept 12.5 Hz, reject
 * 24.4 Hz, limit 18.4 Hz).
 */
export function frequencyLimitHz(hz: number): number {
  return (acceptFrequencyErrorHz(hz) + rejectFrequencyErrorHz(hz)) / 2;
}

/** Shortest tone that is a digit, halfway between reject (23) and accept (40). */
export const MIN_DIGIT_MS = (DTMF_RECEPTION_SPEC.rejectToneMs + DTMF_RECEPTION_SPEC.acceptToneMs) / 2;

/**
 * Longest gap that does not split a digit: a bridged interruption (10 ms)
 * plus about one hop of edge uncertainty (a 10 ms dropout measures up to
 * 12 ms). Kept near the bridging side rather than halfway to a separating
 * pause (40 ms) because a digit is reported only once this much silence
 * follows it: every millisecond here is a millisecond of digit latency.
 */
export const MAX_BRIDGED_GAP_MS = 15;

/**
 * A packet lost on the way: RTP carries 20 ms of audio per packet by
 * default (RFC 3551 section 4.2; GSM 06.10 and AMR-NB frames are 20 ms
 * too), and a receiver without concealment plays a lost one as 20 ms of
 * silence.
 */
export const LOST_FRAME_MS = 20;

/**
 * Longest gap between two detections of the same key that still makes
 * them one key: halfway between a lost frame (20 ms) and the pause that
 * separates digits (40 ms, Q.24), so a lost frame (measured within a
 * hop of 20 ms) is bridged and a 40 ms pause (measured within a hop of
 * 40 ms) still separates. The digit is reported as before, once
 * MAX_BRIDGED_GAP_MS confirms its end; a detection of the same key
 * starting within this gap after it is its continuation and is not
 * reported again. A piece too short to be a digit by itself waits this
 * long for its continuation.
 */
export const MAX_LOST_FRAME_GAP_MS = (LOST_FRAME_MS + DTMF_RECEPTION_SPEC.acceptPauseMs) / 2;

/**
 * How close to 2:1 the high tone's frequency over the low tone's comes
 * for any key whose tones are within the accept limits (Q.23 pairs,
 * Q.24 tolerances): from below, 770 / 1477 Hz (6) reaches
 * (1477 + 24.2) / (770 - 13.6) = 1.9845 (2 and C come within 0.01 of it);
 * from above, 697 / 1477 Hz (3) comes down to (1477 - 24.2) / (697 + 12.5)
 * = 2.0478. No key's range holds 2:1 itself.
 */
export function closestKeyRatiosToOctave(): { below: number; above: number } {
  let below = 0;
  let above = Infinity;
  for (const low of ROW_HZ) {
    for (const high of COLUMN_HZ) {
      const least = (high - acceptFrequencyErrorHz(high)) / (low + acceptFrequencyErrorHz(low));
      const most = (high + acceptFrequencyErrorHz(high)) / (low - acceptFrequencyErrorHz(low));
      if (most < 2) below = Math.max(below, most);
      else if (least > 2) above = Math.min(above, least);
      else throw new Error(`key ${low}/${high} Hz can be an octave within the accept limits`);
    }
  }
  return { below, above };
}

/**
 * A pair whose measured frequencies are within this of 2:1 (as a ratio)
 * is a note and its own second harmonic, not a key: a third of the way
 * from 2 to the nearest in-tolerance key ratio (1.9845), so 2:1 rejection
 * never rejects a key within the accept limits, with two thirds of that
 * margin (0.5 %, 4 Hz at 770 Hz) left for the error of the two measured
 * frequencies. Only keys 2, 6 and C have a row whose octave is within
 * the frequency limit of their column.
 */
export const OCTAVE_RATIO_TOLERANCE = (2 - closestKeyRatiosToOctave().below) / 3;

/**
 * Options of the DTMF detector and the per-sample-rate plan derived from
 * them and from the spec table: block and hop lengths, Goertzel
 * coefficients, thresholds in linear units. Plans are immutable and shared
 * by every detector with the same rate and options.
 */
import { AudioParameterError } from '../errors.ts';
import {
  DETECTOR_DESIGN,
  DTMF_RECEPTION_SPEC,
  frequencyLimitHz,
  MAX_BRIDGED_GAP_MS,
  MAX_LOST_FRAME_GAP_MS,
  MIN_DIGIT_MS,
  rejectFrequencyErrorHz,
} from './detector-constants.ts';
import { checkSampleRate } from './dtmf-generator.ts';
import { COLUMN_HZ, ROW_HZ } from './dtmf-keys.ts';
import { goertzelCoefficient, hannWindow } from './goertzel.ts';
import { dbm0ToPower } from './levels.ts';
import { maxLeakageRatio } from './leakage-ratio.ts';

export interface DtmfDetectorOptions {
  /** Weakest tone that counts, per tone, in dBm0 (spec: accept -25, reject -55). */
  minToneLevelDbm0: number;
  /** Most the high-group tone may exceed the low-group tone, in dB (spec: 4). */
  maxStandardTwistDb: number;
  /** Most the low-group tone may exceed the high-group tone, in dB (spec: 8). */
  maxReverseTwistDb: number;
  /** Every other frequency of a group must be at least this far below the group's strongest, in dB. */
  minRelativePeakDb: number;
  /** Least share (0 to 1) of a block's energy that the two tones must carry. */
  minToneEnergyShare: number;
  /**
   * Each tone's second harmonic, averaged over the digit, must be at least
   * this far below the tone, in dB (a single block may come within
   * DETECTOR_DESIGN.blockHarmonicAllowanceDb of it, as noise varies per block).
   */
  minHarmonicRejectionDb: number;
  /** Hops quieter than this mean power (dBm0) skip the tone analysis. */
  energyGateDbm0: number;
}

export const DEFAULT_DTMF_DETECTOR_OPTIONS: Readonly<DtmfDetectorOptions> = Object.freeze({
  // 13 dB under the accept limit, 17 dB over the reject limit: about 40 dB
  // of dynamic range with +3 dBm0 tones still accepted.
  minToneLevelDbm0: -38,
  // 3 dB beyond the spec: a tone 1.6 % off loses up to 1.7 dB in its
  // 78 Hz wide bin, which shows up as extra twist.
  maxStandardTwistDb: DTMF_RECEPTION_SPEC.acceptStandardTwistDb + 3,
  maxReverseTwistDb: DTMF_RECEPTION_SPEC.acceptReverseTwistDb + 3,
  // As spandsp and Asterisk, but net of the tones' own leakage
  // (tone-leakage.ts): a tone at the accept limit leaves its neighbouring
  // row only 10.3 dB down by itself, which 8 dB would not always clear.
  minRelativePeakDb: 8,
  // A pair at the accept limits (both 1.6 % off, +4 dB twist) in 15 dB SNR
  // keeps about 70 % of the block's energy in its two bins; speech keeps far less.
  minToneEnergyShare: 0.6,
  // As Asterisk's column check; reed and flute timbres (2nd harmonic at
  // -12 to -14 dB) fail it, a sender's harmonics (below -20 dB) pass.
  minHarmonicRejectionDb: 18,
  // 12 dB under two tones at the minimum level.
  energyGateDbm0: -50,
});

/** Everything a detector needs, in samples and linear power units. */
export interface DetectorPlan {
  readonly sampleRate: number;
  /** Samples per hop (one segment), always even. */
  readonly hop: number;
  /** Samples per analysis block: hopsPerBlock hops. */
  readonly block: number;
  /** Nominal frequencies: 4 rows then 4 columns. */
  readonly hz: Float64Array;
  /** Nominal frequencies in radians per sample. */
  readonly omega: Float64Array;
  /** Goertzel coefficients 2cos(w) of the eight tones. */
  readonly coefficient: Float64Array;
  /** Per tone: cos w and sin w, interleaved. */
  readonly rotation: Float64Array;
  /** Per tone: the hop value (re, im) of a hop of constant 1, which a hop's mean leaks into its tone values. */
  readonly dcResponse: Float64Array;
  /**
   * For i = 1 .. hopsPerBlock - 1 and each tone: e^{jwHi} (re, im), which
   * turns the value of the hop i hops back onto the newest hop's phase
   * reference before they are summed into a block. Layout: (i - 1) * 16 + tone * 2.
   */
  readonly blockTwiddle: Float64Array;
  /** w H, the phase a nominal tone advances from one block to the next, per tone. */
  readonly hopPhase: Float64Array;
  /**
   * For tones t and n: e^{j (wn - wt)(N - 1) / 2}, the phase of t's
   * leakage into n's block value relative to t's own value
   * (tone-leakage.ts). Layout: (t * 8 + n) * 2.
   */
  readonly leakageTurn: Float64Array;
  /**
   * Most of t's amplitude that can leak into n's block value while t is
   * within its frequency limit: bounds what taking the leakage out can
   * change, so blocks it cannot save skip it. Layout: t * 8 + n (0 for t = n).
   */
  readonly leakageMax: Float64Array;
  /** Hann window over a block for harmonic measurements, and its sum. */
  readonly harmonicWindow: Float32Array;
  readonly harmonicWindowSum: number;
  /** How the second harmonic of row r is measured next to column c (ROW_HARMONIC): index r * 4 + c. */
  readonly rowHarmonic: Uint8Array;
  /** Reject limit of each tone (3.5 %), in Hz. */
  readonly maxErrorHz: Float64Array;
  /** Frequency limit of each tone, in radians of phase advance per hop. */
  readonly phaseLimitPerHop: Float64Array;
  /** A phase advance per hop, in radians, as a frequency error in Hz: fs / (2 pi hop). */
  readonly hzPerRadianPerHop: number;
  /** Block mean power of one tone at the minimum level. */
  readonly minTonePower: number;
  /** Hop energy (sum of squares) below which a hop is not analysed. */
  readonly gateEnergy: number;
  readonly maxStandardTwist: number;
  readonly maxReverseTwist: number;
  readonly relativePeak: number;
  /** The same limit as an amplitude ratio: 1 / sqrt(relativePeak). */
  readonly relativePeakAmplitude: number;
  readonly minToneEnergyShare: number;
  /**
   * Least share of the block's energy the strongest column must carry for
   * the block to be a hit (strongestColumn, block-classifier.ts): the energy
   * share the pair needs, over 1 plus the most the strongest row can
   * exceed the column by in a block that passes twist.
   */
  readonly minColumnShare: number;
  /** Tone-to-harmonic power ratio required over a digit, and of a single block. */
  readonly harmonicRejection: number;
  readonly blockHarmonicRejection: number;
  /** Shortest digit, and longest bridged gap, in samples. */
  readonly minDigitSamples: number;
  readonly maxGapSamples: number;
  /** Fewest hit blocks in a digit: the whole blocks a 40 ms tone always holds. */
  readonly minHits: number;
  /** Hops without a hit after which a digit ends regardless of segment presence. */
  readonly maxHopsWithoutHit: number;
  /** Longest gap that joins two detections of one key cut by a lost frame, in samples and in hops without a hit. */
  readonly maxLostFrameGapSamples: number;
  readonly maxHopsWithoutHitAcrossLoss: number;
  /**
   * Fewest hit blocks in a key cut by a lost frame: half of minHits, as a
   * 50 ms key with 20 ms lost keeps 30 ms of tone in two pieces, too short
   * for whole blocks.
   */
  readonly minHitsAcrossLoss: number;
}

/** How a row's second harmonic is measured beside a given column. */
export const ROW_HARMONIC = {
  /** Not at all: the column tone is too close to it. */
  none: 0,
  /** Directly: the column is clear of the window's main lobe. */
  direct: 1,
  /** With the column tone's predicted leakage subtracted. */
  lessColumn: 2,
} as const;

const OPTION_RANGES: Record<keyof DtmfDetectorOptions, readonly [number, number]> = {
  minToneLevelDbm0: [-70, 0],
  maxStandardTwistDb: [0, 20],
  maxReverseTwistDb: [0, 20],
  minRelativePeakDb: [0, 30],
  minToneEnergyShare: [0, 1],
  minHarmonicRejectionDb: [0, 40],
  energyGateDbm0: [-120, 0],
};

export function resolveDetectorOptions(partial: Partial<DtmfDetectorOptions>): DtmfDetectorOptions {
  const options = { ...DEFAULT_DTMF_DETECTOR_OPTIONS };
  for (const name of Object.keys(partial)) {
    if (!Object.hasOwn(OPTION_RANGES, name)) {
      throw new AudioParameterError(`unknown detector option ${name}; options: ${Object.keys(OPTION_RANGES).join(', ')}`);
    }
  }
  for (const name of Object.keys(OPTION_RANGES) as (keyof DtmfDetectorOptions)[]) {
    const value = partial[name];
    if (value === undefined) continue;
    const [low, high] = OPTION_RANGES[name];
    if (typeof value !== 'number' || !Number.isFinite(value) || value < low || value > high) {
      throw new AudioParameterError(`detector option ${name} must be a number from ${low} to ${high}, got ${String(value)}`);
    }
    options[name] = value;
  }
  return options;
}

const fromDb = (db: number): number => 10 ** (db / 10);

function derivePlan(sampleRate: number, options: DtmfDetectorOptions): DetectorPlan {
  // An even number of samples, so the filter loop can take samples in pairs.
  const hop = 2 * Math.round((sampleRate * DETECTOR_DESIGN.blockMs) / DETECTOR_DESIGN.hopsPerBlock / 2000);
  const block = hop * DETECTOR_DESIGN.hopsPerBlock;
  const hz = Float64Array.from([...ROW_HZ, ...COLUMN_HZ]);
  const w = Array.from(hz, (f) => (2 * Math.PI * f) / sampleRate);
  const binHz = sampleRate / block;
  const harmonicWindow = hannWindow(block);
  const rowHarmonic = new Uint8Array(16);
  for (let r = 0; r < 4; r++) {
    for (let c = 0; c < 4; c++) {
      // Next to a column tone closer than the Hann window's main lobe plus
      // the frequency tolerance, the row's harmonic is measured with the
      // column's leakage taken out, unless even that cannot tell them
      // apart at the frequency limits; then only the column harmonic is checked.
      const row = ROW_HZ[r]!;
      const column = COLUMN_HZ[c]!;
      const distance = Math.abs(2 * row - column);
      const leastDistance = distance - 2 * frequencyLimitHz(row) - frequencyLimitHz(column);
      rowHarmonic[r * 4 + c] =
        distance >= DETECTOR_DESIGN.harmonicClearanceBins * binHz
          ? ROW_HARMONIC.direct
          : leastDistance >= DETECTOR_DESIGN.harmonicLeakageClearanceBins * binHz
            ? ROW_HARMONIC.lessColumn
            : ROW_HARMONIC.none;
    }
  }
  const leakageMax = Float64Array.from({ length: 64 }, (_, i) => {
    const tone = i >> 3;
    const other = i & 7;
    const bound = (2 * Math.PI * frequencyLimitHz(hz[tone]!)) / sampleRate;
    return tone === other ? 0 : maxLeakageRatio(block, w[tone]!, w[other]!, bound);
  });
  const accept = DTMF_RECEPTION_SPEC.acceptToneMs;
  const minHits = Math.floor((Math.round((sampleRate * accept) / 1000) - block) / hop);
  const maxGapSamples = Math.round((sampleRate * MAX_BRIDGED_GAP_MS) / 1000);
  const maxLostFrameGapSamples = Math.round((sampleRate * MAX_LOST_FRAME_GAP_MS) / 1000);
  return {
    sampleRate,
    hop,
    block,
    hz,
    omega: Float64Array.from(w),
    coefficient: Float64Array.from(hz, (f) => goertzelCoefficient(f, sampleRate)),
    rotation: Float64Array.from(w.flatMap((x) => [Math.cos(x), Math.sin(x)])),
    dcResponse: Float64Array.from(w.flatMap((x) => constantHopValue(x, hop))),
    blockTwiddle: Float64Array.from(
      Array.from({ length: DETECTOR_DESIGN.hopsPerBlock - 1 }, (_, i) =>
        w.flatMap((x) => [Math.cos(x * hop * (i + 1)), Math.sin(x * hop * (i + 1))]),
      ).flat(),
    ),
    hopPhase: Float64Array.from(w, (x) => x * hop),
    leakageTurn: Float64Array.from(
      w.flatMap((wt) =>
        w.flatMap((wn) => [Math.cos(((wn - wt) * (block - 1)) / 2), Math.sin(((wn - wt) * (block - 1)) / 2)]),
      ),
    ),
    leakageMax,
    harmonicWindow,
    harmonicWindowSum: harmonicWindow.reduce((sum, w) => sum + w, 0),
    rowHarmonic,
    maxErrorHz: Float64Array.from(hz, rejectFrequencyErrorHz),
    phaseLimitPerHop: Float64Array.from(hz, (f) => (2 * Math.PI * frequencyLimitHz(f) * hop) / sampleRate),
    hzPerRadianPerHop: sampleRate / (2 * Math.PI * hop),
    minTonePower: dbm0ToPower(options.minToneLevelDbm0),
    gateEnergy: hop * dbm0ToPower(options.energyGateDbm0),
    maxStandardTwist: fromDb(options.maxStandardTwistDb),
    maxReverseTwist: fromDb(options.maxReverseTwistDb),
    relativePeak: fromDb(options.minRelativePeakDb),
    relativePeakAmplitude: 10 ** (-options.minRelativePeakDb / 20),
    minToneEnergyShare: options.minToneEnergyShare,
    minColumnShare: minColumnShare(options.minToneEnergyShare, fromDb(options.maxReverseTwistDb), leakageMax),
    harmonicRejection: fromDb(options.minHarmonicRejectionDb),
    blockHarmonicRejection: fromDb(options.minHarmonicRejectionDb - DETECTOR_DESIGN.blockHarmonicAllowanceDb),
    minDigitSamples: Math.round((sampleRate * MIN_DIGIT_MS) / 1000),
    maxGapSamples,
    minHits,
    minHitsAcrossLoss: Math.ceil(minHits / 2),
    maxHopsWithoutHit: Math.ceil((maxGapSamples + block) / hop),
    maxLostFrameGapSamples,
    maxHopsWithoutHitAcrossLoss: Math.ceil((maxLostFrameGapSamples + block) / hop),
  };
}

/**
 * The least share of a block's energy that its strongest column carries
 * in any block that passes both the energy share and the reverse twist
 * check (block-classifier.ts). Twist is judged net of leakage up to
 * leakageMax, so a row of amplitude R passes beside a column of amplitude
 * C only if R - Lcr C <= t (C + Lrc R), t the twist limit as an amplitude
 * ratio: R <= C (t + Lcr) / (1 - t Lrc). Then R^2 + C^2 <= (1 + K) C^2,
 * and the pair's share needs C^2 >= share E / (1 + K). Kept a hair under
 * that so rounding never turns the bound against a hit.
 */
function minColumnShare(share: number, maxReverseTwist: number, leakageMax: Float64Array): number {
  const t = Math.sqrt(maxReverseTwist);
  let most = 0;
  for (let row = 0; row < 4; row++) {
    for (let col = 4; col < 8; col++) {
      const denominator = 1 - t * leakageMax[row * 8 + col]!;
      if (denominator <= 0) return 0;
      const ratio = (t + leakageMax[col * 8 + row]!) / denominator;
      most = Math.max(most, ratio * ratio);
    }
  }
  return (share / (1 + most)) * (1 - 1e-9);
}

/**
 * The hop filter's value at `omega` for `hop` samples of 1, by the same
 * recurrence as hop-filter-bank.ts, referenced to the hop's last sample.
 */
function constantHopValue(omega: number, hop: number): [number, number] {
  const coefficient = 2 * Math.cos(omega);
  let s1 = 0;
  let s2 = 0;
  for (let n = 0; n < hop; n++) {
    const s0 = 1 - s2 + coefficient * s1;
    s2 = s1;
    s1 = s0;
  }
  return [s1 - Math.cos(omega) * s2, Math.sin(omega) * s2];
}

const plans = new Map<string, DetectorPlan>();
const MAX_CACHED_PLANS = 64;

/** The plan for a rate and options; validates both (AudioParameterError). */
export function planDetector(sampleRate: number, partial: Partial<DtmfDetectorOptions> = {}): DetectorPlan {
  checkSampleRate(sampleRate);
  const options = resolveDetectorOptions(partial);
  const key = `${sampleRate}:${Object.values(options).join(':')}`;
  let plan = plans.get(key);
  if (!plan) {
    if (plans.size >= MAX_CACHED_PLANS) plans.clear();
    plan = derivePlan(sampleRate, options);
    plans.set(key, plan);
  }
  return plan;
}

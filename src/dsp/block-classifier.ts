/**
 * Decides whether one analysis block holds a DTMF tone pair: the checks
 * of spandsp and Asterisk (level, twist, relative peak, share of the total
 * energy) plus a second-harmonic check against voiced speech and music.
 * Twist and relative peak are judged net of the two tones' own leakage
 * where that decides the verdict (tone-leakage.ts): otherwise a pair at the
 * accept limits fails them in some blocks as its tones beat, which costs a
 * 40 ms tone its digit or splits a long one in two.
 * The exact frequency is checked per block-length stretch of the whole
 * tone by the tracker (frequency-check.ts).
 */
import { hopPhaseError } from './frequency-check.ts';
import { ROW_HARMONIC, type DetectorPlan } from './detector-plan.ts';
import { goertzelRingPowerWindowed, goertzelRingPowerWindowedPair, goertzelRingValueWindowed, windowValue } from './goertzel.ts';
import { powerWithoutLeakage } from './tone-leakage.ts';

/** Why a block is not a hit (negative, so a key index 0-15 means a hit). */
export const BLOCK_MISS = {
  /** Too little energy for two tones at the minimum level. */
  quiet: -1,
  /** The strongest row or column is below the minimum level. */
  weak: -2,
  /** Row and column levels differ by more than the twist limits. */
  twist: -3,
  /** A second row or column is too close to the strongest. */
  relativePeak: -4,
  /**
   * The two tones carry too small a share of the block's energy, or the
   * strongest column too small a share for any row within the twist
   * limit to make it up (strongestColumn; the rows are then not computed).
   */
  energyShare: -5,
  /** A tone has a second harmonic (voice, instruments). */
  harmonic: -6,
  /**
   * Not classified: the block before was quiet or weak and no digit is in
   * progress, so a tone can fill at most one hop of this block (which
   * cannot pass the energy-share check), or be within 3.5 dB of the
   * minimum level.
   */
  skipped: -7,
} as const;

/**
 * First half of classifying a block from `phasors`, its complex tone
 * values (rows then columns; only the columns are read) and `meanEnergy`,
 * its mean power: writes the column powers, normalised to mean sine
 * power, to `power` and returns the strongest column (4-7), or a
 * BLOCK_MISS code. With `minColumnShare` above 0 (plan.minColumnShare),
 * a column too weak for any pair with it to pass both the energy share
 * and the twist check is an energy-share miss, so its rows need not be
 * computed; 0 leaves that to classifyBlock.
 */
export function strongestColumn(
  plan: DetectorPlan,
  phasors: Float64Array,
  meanEnergy: number,
  power: Float64Array,
  minColumnShare: number,
): number {
  const scale = 2 / (plan.block * plan.block);
  let col = 4;
  for (let i = 4; i < 8; i++) {
    const re = phasors[i * 2]!;
    const im = phasors[i * 2 + 1]!;
    power[i] = (re * re + im * im) * scale;
    if (power[i]! > power[col]!) col = i;
  }
  const colPower = power[col]!;
  if (colPower < plan.minTonePower) {
    for (let i = 0; i < 4; i++) power[i] = 0;
    return BLOCK_MISS.weak;
  }
  if (colPower < minColumnShare * meanEnergy) return BLOCK_MISS.energyShare;
  return col;
}

/**
 * Classifies a block whose strongest column `col` passed strongestColumn:
 * `phasors` holds all its tone values (`previousPhasors` those of the
 * block one hop earlier, zeros if none) and `power` its column powers;
 * the block's samples are `plan.block` samples of `ring` from `ringStart`.
 * Writes the row powers to `power`. Returns row * 4 + column, or a
 * BLOCK_MISS code. For a hit, `harmonics` receives the second-harmonic
 * powers of the row (-1 if not measurable) and column.
 */
export function classifyBlock(
  plan: DetectorPlan,
  col: number,
  phasors: Float64Array,
  previousPhasors: Float64Array,
  meanEnergy: number,
  power: Float64Array,
  ring: Int16Array,
  ringStart: number,
  harmonics: Float64Array,
): number {
  const minTone = plan.minTonePower;
  const scale = 2 / (plan.block * plan.block);
  const colPower = power[col]!;
  let row = 0;
  for (let i = 0; i < 4; i++) {
    const re = phasors[i * 2]!;
    const im = phasors[i * 2 + 1]!;
    power[i] = (re * re + im * im) * scale;
    if (power[i]! > power[row]!) row = i;
  }
  const rowPower = power[row]!;
  if (rowPower < minTone) return BLOCK_MISS.weak;
  const twistFails = colPower > rowPower * plan.maxStandardTwist || rowPower > colPower * plan.maxReverseTwist;
  const peak = plan.relativePeak;
  let neighbourTooClose = false;
  for (let i = 0; i < 4; i++) {
    if (i !== row && power[i]! * peak > rowPower) neighbourTooClose = true;
    if (i + 4 !== col && power[i + 4]! * peak > colPower) neighbourTooClose = true;
  }
  if (rowPower + colPower < plan.minToneEnergyShare * meanEnergy) return BLOCK_MISS.energyShare;
  // A pair at the accept limits can fail twist or relative peak through its
  // tones' own leakage (tone-leakage.ts): those are judged again without it,
  // last, as that needs the tones' frequencies.
  if (twistFails && !twistHoldsWithoutLeakage(plan, row, col, rowPower, colPower, phasors, previousPhasors)) {
    return BLOCK_MISS.twist;
  }
  if (neighbourTooClose && !relativePeakHoldsWithoutLeakage(plan, row, col, power, phasors, previousPhasors)) {
    return BLOCK_MISS.relativePeak;
  }
  const key = row * 4 + (col - 4);
  const limit = plan.blockHarmonicRejection;
  const colOmega = measuredOmega(plan, col, phasors, previousPhasors);
  const colCoefficient = 2 * Math.cos(2 * colOmega);
  const mode = plan.rowHarmonic[key];
  if (mode === ROW_HARMONIC.direct) {
    const rowCoefficient = 2 * Math.cos(2 * measuredOmega(plan, row, phasors, previousPhasors));
    goertzelRingPowerWindowedPair(ring, ringStart, plan.harmonicWindow, plan.harmonicWindowSum, rowCoefficient, colCoefficient, harmonics);
  } else {
    harmonics[0] = -1;
    harmonics[1] = goertzelRingPowerWindowed(ring, ringStart, plan.harmonicWindow, plan.harmonicWindowSum, colCoefficient);
    if (mode === ROW_HARMONIC.lessColumn && harmonics[1]! * limit <= colPower) {
      harmonics[0] = rowHarmonicLessColumn(plan, ring, ringStart, 2 * measuredOmega(plan, row, phasors, previousPhasors), colOmega);
    }
  }
  if (harmonics[1]! * limit > colPower || harmonics[0]! * limit > rowPower) return BLOCK_MISS.harmonic;
  return key;
}

/**
 * Whether the twist limits hold for the two tones once each one's leakage
 * into the other is taken out: the stronger tone's sidelobe beats with the
 * weaker tone and moves its power by up to ±2.5 dB at 8 dB twist.
 */
function twistHoldsWithoutLeakage(
  plan: DetectorPlan,
  row: number,
  col: number,
  rowPower: number,
  colPower: number,
  phasors: Float64Array,
  previous: Float64Array,
): boolean {
  // What the leakage could at most change, before measuring it.
  const rowAmplitude = Math.sqrt(rowPower);
  const colAmplitude = Math.sqrt(colPower);
  const intoRow = plan.leakageMax[col * 8 + row]! * colAmplitude;
  const intoCol = plan.leakageMax[row * 8 + col]! * rowAmplitude;
  const rowLeast = Math.max(0, rowAmplitude - intoRow);
  const colLeast = Math.max(0, colAmplitude - intoCol);
  const rowMost = rowAmplitude + intoRow;
  const colMost = colAmplitude + intoCol;
  if (colLeast * colLeast > rowMost * rowMost * plan.maxStandardTwist) return false;
  if (rowLeast * rowLeast > colMost * colMost * plan.maxReverseTwist) return false;
  const rowOwn = powerWithoutLeakage(plan, col, row, phasors, previous);
  const colOwn = powerWithoutLeakage(plan, row, col, phasors, previous);
  return colOwn <= rowOwn * plan.maxStandardTwist && rowOwn <= colOwn * plan.maxReverseTwist;
}

/**
 * Whether every other row and column is far enough below its group's
 * strongest once that tone's own leakage is taken out: a tone at the
 * accept limit leaves the next row only 10.3 dB below it by itself.
 */
function relativePeakHoldsWithoutLeakage(
  plan: DetectorPlan,
  row: number,
  col: number,
  power: Float64Array,
  phasors: Float64Array,
  previous: Float64Array,
): boolean {
  for (let i = 0; i < 4; i++) {
    if (i !== row && !belowPeakWithoutLeakage(plan, row, i, power, phasors, previous)) return false;
    if (i + 4 !== col && !belowPeakWithoutLeakage(plan, col, i + 4, power, phasors, previous)) return false;
  }
  return true;
}

/** Whether `other` is within the relative-peak limit of `tone` once `tone`'s leakage into it is taken out. */
function belowPeakWithoutLeakage(
  plan: DetectorPlan,
  tone: number,
  other: number,
  power: Float64Array,
  phasors: Float64Array,
  previous: Float64Array,
): boolean {
  const tonePower = power[tone]!;
  if (power[other]! * plan.relativePeak <= tonePower) return true;
  // What the leakage could at most explain, before measuring it.
  const reach = plan.leakageMax[tone * 8 + other]! + plan.relativePeakAmplitude;
  if (power[other]! > reach * reach * tonePower) return false;
  return powerWithoutLeakage(plan, tone, other, phasors, previous) * plan.relativePeak <= tonePower;
}

/**
 * The tone's measured frequency in radians per sample, for measuring its
 * harmonic at twice it (through a Hann window, by the caller): the phase
 * advance over one hop gives the tone's error, which doubles at the
 * harmonic and would otherwise put a harmonic of an off-nominal tone
 * (music in a different tuning) on the slope of a bin only one bin wide.
 */
function measuredOmega(plan: DetectorPlan, tone: number, phasors: Float64Array, previous: Float64Array): number {
  const step = hopPhaseError(phasors, previous, tone, plan.hopPhase[tone]!);
  const nominal = plan.hz[tone]!;
  // The previous block may be silence or the tone's edge: trust the
  // estimate only as far as a tone that could still be accepted.
  const bound = plan.maxErrorHz[tone]!;
  const error = Math.max(-bound, Math.min(bound, (step * plan.sampleRate) / (2 * Math.PI * plan.hop)));
  return (2 * Math.PI * (nominal + error)) / plan.sampleRate;
}

/** Scratch for rowHarmonicLessColumn: harmonic value, column value, window spectrum (re, im each). */
const values = new Float64Array(6);

/**
 * Windowed power at `harmonicOmega` (twice the row's measured frequency)
 * once the column tone's leakage is subtracted: the column's windowed
 * value at its measured frequency `columnOmega`, times the window's
 * spectrum at their distance over the window's sum. The column's
 * negative-frequency image and the row tone itself are 9 bins or more
 * away, where the Hann window leaves under -60 dB.
 */
function rowHarmonicLessColumn(plan: DetectorPlan, ring: Int16Array, ringStart: number, harmonicOmega: number, columnOmega: number): number {
  const window = plan.harmonicWindow;
  goertzelRingValueWindowed(ring, ringStart, window, harmonicOmega, values, 0);
  goertzelRingValueWindowed(ring, ringStart, window, columnOmega, values, 2);
  windowValue(window, harmonicOmega - columnOmega, values, 4);
  const sum = plan.harmonicWindowSum;
  const leakRe = (values[2]! * values[4]! - values[3]! * values[5]!) / sum;
  const leakIm = (values[2]! * values[5]! + values[3]! * values[4]!) / sum;
  const re = values[0]! - leakRe;
  const im = values[1]! - leakIm;
  return (2 * (re * re + im * im)) / (sum * sum);
}

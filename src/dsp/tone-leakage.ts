/**
 * Leakage of one tone into the block value at another tone's frequency.
 * Rows are 73-89 Hz apart, less than the 78 Hz bin spacing at 8 kHz, and
 * columns 127-156 Hz: a tone at the accept limit (1.5 % + 2 Hz) towards
 * its neighbour leaves that neighbour only 10.3 dB (rows) or 12.5 dB
 * (columns) below it, 2.3-4.5 dB clear of the relative-peak limit (8 dB). The
 * other group's tone, 8 dB stronger at reverse twist (4 dB at standard),
 * adds a sidelobe that beats with both, so in some blocks the neighbour
 * comes within 8 dB or the weaker tone swings by ±2.5 dB against the twist
 * limit. That leakage is exactly predictable from the tone's value and
 * measured frequency; what is left once it is taken out is what those
 * checks are for: a second tone, speech or music.
 *
 * For a tone at w0 + d, block values referenced to the block's last
 * sample (N samples), the value at frequency wn is the value at w0 times
 *   e^{j (wn - w0)(N - 1) / 2} * D(w0 + d - wn) / D(d),
 *   D(x) = sin(N x / 2) / sin(x / 2),
 * exactly for the tone's positive-frequency half. Its negative-frequency
 * image, which the phase measurement also sees, is not modelled: for a
 * tone within the accept limit it leaves at most -27 dB of the tone in a
 * bin of its own group (-36 dB in the other group), far inside the limits.
 */
import type { DetectorPlan } from './detector-plan.ts';
import { hopPhaseError } from './frequency-check.ts';
import { leakageRatio } from './leakage-ratio.ts';

/**
 * Frequency error of `tone` in radians per sample, from its phase advance
 * between the previous block (one hop earlier) and this one, clamped to
 * the detector's frequency limit: the previous block may be silence or
 * the tone's partly filled edge, so the estimate is trusted only as far
 * as a tone the detector could still accept.
 */
export function toneErrorPerSample(plan: DetectorPlan, tone: number, phasors: Float64Array, previous: Float64Array): number {
  const step = hopPhaseError(phasors, previous, tone, plan.hopPhase[tone]!);
  const bound = plan.phaseLimitPerHop[tone]!;
  return Math.max(-bound, Math.min(bound, step)) / plan.hop;
}

/**
 * Power (normalised as the block powers) left at `other`'s frequency once
 * the leakage of `tone`, at its measured frequency, is subtracted.
 */
export function powerWithoutLeakage(
  plan: DetectorPlan,
  tone: number,
  other: number,
  phasors: Float64Array,
  previous: Float64Array,
): number {
  const error = toneErrorPerSample(plan, tone, phasors, previous);
  const ratio = leakageRatio(plan.block, plan.omega[tone]!, error, plan.omega[other]!);
  const turn = (tone * 8 + other) * 2;
  const turnRe = plan.leakageTurn[turn]! * ratio;
  const turnIm = plan.leakageTurn[turn + 1]! * ratio;
  const re = phasors[tone * 2]!;
  const im = phasors[tone * 2 + 1]!;
  const leftRe = phasors[other * 2]! - (re * turnRe - im * turnIm);
  const leftIm = phasors[other * 2 + 1]! - (re * turnIm + im * turnRe);
  return ((leftRe * leftRe + leftIm * leftIm) * 2) / (plan.block * plan.block);
}

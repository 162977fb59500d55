/**
 * Checks a candidate digit's two frequencies from the phase advance of its
 * blocks. Net of a nominal tone's advance, blocks one hop apart differ in
 * phase by 2 pi (f - f0) hop / fs, unambiguous for errors up to
 * fs / (2 hop) (118 Hz), so the steps unwrap the advance over a whole block
 * length, which measures the error to about 2 Hz where block magnitudes
 * cannot tell 1.5 % from 3.5 %.
 *
 * Every block-length stretch of the tone must be within the limits, except
 * the first and last of a streak, whose outer block may be only partly
 * covered by the tone (its phase centre is shifted and shrinks the
 * measured error). So a steady tone passes, and a glide through the band
 * fails at its ends instead of averaging to a pass.
 */
import { DETECTOR_DESIGN } from './detector-constants.ts';

const HOPS = DETECTOR_DESIGN.hopsPerBlock;

export class FrequencyCheck {
  /** Phase steps in the current streak of consecutive tone blocks. */
  private streak = 0;
  /** The last HOPS steps, low tone then high tone, as a ring. */
  private readonly ring = new Float64Array(2 * HOPS);
  /** The newest block-length advance, judged when the next one arrives. */
  private pendingLow = 0;
  private pendingHigh = 0;
  private pending = false;
  private pendingIsFirst = false;
  private checked = 0;
  private failed = false;
  /** Phase advance beyond nominal summed over the judged stretches, and over every step. */
  private judgedLow = 0;
  private judgedHigh = 0;
  private allLow = 0;
  private allHigh = 0;
  private steps = 0;
  /** Limits in radians per hop. */
  private lowLimit = 0;
  private highLimit = 0;

  /** Starts a new candidate with limits in radians of phase advance per hop. */
  start(lowLimitPerHop: number, highLimitPerHop: number): void {
    this.lowLimit = lowLimitPerHop;
    this.highLimit = highLimitPerHop;
    this.streak = 0;
    this.pending = false;
    this.checked = 0;
    this.failed = false;
    this.judgedLow = 0;
    this.judgedHigh = 0;
    this.allLow = 0;
    this.allHigh = 0;
    this.steps = 0;
  }

  /** A block that is not (mostly) the tone ends the streak. */
  interrupt(): void {
    this.streak = 0;
    this.pending = false;
  }

  /** Adds the phase steps of both tones from the previous block to this one. */
  addStep(lowStep: number, highStep: number): void {
    const at = this.streak % HOPS;
    this.ring[at] = lowStep;
    this.ring[HOPS + at] = highStep;
    this.allLow += lowStep;
    this.allHigh += highStep;
    this.steps++;
    this.streak++;
    if (this.streak < HOPS) return;
    let low = 0;
    let high = 0;
    for (let i = 0; i < HOPS; i++) {
      low += this.ring[i]!;
      high += this.ring[HOPS + i]!;
    }
    if (this.pending && !this.pendingIsFirst) {
      this.checked++;
      this.judgedLow += this.pendingLow;
      this.judgedHigh += this.pendingHigh;
      if (Math.abs(this.pendingLow) > HOPS * this.lowLimit || Math.abs(this.pendingHigh) > HOPS * this.highLimit) {
        this.failed = true;
      }
    }
    this.pendingLow = low;
    this.pendingHigh = high;
    this.pendingIsFirst = this.streak === HOPS;
    this.pending = true;
  }

  /**
   * True when at least one stretch was judged and none failed. A key cut
   * by a lost frame (`acrossLoss`) may hold no whole stretch: then the
   * mean advance over all its steps, at least a block length of them,
   * must be within the limits.
   */
  passed(acrossLoss = false): boolean {
    if (this.checked > 0) return !this.failed;
    if (!acrossLoss || this.steps < HOPS) return false;
    return Math.abs(this.allLow) <= this.steps * this.lowLimit && Math.abs(this.allHigh) <= this.steps * this.highLimit;
  }

  /**
   * Mean phase advance beyond nominal per hop, low tone then high tone,
   * in radians: over the judged stretches (clear of the tone's edges,
   * where a partly covered block pulls the estimate towards nominal), or
   * over every step when none was judged.
   */
  meanErrorPerHop(out: Float64Array): void {
    if (this.checked > 0) {
      out[0] = this.judgedLow / (this.checked * HOPS);
      out[1] = this.judgedHigh / (this.checked * HOPS);
    } else {
      out[0] = this.steps > 0 ? this.allLow / this.steps : 0;
      out[1] = this.steps > 0 ? this.allHigh / this.steps : 0;
    }
  }

  /** Number of stretches judged so far. */
  get checkedStretches(): number {
    return this.checked;
  }
}

/** Phase of (re + j im) relative to (prevRe + j prevIm), in (-pi, pi]. */
export function phaseStep(re: number, im: number, prevRe: number, prevIm: number): number {
  return Math.atan2(im * prevRe - re * prevIm, re * prevRe + im * prevIm);
}

/** `x` wrapped into (-pi, pi]. */
export function wrapPhase(x: number): number {
  return x - 2 * Math.PI * Math.round(x / (2 * Math.PI));
}

/**
 * How far `tone`'s phase advanced between the previous block (one hop
 * earlier) and this one beyond a nominal tone's `nominalStep`, in (-pi, pi]:
 * 2 pi (f - f0) hop / fs. Block values (re, im interleaved per tone) are
 * referenced to each block's last sample.
 */
export function hopPhaseError(phasors: Float64Array, previous: Float64Array, tone: number, nominalStep: number): number {
  const at = tone * 2;
  return wrapPhase(phaseStep(phasors[at]!, phasors[at + 1]!, previous[at]!, previous[at + 1]!) - nominalStep);
}

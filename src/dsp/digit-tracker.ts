/**
 * Turns per-hop block verdicts into digits. A hit block starts a candidate
 * for its key; the candidate's edges are placed from per-segment (per-hop)
 * amplitudes at the key's two frequencies, to a fraction of a hop, and a
 * gap shorter than MAX_BRIDGED_GAP_MS does not end it. When it ends, it is
 * a digit if it lasted MIN_DIGIT_MS, had the hit blocks a minimum tone
 * always gives, kept both frequencies within limits (frequency-check.ts),
 * its second harmonics, averaged over the digit, stayed low, and its two
 * frequencies are not at 2:1 (a note and its octave).
 *
 * A lost packet (20 ms of silence) is bridged up to MAX_LOST_FRAME_GAP_MS:
 * a detection of the key just reported that starts that soon after it is
 * not reported again, and a piece too short to be a digit waits that long,
 * across silence, for the rest of its key.
 */
import { BLOCK_MISS } from './block-classifier.ts';
import { DETECTOR_DESIGN, OCTAVE_RATIO_TOLERANCE } from './detector-constants.ts';
import type { DetectorPlan } from './detector-plan.ts';
import { KEYPAD, type DigitEvent } from './dtmf-keys.ts';
import { FrequencyCheck, phaseStep, wrapPhase } from './frequency-check.ts';

/** Segments kept for placing the start edge: a block plus two before it. */
export const SEGMENT_HISTORY = DETECTOR_DESIGN.hopsPerBlock + 2;

const KEYS = KEYPAD.flat();
const PRESENT = DETECTOR_DESIGN.presentSegmentShare;
const PARTIAL_FLOOR = DETECTOR_DESIGN.partialSegmentFloor;
const TONE_BLOCK = DETECTOR_DESIGN.toneBlockShare;
const HOPS = DETECTOR_DESIGN.hopsPerBlock;
const QUIET: number = BLOCK_MISS.quiet;
const DIGIT_TONE_SHARE = DETECTOR_DESIGN.digitToneEnergyShare;

/**
 * Layout shared with the detector: `segments[(slot * 8 + tone) * 2]` is
 * the real part (then imaginary) of segment `slot = index % SEGMENT_HISTORY`
 * at tone 0-7 (rows then columns).
 * `blockPhasors[tone * 2]` likewise holds the current block's values and
 * `power[tone]` its powers (`power[8]` its mean energy). Values are phase-referenced to the last sample
 * of their hop or block.
 */
export class DigitTracker {
  private key = -1;
  private row = 0;
  private col = 4;
  private startSample = 0;
  private hits = 0;
  private lastHitSegment = 0;
  private lastPresentSegment = 0;
  private lastPresentShare = 0;
  private tailShare = 0;
  /** Amplitude of a segment full of each tone. */
  private rowReference = 1;
  private colReference = 1;
  /** Strongest block powers of the two tones in this candidate. */
  private rowPeakPower = 0;
  private colPeakPower = 0;
  /** Whether the previous block was mostly this tone, and its phasors. */
  private previousToneBlock = false;
  private prevRowRe = 0;
  private prevRowIm = 0;
  private prevColRe = 0;
  private prevColIm = 0;
  /** Tone and second-harmonic powers summed over the hit blocks. */
  private rowTonePower = 0;
  private colTonePower = 0;
  private rowHarmonicPower = 0;
  private colHarmonicPower = 0;
  private rowHarmonicMeasured = true;
  /** Mean block energy summed over the hit blocks. */
  private energy = 0;
  private readonly frequency = new FrequencyCheck();
  /** Mean frequency errors of the two tones, in radians per hop (scratch). */
  private readonly meanError = new Float64Array(2);
  /**
   * The last digit reported and where it ended: a detection of the same
   * key starting within plan.maxLostFrameGapSamples of it continues it.
   */
  private reportedKey = -1;
  private reportedEnd = 0;
  /** Whether this candidate continues the digit reported last (it is not reported again). */
  private continuation = false;
  /**
   * Whether this candidate is waiting for its continuation across a
   * silent gap longer than MAX_BRIDGED_GAP_MS, and whether it resumed
   * after such a gap (a key cut by a lost frame).
   */
  private waiting = false;
  private bridged = false;
  /** Whether a block since the last hit was quiet (too little energy for any tone): the line went silent. */
  private silentSinceHit = false;

  constructor(private readonly plan: DetectorPlan) {}

  get active(): boolean {
    return this.key >= 0;
  }

  reset(): void {
    this.key = -1;
    this.reportedKey = -1;
  }

  /**
   * Feeds the block ending with segment `segment`: `hit` is its verdict,
   * `computed` whether its phasors and powers were computed (not a quiet
   * block); for a hit, `harmonics` holds the second-harmonic powers of its
   * row (-1: not measured) and column.
   */
  step(
    segment: number,
    hit: number,
    computed: boolean,
    segments: Float64Array,
    blockPhasors: Float64Array,
    power: Float64Array,
    harmonics: Float64Array,
    out: DigitEvent[],
  ): void {
    if (hit >= 0 && hit !== this.key) {
      if (this.key >= 0) this.finish(out);
      this.begin(segment, hit, segments);
    }
    if (this.key < 0) return;
    const isHit = hit === this.key;
    const row = this.row;
    const col = this.col;
    if (hit === QUIET) this.silentSinceHit = true;
    if (isHit) {
      this.silentSinceHit = false;
      this.hits++;
      this.lastHitSegment = segment;
      this.rowPeakPower = Math.max(this.rowPeakPower, power[row]!);
      this.colPeakPower = Math.max(this.colPeakPower, power[col]!);
      this.rowTonePower += power[row]!;
      this.colTonePower += power[col]!;
      this.energy += power[8]!;
      this.colHarmonicPower += harmonics[1]!;
      if (harmonics[0]! >= 0) this.rowHarmonicPower += harmonics[0]!;
      else this.rowHarmonicMeasured = false;
      this.takeReferences(segment, segments);
    }
    // A block that missed only through leakage (strong twist) or noise is
    // still mostly tone and keeps the phase measurement going.
    const toneBlock =
      isHit ||
      (computed && power[row]! >= TONE_BLOCK * this.rowPeakPower && power[col]! >= TONE_BLOCK * this.colPeakPower);
    if (toneBlock) {
      const r = row * 2;
      const c = col * 2;
      if (this.previousToneBlock) {
        // Block values are referenced to each block's last sample: a nominal
        // tone advances w H per hop, and the rest is its frequency error.
        const hopPhase = this.plan.hopPhase;
        this.frequency.addStep(
          wrapPhase(phaseStep(blockPhasors[r]!, blockPhasors[r + 1]!, this.prevRowRe, this.prevRowIm) - hopPhase[row]!),
          wrapPhase(phaseStep(blockPhasors[c]!, blockPhasors[c + 1]!, this.prevColRe, this.prevColIm) - hopPhase[col]!),
        );
      }
      this.prevRowRe = blockPhasors[r]!;
      this.prevRowIm = blockPhasors[r + 1]!;
      this.prevColRe = blockPhasors[c]!;
      this.prevColIm = blockPhasors[c + 1]!;
    } else {
      this.frequency.interrupt();
    }
    this.previousToneBlock = toneBlock;
    this.observe(segment, segments);
    if (isHit) return;
    const plan = this.plan;
    const gap = (segment + 1) * plan.hop - this.endSample();
    const hopsWithoutHit = segment - this.lastHitSegment;
    if (gap < plan.maxGapSamples && hopsWithoutHit < plan.maxHopsWithoutHit) return;
    // A digit is reported as soon as its end is confirmed; a piece too
    // short to be one waits for the rest of a key cut by a lost frame, if
    // the line went silent after it (a lost frame is played as silence; a
    // tone that goes on but fails the checks is no loss).
    if (
      this.continuation ||
      !this.silentSinceHit ||
      this.isDigit() ||
      gap >= plan.maxLostFrameGapSamples ||
      hopsWithoutHit >= plan.maxHopsWithoutHitAcrossLoss
    ) {
      this.finish(out);
    } else {
      this.waiting = true;
    }
  }

  /** Ends the input: a candidate still sounding is judged now. */
  flush(out: DigitEvent[]): void {
    if (this.key >= 0) this.finish(out);
  }

  private begin(segment: number, key: number, segments: Float64Array): void {
    const plan = this.plan;
    this.key = key;
    this.row = key >> 2;
    this.col = 4 + (key & 3);
    this.hits = 0;
    this.rowPeakPower = 0;
    this.colPeakPower = 0;
    this.rowTonePower = 0;
    this.colTonePower = 0;
    this.rowHarmonicPower = 0;
    this.colHarmonicPower = 0;
    this.energy = 0;
    this.rowHarmonicMeasured = true;
    this.previousToneBlock = false;
    this.frequency.start(plan.phaseLimitPerHop[this.row]!, plan.phaseLimitPerHop[this.col]!);
    this.takeReferences(segment, segments);
    // Start edge: the earliest segment of an unbroken run of tone segments
    // ending in this block, minus a partly filled segment before it.
    const oldest = Math.max(0, segment - SEGMENT_HISTORY + 1);
    const blockFirst = Math.max(oldest, segment - HOPS + 1);
    let last = segment;
    while (last > blockFirst && this.share(last, segments) < PRESENT) last--;
    let first = last;
    while (first > oldest && this.share(first - 1, segments) >= PRESENT) first--;
    const before = first > oldest ? this.share(first - 1, segments) : 0;
    this.startSample =
      (first + 1 - Math.min(1, this.share(first, segments)) - (before >= PARTIAL_FLOOR ? before : 0)) * plan.hop;
    this.lastPresentSegment = last;
    this.lastPresentShare = Math.min(1, this.share(last, segments));
    this.tailShare = 0;
    this.continuation = key === this.reportedKey && this.startSample - this.reportedEnd < plan.maxLostFrameGapSamples;
    if (!this.continuation) this.reportedKey = -1;
    this.waiting = false;
    this.bridged = false;
    this.silentSinceHit = false;
  }

  private observe(segment: number, segments: Float64Array): void {
    if (segment <= this.lastPresentSegment) return;
    const share = this.share(segment, segments);
    if (share >= PRESENT) {
      // The tone is back after a silent gap: one key cut by a lost frame.
      if (this.waiting) this.bridged = true;
      this.waiting = false;
      this.lastPresentSegment = segment;
      this.lastPresentShare = Math.min(1, share);
      this.tailShare = 0;
    } else if (segment === this.lastPresentSegment + 1) {
      this.tailShare = share >= PARTIAL_FLOOR ? share : 0;
    }
  }

  private finish(out: DigitEvent[]): void {
    const plan = this.plan;
    const end = this.endSample();
    if (this.continuation) {
      this.reportedEnd = end;
    } else if (this.isDigit()) {
      out.push({ digit: KEYS[this.key]!, startMs: toMs(this.startSample, plan), endMs: toMs(end, plan) });
      this.reportedKey = this.key;
      this.reportedEnd = end;
    }
    this.key = -1;
  }

  /** Whether the candidate so far is a digit. */
  private isDigit(): boolean {
    const plan = this.plan;
    const timed =
      this.hits >= (this.bridged ? plan.minHitsAcrossLoss : plan.minHits) &&
      this.endSample() - this.startSample >= plan.minDigitSamples;
    if (!timed || !this.frequency.passed(this.bridged) || !this.harmonicsWithinLimits()) return false;
    this.frequency.meanErrorPerHop(this.meanError);
    return !this.isOctave() && this.toneShareWithinLimit();
  }

  /**
   * The energy share of the tones over the whole digit: a chord that holds
   * a DTMF-like pair keeps its other notes through every block, where
   * noise and codec distortion average out. Each tone's power is first
   * corrected for what its frequency error costs it in its bin (up to
   * 1.7 dB at the accept limit).
   */
  private toneShareWithinLimit(): boolean {
    const plan = this.plan;
    const row = this.rowTonePower / binGain(this.meanError[0]! / plan.hop, plan.block);
    const col = this.colTonePower / binGain(this.meanError[1]! / plan.hop, plan.block);
    return row + col >= DIGIT_TONE_SHARE * this.energy;
  }

  /**
   * Whether the two measured frequencies stand at 2:1: a note and its own
   * second harmonic (an instrument, a sung vowel), which the row's harmonic
   * check cannot see for keys 2, 6 and C, where that harmonic is the
   * column tone. Equal frequency ratios over the whole digit are the same
   * thing as a fixed phase relation between the two tones (phase
   * coherence); independent DTMF oscillators hold neither.
   */
  private isOctave(): boolean {
    const plan = this.plan;
    const low = plan.hz[this.row]! + this.meanError[0]! * plan.hzPerRadianPerHop;
    const high = plan.hz[this.col]! + this.meanError[1]! * plan.hzPerRadianPerHop;
    return Math.abs(high / low - 2) <= OCTAVE_RATIO_TOLERANCE;
  }

  /** Second harmonics averaged over the digit: noise averages out, a voice or instrument does not. */
  private harmonicsWithinLimits(): boolean {
    const limit = this.plan.harmonicRejection;
    if (this.colHarmonicPower * limit > this.colTonePower) return false;
    return !this.rowHarmonicMeasured || this.rowHarmonicPower * limit <= this.rowTonePower;
  }

  /** End of the tone: the last segment it fills, plus a partly filled one after it. */
  private endSample(): number {
    return (this.lastPresentSegment + this.lastPresentShare + this.tailShare) * this.plan.hop;
  }

  /** Full-segment amplitudes: the largest of the current block's segments. */
  private takeReferences(segment: number, segments: Float64Array): void {
    let row = 0;
    let col = 0;
    for (let j = Math.max(0, segment - HOPS + 1); j <= segment; j++) {
      row = Math.max(row, amplitude(segments, j, this.row));
      col = Math.max(col, amplitude(segments, j, this.col));
    }
    this.rowReference = row > 0 ? row : 1;
    this.colReference = col > 0 ? col : 1;
  }

  /** How much of segment `j` the tone fills, from its amplitudes (about 0 to 1). */
  private share(j: number, segments: Float64Array): number {
    return (
      0.5 * (amplitude(segments, j, this.row) / this.rowReference + amplitude(segments, j, this.col) / this.colReference)
    );
  }
}

function amplitude(segments: Float64Array, segment: number, tone: number): number {
  const at = ((segment % SEGMENT_HISTORY) * 8 + tone) * 2;
  const re = segments[at]!;
  const im = segments[at + 1]!;
  return Math.sqrt(re * re + im * im);
}

/** Power gain of an N-sample block's bin for a tone `error` radians per sample off its frequency. */
function binGain(error: number, length: number): number {
  if (Math.abs(error) < 1e-9) return 1;
  const gain = Math.sin((length * error) / 2) / (length * Math.sin(error / 2));
  return gain * gain;
}

function toMs(samples: number, plan: DetectorPlan): number {
  return Math.round((samples * 10000) / plan.sampleRate) / 10;
}

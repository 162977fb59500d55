/**
 * In-band DTMF receiver (ITU-T Q.24, ETSI ES 201 235-3) for 16-bit PCM at
 * 8 to 48 kHz. Pure: no I/O, no clock; time is the sample count, so any
 * chunking of the same audio gives the same digits.
 *
 * Signal path, per hop of 4.25 ms (34 samples at 8 kHz):
 *   samples -> ring buffer + hop energy
 *           -> 8 Goertzel filters over the hop, unless under the energy gate
 *              (hop-filter-bank.ts), less the leakage of a running DC
 *              estimate; energies are net of the mean. With no digit in
 *              progress, the 4 row filters run only for blocks whose
 *              strongest column carries enough of the energy for a hit
 *              (plan.minColumnShare), from the ring, or on every hop
 *              after such a block
 *           -> block = the last 3 hops (12.75 ms, 102 samples at 8 kHz),
 *              their values phase-aligned and summed:
 *              level, twist, relative peak, energy share, 2nd harmonic
 *              (block-classifier.ts; twist and relative peak net of the
 *              tones' own leakage, tone-leakage.ts)
 *           -> digit tracker: edges, gaps, duration, frequency from phase,
 *              harmonics over the digit (digit-tracker.ts, frequency-check.ts)
 * A hop under the gate (-50 dBm0) is not filtered; a block right after a
 * quiet or weak one is not classified while no digit is in progress: a
 * tone can fill only its newest hop, unless it is within 3.5 dB of the
 * minimum level (where the skip can cost a digit its first hit). A block
 * that fails on its column share is an energy-share miss, whatever its
 * rows (not computed), so it does not make the next block skip.
 *
 * Latency: a digit is reported once the gap after it reaches
 * MAX_BRIDGED_GAP_MS (15 ms), about 15-25 ms after the tone ends; flush()
 * reports a digit still sounding.
 */
import type { DigitDecoder } from './digit-decoder.ts';
import { BLOCK_MISS, classifyBlock, strongestColumn } from './block-classifier.ts';
import { DETECTOR_DESIGN } from './detector-constants.ts';
import { planDetector, type DetectorPlan, type DtmfDetectorOptions } from './detector-plan.ts';
import { DigitTracker, SEGMENT_HISTORY } from './digit-tracker.ts';
import type { DigitEvent } from './dtmf-keys.ts';
import { filterColumnHop, filterHop, filterRowHop } from './hop-filter-bank.ts';

export type { DtmfDetectorOptions } from './detector-plan.ts';

// Imported bindings may be getters under some loaders; hot code reads local copies.
const HOPS = DETECTOR_DESIGN.hopsPerBlock;
const HISTORY = SEGMENT_HISTORY;
const QUIET: number = BLOCK_MISS.quiet;
const WEAK: number = BLOCK_MISS.weak;
const SKIPPED: number = BLOCK_MISS.skipped;
const DC_STEP = 1 / DETECTOR_DESIGN.dcTrackingHops;

export class DtmfDetector implements DigitDecoder {
  readonly sampleRate: number;
  private readonly plan: DetectorPlan;
  private readonly tracker: DigitTracker;
  /**
   * The samples of the remembered hops, in hop-aligned slots (slot i holds
   * the hop whose values are in `segments` slot i): a hop's rows can be
   * filtered after it is complete.
   */
  private readonly ring: Int16Array;
  /** Complex hop values: HISTORY hops x 8 tones x (re, im). */
  private readonly segments: Float64Array;
  /** Sum of squares, and sum, of each remembered hop. */
  private readonly segmentEnergy: Float64Array;
  private readonly segmentSum: Float64Array;
  /** Per remembered hop: whether its row values are there, and the DC estimate taken out of them. */
  private readonly rowsReady: Uint8Array;
  private readonly segmentDc: Float64Array;
  /** Complex tone values of the latest block and of the one before it (swapped, not copied). */
  private blockPhasors: Float64Array;
  private previousBlockPhasors: Float64Array;
  private readonly blockPower: Float64Array;
  /** Second-harmonic powers of the latest hit block's row (-1: not measured) and column. */
  private readonly harmonics: Float64Array;
  /** Samples in the hop being filled, their energy and their sum so far. */
  private fill = 0;
  private energy = 0;
  private sum = 0;
  /** Running estimate of the input's DC offset (mean sample value). */
  private dc = 0;
  /** Index of the hop being filled (0 = the first samples after reset). */
  private segment = 0;
  /** Where the hop being filled goes in `ring` and in `segments`. */
  private historySlot = 0;
  /** Whether blockPhasors and blockPower hold the latest block (it was not skipped), and whether its row values. */
  private blockComputed = false;
  private blockRows = false;
  private lastVerdict = QUIET;
  /** Whether the last hop was under the energy gate (the next is then gated before filtering). */
  private quiet = true;
  /** Whether the next block cannot be a hit (see BLOCK_MISS.skipped). */
  private skipNext = false;
  /**
   * Whether the next hop gets all eight filters in one pass: while a digit
   * is in progress, and after a block whose rows were needed, as the next
   * one most likely needs them too (one pass of eight is cheaper than two
   * of four).
   */
  private allFilters = false;

  constructor(options: { sampleRate: number } & Partial<DtmfDetectorOptions>) {
    const { sampleRate, ...rest } = options;
    this.plan = planDetector(sampleRate, rest);
    this.sampleRate = sampleRate;
    this.tracker = new DigitTracker(this.plan);
    this.ring = new Int16Array(HISTORY * this.plan.hop);
    this.segments = new Float64Array(HISTORY * 16);
    this.segmentEnergy = new Float64Array(HISTORY);
    this.segmentSum = new Float64Array(HISTORY);
    this.rowsReady = new Uint8Array(HISTORY);
    this.segmentDc = new Float64Array(HISTORY);
    this.blockPhasors = new Float64Array(16);
    this.previousBlockPhasors = new Float64Array(16);
    // Tone powers, then the block's mean energy (for the tracker).
    this.blockPower = new Float64Array(9);
    this.harmonics = new Float64Array(2);
    this.reset();
  }

  /** Samples per hop and per block at this rate. */
  get hopSamples(): number {
    return this.plan.hop;
  }

  get blockSamples(): number {
    return this.plan.block;
  }

  /** Verdict on the most recent block: a key index 0-15 or a BLOCK_MISS code. */
  get lastBlockVerdict(): number {
    return this.lastVerdict;
  }

  push(samples: Int16Array): DigitEvent[] {
    const out: DigitEvent[] = [];
    const plan = this.plan;
    const ring = this.ring;
    const hop = plan.hop;
    const count = samples.length;
    let i = 0;
    while (i < count) {
      const slot = this.historySlot;
      const ringStart = slot * hop;
      if (this.fill === 0 && !this.quiet && count - i >= hop) {
        // A whole hop after a loud one, the common case in a call: filtered
        // straight from the input, copied to the ring on the way. Unless
        // allFilters, only the columns are filtered: many blocks of speech
        // and music fail on them, and the rows of those that do not are
        // filtered from the ring then.
        if (this.allFilters) {
          filterHop(plan, samples, i, ring, ringStart, this.segments, this.segmentEnergy, this.segmentSum, slot);
          this.rowsReady[slot] = 1;
        } else {
          filterColumnHop(plan, samples, i, ring, ringStart, this.segments, this.segmentEnergy, this.segmentSum, slot);
          this.rowsReady[slot] = 0;
        }
        i += hop;
      } else {
        // Otherwise the samples are only copied, and the hop is filtered
        // from the ring once complete if it is over the gate: the same
        // values, since every hop is filtered in one pass over the same
        // samples. Squares of 16-bit samples are integers and their sums
        // stay far below 2^53, so the energy is exact in any chunking.
        const take = Math.min(hop - this.fill, count - i);
        const base = ringStart + this.fill;
        let even = 0;
        let odd = 0;
        let sum = 0;
        let j = 0;
        for (; j + 1 < take; j += 2) {
          const x0 = samples[i + j]!;
          const x1 = samples[i + j + 1]!;
          ring[base + j] = x0;
          ring[base + j + 1] = x1;
          even += x0 * x0;
          odd += x1 * x1;
          sum += x0 + x1;
        }
        if (j < take) {
          const x = samples[i + j]!;
          ring[base + j] = x;
          even += x * x;
          sum += x;
        }
        this.energy += even + odd;
        this.sum += sum;
        this.fill += take;
        i += take;
        if (this.fill < hop) break;
        this.segmentEnergy[slot] = this.energy;
        this.segmentSum[slot] = this.sum;
        if (this.energy - (this.sum * this.sum) / hop >= plan.gateEnergy) {
          if (this.allFilters) {
            filterHop(plan, ring, ringStart, ring, ringStart, this.segments, this.segmentEnergy, this.segmentSum, slot);
            this.rowsReady[slot] = 1;
          } else {
            filterColumnHop(plan, ring, ringStart, ring, ringStart, this.segments, this.segmentEnergy, this.segmentSum, slot);
            this.rowsReady[slot] = 0;
          }
        }
      }
      this.completeHop(out);
    }
    return out;
  }

  /**
   * Ends the input: judges a digit still sounding (a partly filled last hop
   * is not analysed), then resets for new input.
   */
  flush(): DigitEvent[] {
    const out: DigitEvent[] = [];
    this.tracker.flush(out);
    this.reset();
    return out;
  }

  reset(): void {
    this.fill = 0;
    this.energy = 0;
    this.sum = 0;
    this.dc = 0;
    this.segment = 0;
    this.historySlot = 0;
    this.segments.fill(0);
    // Zeros are the values of the silence before the input.
    this.rowsReady.fill(1);
    this.segmentDc.fill(0);
    this.segmentEnergy.fill(0);
    this.segmentSum.fill(0);
    this.ring.fill(0);
    this.tracker.reset();
    this.lastVerdict = QUIET;
    this.blockComputed = false;
    this.blockRows = false;
    this.quiet = true;
    this.skipNext = false;
    this.allFilters = false;
  }

  /**
   * Bytes of per-call state: typed arrays, plus 8 bytes per other field,
   * of the detector and the parts it owns. The plan (coefficients, limits)
   * is shared by all detectors of one rate and options; see planBytes().
   */
  stateBytes(): number {
    return ownBytes(this, this.plan);
  }

  /** Bytes of the shared plan's typed arrays and fields. */
  planBytes(): number {
    return ownBytes(this.plan, undefined);
  }

  /**
   * Closes the hop just filled, whose energy and sum are already in
   * segmentEnergy and segmentSum (not arguments: a double passed to a call
   * that is not inlined is boxed on the heap). Values of a hop under the
   * energy gate are zero whether or not the filters ran on it, so the
   * result does not depend on which path its samples took. The gate, like
   * every energy here, is net of the hop's mean: a DC offset is not signal.
   */
  private completeHop(out: DigitEvent[]): void {
    const k = this.segment;
    const slot = this.historySlot;
    const plan = this.plan;
    const hopSum = this.segmentSum[slot]!;
    const mean = hopSum / plan.hop;
    this.dc += (mean - this.dc) * DC_STEP;
    this.quiet = this.segmentEnergy[slot]! - hopSum * mean < plan.gateEnergy;
    const segments = this.segments;
    if (this.quiet) {
      for (let t = slot * 16; t < slot * 16 + 16; t++) segments[t] = 0;
      this.rowsReady[slot] = 1;
    } else {
      // The offset's leakage into the hop values: at 25 % of full scale, as
      // much as a -25 dBm0 tone's own at 852 Hz (a 34-sample hop has no
      // null at DC), which would move the tone's edges and twist.
      const dc = this.dc;
      const response = plan.dcResponse;
      this.segmentDc[slot] = dc;
      const from = this.rowsReady[slot] === 1 ? 0 : 8;
      for (let t = from, at = slot * 16 + from; t < 16; t++, at++) segments[at]! -= dc * response[t]!;
    }
    let verdict = SKIPPED;
    if (k >= HOPS - 1 && !this.skipNext) verdict = this.classify(slot);
    else this.blockComputed = false;
    this.lastVerdict = verdict;
    if (verdict >= 0 || this.tracker.active) {
      this.tracker.step(k, verdict, this.blockComputed, this.segments, this.blockPhasors, this.blockPower, this.harmonics, out);
    }
    this.skipNext = !this.tracker.active && (verdict === QUIET || verdict === WEAK);
    this.allFilters = this.tracker.active || (this.blockComputed && this.blockRows);
    this.segment = k + 1;
    this.historySlot = slot + 1 === HISTORY ? 0 : slot + 1;
    this.fill = 0;
    this.energy = 0;
    this.sum = 0;
  }

  /**
   * Sums the last HOPS hop values into the block's tone values, each
   * older hop turned by e^{jwHi} onto the newest hop's phase reference, and
   * classifies the block: columns first, and rows only for a block whose
   * strongest column could be part of a hit (or while a digit is in
   * progress, when the tracker needs every value).
   */
  private classify(newest: number): number {
    const plan = this.plan;
    const energies = this.segmentEnergy;
    const sums = this.segmentSum;
    let energy = 0;
    let sum = 0;
    for (let i = 0, slot = newest; i < HOPS; i++, slot = slot === 0 ? HISTORY - 1 : slot - 1) {
      energy += energies[slot]!;
      sum += sums[slot]!;
    }
    // The block's power net of its mean (a DC offset), which would
    // otherwise fail the energy-share check of any tone under it.
    const meanEnergy = (energy - (sum * sum) / plan.block) / plan.block;
    if (meanEnergy < plan.minTonePower) {
      this.blockComputed = false;
      return QUIET;
    }
    const previous = this.blockPhasors;
    const block = this.previousBlockPhasors;
    this.blockPhasors = block;
    this.previousBlockPhasors = previous;
    let previousRows = this.blockRows;
    // A loop, not fill(): TypedArray fill() is a call into the runtime,
    // dearer than these 16 stores, and this runs after every skipped block.
    if (!this.blockComputed) {
      for (let t = 0; t < 16; t++) previous[t] = 0;
      previousRows = true;
    }
    this.blockComputed = true;
    this.blockRows = false;
    this.blockPower[8] = meanEnergy;
    this.sumBlock(block, newest, 8);
    const active = this.tracker.active;
    const col = strongestColumn(plan, block, meanEnergy, this.blockPower, active ? 0 : plan.minColumnShare);
    if (col < 0) {
      if (!active) return col;
      // The tracker reads the row powers (zero) of a weak block; its rows are filtered already.
      this.sumBlock(block, newest, 0);
      this.blockRows = true;
      return col;
    }
    // The rows of this block and of the one before it (leakage and
    // harmonics read its phase), and on a hit those of the two hops
    // before the block, where the tracker looks for the tone's start.
    this.fillRows(newest, HOPS + 1);
    this.sumBlock(block, newest, 0);
    this.blockRows = true;
    if (!previousRows) this.sumBlock(previous, newest === 0 ? HISTORY - 1 : newest - 1, 0);
    const firstRingSlot = (newest + HISTORY - (HOPS - 1)) % HISTORY;
    const verdict = classifyBlock(plan, col, block, previous, meanEnergy, this.blockPower, this.ring, firstRingSlot * plan.hop, this.harmonics);
    if (verdict >= 0) this.fillRows(newest, HISTORY);
    return verdict;
  }

  /** Filters the rows of the `count` newest hops that have none yet, from the ring. */
  private fillRows(newest: number, count: number): void {
    const plan = this.plan;
    const segments = this.segments;
    const response = plan.dcResponse;
    for (let i = 0, slot = newest; i < count; i++, slot = slot === 0 ? HISTORY - 1 : slot - 1) {
      if (this.rowsReady[slot] === 1) continue;
      filterRowHop(plan, this.ring, slot * plan.hop, segments, slot);
      const dc = this.segmentDc[slot]!;
      for (let t = 0, at = slot * 16; t < 8; t++, at++) segments[at]! -= dc * response[t]!;
      this.rowsReady[slot] = 1;
    }
  }

  /**
   * Block values of tones `from / 2` to `from / 2 + 3` (0: rows, 8: columns)
   * of the block whose newest hop is in slot `newest`, into `block`.
   */
  private sumBlock(block: Float64Array, newest: number, from: number): void {
    const seg = this.segments;
    const twiddle = this.plan.blockTwiddle;
    const o0 = newest * 16;
    if (HOPS === 3) {
      // Written out for three hops: y0 + y1 e^{jwH} + y2 e^{2jwH} per tone.
      const o1 = (newest === 0 ? HISTORY - 1 : newest - 1) * 16;
      const o2 = (newest >= 2 ? newest - 2 : newest + HISTORY - 2) * 16;
      for (let t = from; t < from + 8; t += 2) {
        const y1Re = seg[o1 + t]!;
        const y1Im = seg[o1 + t + 1]!;
        const y2Re = seg[o2 + t]!;
        const y2Im = seg[o2 + t + 1]!;
        const c1Re = twiddle[t]!;
        const c1Im = twiddle[t + 1]!;
        const c2Re = twiddle[16 + t]!;
        const c2Im = twiddle[16 + t + 1]!;
        block[t] = seg[o0 + t]! + y1Re * c1Re - y1Im * c1Im + y2Re * c2Re - y2Im * c2Im;
        block[t + 1] = seg[o0 + t + 1]! + y1Re * c1Im + y1Im * c1Re + y2Re * c2Im + y2Im * c2Re;
      }
    } else {
      for (let t = from; t < from + 8; t++) block[t] = seg[o0 + t]!;
      for (let i = 1, slot = newest; i < HOPS; i++) {
        slot = slot === 0 ? HISTORY - 1 : slot - 1;
        const at = slot * 16;
        const turn = (i - 1) * 16;
        for (let t = from; t < from + 8; t += 2) {
          const yRe = seg[at + t]!;
          const yIm = seg[at + t + 1]!;
          block[t]! += yRe * twiddle[turn + t]! - yIm * twiddle[turn + t + 1]!;
          block[t + 1]! += yRe * twiddle[turn + t + 1]! + yIm * twiddle[turn + t]!;
        }
      }
    }
  }
}

/** Typed-array bytes plus 8 per other own field, recursing into owned objects other than `shared`. */
function ownBytes(object: object, shared: unknown): number {
  let bytes = 0;
  for (const value of Object.values(object)) {
    if (value === shared) continue;
    if (ArrayBuffer.isView(value)) bytes += value.byteLength;
    else if (value !== null && typeof value === 'object') bytes += 8 + ownBytes(value, shared);
    else bytes += 8;
  }
  return bytes;
}

/**
 * Streaming sample-rate converter for the softphone's audio worklets:
 * band-limited interpolation with a Blackman-windowed sinc kernel read from a
 * table (J. O. Smith, "Digital Audio Resampling", bandlimited interpolation).
 *
 * Web Audio runs at the device rate (44.1 or 48 kHz) while a call runs at
 * 8, 16 or 48 kHz, and Firefox refuses to connect nodes of different rates,
 * so both directions convert here. When decimating, the kernel is widened so
 * its cutoff sits below the output Nyquist frequency: noise and hiss above
 * 4 kHz must not alias into the DTMF band (697-1633 Hz) of an 8 kHz call.
 *
 * Pure and allocation-free after construction: `process()` writes into a
 * caller-provided buffer, as the audio thread must not collect garbage.
 */

export interface ResamplerOptions {
  /** Input samples per second. */
  inputRate: number;
  /** Output samples per second. */
  outputRate: number;
  /**
   * Cutoff as a fraction of the lower of the two Nyquist frequencies.
   * 0.85 puts an 8 kHz call's cutoff at 3.4 kHz, the telephone band edge.
   */
  rolloff: number;
  /** Zero crossings of the sinc on each side; more is sharper and slower. */
  zeroCrossings: number;
}

export const DEFAULT_RESAMPLER_OPTIONS: Omit<ResamplerOptions, 'inputRate' | 'outputRate'> = {
  rolloff: 0.85,
  zeroCrossings: 16,
};

/** Table entries per zero crossing; linear interpolation between them. */
const TABLE_RESOLUTION = 256;

function windowedSincTable(zeroCrossings: number): Float32Array {
  const length = zeroCrossings * TABLE_RESOLUTION + 2;
  const table = new Float32Array(length);
  for (let i = 0; i < length; i++) {
    const u = i / TABLE_RESOLUTION;
    if (u >= zeroCrossings) continue;
    const sinc = u === 0 ? 1 : Math.sin(Math.PI * u) / (Math.PI * u);
    // Blackman window over [-zeroCrossings, +zeroCrossings], centred on u = 0.
    const x = Math.PI * (u / zeroCrossings);
    const window = 0.42 + 0.5 * Math.cos(x) + 0.08 * Math.cos(2 * x);
    table[i] = sinc * window;
  }
  return table;
}

export class Resampler {
  readonly inputRate: number;
  readonly outputRate: number;
  /** Input samples per output sample. */
  private readonly step: number;
  /** Kernel scale: 1 when interpolating, below 1 when decimating. */
  private readonly scale: number;
  private readonly table: Float32Array;
  private readonly zeroCrossings: number;
  /** Input samples the kernel reaches on each side of the output instant. */
  private readonly halfWidth: number;
  /** Input history; history[0] is absolute input index `historyStart`. */
  private history: Float32Array;
  private historyStart: number;
  private historyLength: number;
  /** Absolute input position (fractional) of the next output sample. */
  private position = 0;

  constructor(options: Pick<ResamplerOptions, 'inputRate' | 'outputRate'> & Partial<ResamplerOptions>) {
    const { inputRate, outputRate, rolloff, zeroCrossings } = { ...DEFAULT_RESAMPLER_OPTIONS, ...options };
    for (const [name, rate] of [['inputRate', inputRate], ['outputRate', outputRate]] as const) {
      if (!Number.isFinite(rate) || rate <= 0) throw new RangeError(`${name} must be a positive number of Hz, got ${rate}`);
    }
    if (!(rolloff > 0 && rolloff <= 1)) throw new RangeError(`rolloff must be in (0, 1], got ${rolloff}`);
    if (!Number.isInteger(zeroCrossings) || zeroCrossings < 2) throw new RangeError(`zeroCrossings must be an integer of at least 2, got ${zeroCrossings}`);
    this.inputRate = inputRate;
    this.outputRate = outputRate;
    this.step = inputRate / outputRate;
    this.scale = Math.min(1, outputRate / inputRate) * rolloff;
    this.zeroCrossings = zeroCrossings;
    this.table = windowedSincTable(zeroCrossings);
    this.halfWidth = Math.ceil(zeroCrossings / this.scale);
    // Room for the kernel plus a generous input block; grows if a caller pushes more.
    this.history = new Float32Array(4 * this.halfWidth + 8192);
    this.historyStart = -this.halfWidth;
    this.historyLength = this.halfWidth; // zeros before the first sample
  }

  /** Delay of the filter, in output samples. */
  get latencySamples(): number {
    return this.halfWidth / this.step;
  }

  /** Most output samples one call to `process(input)` can write. */
  maxOutput(inputLength: number): number {
    return Math.ceil((inputLength + this.halfWidth + 1) / this.step) + 1;
  }

  /**
   * Consumes `input` and writes as many output samples as the input now
   * determines into `output`; returns how many were written. Outputs wait for
   * `halfWidth` input samples of look-ahead, so a stream's tail comes out
   * after later input (or after `flush`).
   */
  process(input: ArrayLike<number>, output: Float32Array): number {
    this.append(input);
    let written = 0;
    const { table, scale, halfWidth, step } = this;
    const lastIndex = this.historyStart + this.historyLength - 1;
    const tableScale = scale * TABLE_RESOLUTION;
    const limit = this.zeroCrossings * TABLE_RESOLUTION;
    while (this.position + halfWidth <= lastIndex && written < output.length) {
      const centre = Math.floor(this.position);
      const fraction = this.position - centre;
      let sum = 0;
      // Left wing: input at centre - k lies (fraction + k) before the instant.
      for (let k = 0; k < halfWidth; k++) {
        const t = (fraction + k) * tableScale;
        if (t >= limit) break;
        const i = t | 0;
        const weight = table[i]! + (t - i) * (table[i + 1]! - table[i]!);
        sum += weight * this.history[centre - k - this.historyStart]!;
      }
      // Right wing: input at centre + k lies (k - fraction) after it.
      for (let k = 1; k <= halfWidth; k++) {
        const t = (k - fraction) * tableScale;
        if (t >= limit) break;
        const i = t | 0;
        const weight = table[i]! + (t - i) * (table[i + 1]! - table[i]!);
        sum += weight * this.history[centre + k - this.historyStart]!;
      }
      output[written++] = sum * scale;
      this.position += step;
    }
    this.discardBefore(Math.floor(this.position) - halfWidth);
    return written;
  }

  /** Pushes enough silence to release every output the real input determines. */
  flush(output: Float32Array): number {
    return this.process(new Float32Array(this.halfWidth + 1), output);
  }

  reset(): void {
    this.history.fill(0);
    this.historyStart = -this.halfWidth;
    this.historyLength = this.halfWidth;
    this.position = 0;
  }

  private append(input: ArrayLike<number>): void {
    if (this.historyLength + input.length > this.history.length) {
      const grown = new Float32Array(2 * (this.historyLength + input.length));
      grown.set(this.history.subarray(0, this.historyLength));
      this.history = grown;
    }
    const offset = this.historyLength;
    for (let i = 0; i < input.length; i++) this.history[offset + i] = input[i]!;
    this.historyLength += input.length;
  }

  private discardBefore(absoluteIndex: number): void {
    const drop = absoluteIndex - this.historyStart;
    if (drop <= 0) return;
    this.history.copyWithin(0, drop, this.historyLength);
    this.historyStart += drop;
    this.historyLength -= drop;
  }
}

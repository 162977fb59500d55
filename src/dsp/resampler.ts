/**
 * Streaming sample-rate conversion for 16-bit audio between any two rates
 * from 8 to 48 kHz: polyphase band-limited interpolation with a
 * Kaiser-windowed sinc (J. F. Kaiser, "Nonrecursive digital filter design
 * using the I0-sinh window function", 1974; polyphase structure after
 * Crochiere & Rabiner, "Multirate Digital Signal Processing", 1983).
 *
 * Output sample j sits at input time j * inputRate / outputRate exactly, so
 * resampling shifts nothing in time (the filter is centred; its latency
 * shows only as samples held back until flush()). Chunking never changes
 * the result: any split of the input gives the same samples.
 */
import { AudioParameterError } from '../errors.ts';
import { MAX_SAMPLE_RATE, MIN_SAMPLE_RATE } from './dtmf-generator.ts';

export interface ResamplerOptions {
  /** Samples per second in, 8000 to 48000. */
  inputRate: number;
  /** Samples per second out, 8000 to 48000. */
  outputRate: number;
  /** Attenuation of everything above the lower Nyquist frequency, in dB. */
  stopbandAttenuationDb: number;
  /**
   * Pass-band edge as a fraction of the lower Nyquist frequency: 0.85 keeps
   * 0-3400 Hz of 8 kHz audio, the telephone band (ITU-T G.712).
   */
  passbandFraction: number;
}

export const DEFAULT_RESAMPLER_OPTIONS = {
  stopbandAttenuationDb: 80,
  passbandFraction: 0.85,
} as const;

/** Phase tables beyond this many coefficients are interpolated instead. */
const MAX_TABLE_COEFFICIENTS = 1 << 16;
/** Phases tabulated (plus one) when interpolating between phases. */
const INTERPOLATED_PHASES = 256;
/** Input samples buffered per step, beyond the filter's own length. */
const BLOCK = 1024;

function gcd(a: number, b: number): number {
  while (b) [a, b] = [b, a % b];
  return a;
}

/** Zeroth-order modified Bessel function of the first kind (power series). */
function besselI0(x: number): number {
  let sum = 1;
  let term = 1;
  const quarter = (x * x) / 4;
  for (let k = 1; k < 64 && term > sum * 1e-17; k++) {
    term *= quarter / (k * k);
    sum += term;
  }
  return sum;
}

function validate(options: ResamplerOptions): void {
  for (const [name, rate] of [['input rate', options.inputRate], ['output rate', options.outputRate]] as const) {
    if (!Number.isInteger(rate) || rate < MIN_SAMPLE_RATE || rate > MAX_SAMPLE_RATE) {
      throw new AudioParameterError(`${name} must be a whole number of Hz from ${MIN_SAMPLE_RATE} to ${MAX_SAMPLE_RATE}, got ${rate}`);
    }
  }
  if (!(options.stopbandAttenuationDb >= 21 && options.stopbandAttenuationDb <= 150)) {
    throw new AudioParameterError(`stop-band attenuation must be 21 to 150 dB, got ${options.stopbandAttenuationDb}`);
  }
  if (!(options.passbandFraction > 0.5 && options.passbandFraction < 1)) {
    throw new AudioParameterError(`pass-band fraction must be between 0.5 and 1, got ${options.passbandFraction}`);
  }
}

export class Resampler {
  readonly inputRate: number;
  readonly outputRate: number;
  /** Output samples per `down` input samples: outputRate/inputRate in lowest terms. */
  readonly #up: number;
  readonly #down: number;
  /** Filter taps per output sample, and half of that. */
  readonly #taps: number;
  readonly #half: number;
  /** Rows of `#taps` coefficients, one per fractional position. */
  readonly #table: Float32Array;
  /** Rows in the table when interpolating between them; 0 when every phase has its own row. */
  readonly #phases: number;
  readonly #buffer: Float32Array;
  /** Absolute input index of #buffer[0]; negative indices are the silence before the input. */
  #bufferStart = 0;
  #fill = 0;
  /** Next output's position: input index `#whole` plus `#fraction / #up`. */
  #whole = 0;
  #fraction = 0;
  #inputCount = 0;
  #outputCount = 0;

  constructor(options: Pick<ResamplerOptions, 'inputRate' | 'outputRate'> & Partial<ResamplerOptions>) {
    const full: ResamplerOptions = { ...DEFAULT_RESAMPLER_OPTIONS, ...options };
    validate(full);
    this.inputRate = full.inputRate;
    this.outputRate = full.outputRate;
    const divisor = gcd(full.inputRate, full.outputRate);
    this.#up = full.outputRate / divisor;
    this.#down = full.inputRate / divisor;

    // Kaiser's length and beta formulas, in units of input samples.
    const nyquist = Math.min(full.inputRate, full.outputRate) / 2;
    const transition = (1 - full.passbandFraction) * nyquist / full.inputRate;
    const attenuation = full.stopbandAttenuationDb;
    const length = (attenuation - 7.95) / (2.285 * 2 * Math.PI * transition) + 1;
    this.#half = Math.max(2, Math.ceil(length / 2));
    this.#taps = 2 * this.#half;
    const beta = attenuation > 50 ? 0.1102 * (attenuation - 8.7) : 0.5842 * (attenuation - 21) ** 0.4 + 0.07886 * (attenuation - 21);
    const cutoff = ((1 + full.passbandFraction) / 2) * nyquist / full.inputRate; // cycles per input sample

    const exact = this.#up * this.#taps <= MAX_TABLE_COEFFICIENTS;
    this.#phases = exact ? 0 : INTERPOLATED_PHASES;
    const rows = exact ? this.#up : INTERPOLATED_PHASES + 1;
    const rowDivisor = exact ? this.#up : INTERPOLATED_PHASES;
    this.#table = new Float32Array(rows * this.#taps);
    const i0Beta = besselI0(beta);
    for (let row = 0; row < rows; row++) {
      const offset = row / rowDivisor;
      let sum = 0;
      for (let m = 0; m < this.#taps; m++) {
        const x = offset + this.#half - 1 - m;
        const r = x / this.#half;
        const window = r * r >= 1 ? 0 : besselI0(beta * Math.sqrt(1 - r * r)) / i0Beta;
        const arg = 2 * cutoff * x;
        const sinc = arg === 0 ? 1 : Math.sin(Math.PI * arg) / (Math.PI * arg);
        const value = 2 * cutoff * sinc * window;
        this.#table[row * this.#taps + m] = value;
        sum += value;
      }
      // Unit gain at DC for every phase, so no phase-dependent ripple.
      for (let m = 0; m < this.#taps; m++) this.#table[row * this.#taps + m]! /= sum;
    }
    this.#buffer = new Float32Array(this.#taps + BLOCK + Math.ceil(this.#down / this.#up) + 1);
    this.reset();
  }

  /** The most output samples `inputLength` more input can produce. */
  maxOutput(inputLength: number): number {
    return Math.ceil((inputLength * this.#up) / this.#down);
  }

  /**
   * Converts `input`, writing into `output` (at least maxOutput(input.length)
   * long). Returns the number of samples written. Allocates nothing.
   */
  process(input: Int16Array, output: Int16Array): number {
    if (output.length < this.maxOutput(input.length)) {
      throw new AudioParameterError(`output holds ${output.length} samples, needs ${this.maxOutput(input.length)}`);
    }
    if (this.#up === this.#down) {
      output.set(input);
      this.#inputCount += input.length;
      return input.length;
    }
    let written = 0;
    let read = 0;
    while (read < input.length) {
      const count = Math.min(input.length - read, this.#buffer.length - this.#fill);
      for (let i = 0; i < count; i++) this.#buffer[this.#fill + i] = input[read + i]!;
      this.#fill += count;
      read += count;
      this.#inputCount += count;
      written += this.#produce(output, written, Infinity);
      this.#compact();
    }
    return written;
  }

  /** Converts `input`; returns the samples it completes. */
  push(input: Int16Array): Int16Array {
    const out = new Int16Array(this.maxOutput(input.length));
    const count = this.process(input, out);
    return count === out.length ? out : out.slice(0, count);
  }

  /**
   * Ends the input: returns the samples held back by the filter, so that the
   * whole output is ceil(inputs * outputRate / inputRate) samples long. The
   * resampler is then ready for a new stream.
   */
  flush(): Int16Array {
    const total = Math.ceil((this.#inputCount * this.#up) / this.#down);
    const out = new Int16Array(Math.max(0, total - this.#outputCount));
    let written = 0;
    if (this.#up !== this.#down) {
      // Silence after the end lets the filter reach the last samples.
      for (let zeros = this.#half + 1; zeros > 0 && written < out.length; ) {
        const count = Math.min(zeros, this.#buffer.length - this.#fill);
        this.#buffer.fill(0, this.#fill, this.#fill + count);
        this.#fill += count;
        zeros -= count;
        written += this.#produce(out, written, out.length - written);
        this.#compact();
      }
    }
    this.reset();
    return written === out.length ? out : out.slice(0, written);
  }

  /** Forgets all input, as for a new stream. */
  reset(): void {
    // The filter's left half starts over silence: indices -half .. -1 are zeros.
    this.#buffer.fill(0);
    this.#bufferStart = -this.#half;
    this.#fill = this.#half;
    this.#whole = 0;
    this.#fraction = 0;
    this.#inputCount = 0;
    this.#outputCount = 0;
  }

  /** Computes every output whose filter window is buffered, up to `limit`. */
  #produce(output: Int16Array, at: number, limit: number): number {
    const taps = this.#taps;
    const half = this.#half;
    const table = this.#table;
    const buffer = this.#buffer;
    const lastIndex = this.#bufferStart + this.#fill - 1;
    let written = 0;
    while (written < limit && this.#whole + half <= lastIndex) {
      const start = this.#whole - half + 1 - this.#bufferStart;
      let sum = 0;
      if (this.#phases === 0) {
        const row = this.#fraction * taps;
        for (let m = 0; m < taps; m++) sum += buffer[start + m]! * table[row + m]!;
      } else {
        const position = (this.#fraction * this.#phases) / this.#up;
        const lower = Math.floor(position);
        const weight = position - lower;
        const row = lower * taps;
        let upper = 0;
        for (let m = 0; m < taps; m++) {
          const sample = buffer[start + m]!;
          sum += sample * table[row + m]!;
          upper += sample * table[row + taps + m]!;
        }
        sum += weight * (upper - sum);
      }
      const value = Math.round(sum);
      output[at + written++] = value > 32767 ? 32767 : value < -32768 ? -32768 : value;
      this.#fraction += this.#down;
      if (this.#fraction >= this.#up) {
        this.#whole += Math.floor(this.#fraction / this.#up);
        this.#fraction %= this.#up;
      }
    }
    this.#outputCount += written;
    return written;
  }

  /** Drops buffered samples no future output needs. */
  #compact(): void {
    const firstNeeded = this.#whole - this.#half + 1 - this.#bufferStart;
    const drop = Math.min(Math.max(0, firstNeeded), this.#fill);
    if (drop === 0) return;
    this.#buffer.copyWithin(0, drop, this.#fill);
    this.#fill -= drop;
    this.#bufferStart += drop;
  }
}

/** Converts a whole buffer (the same samples as streaming it and flushing). */
export function resample(samples: Int16Array, inputRate: number, outputRate: number): Int16Array {
  const resampler = new Resampler({ inputRate, outputRate });
  const head = resampler.push(samples);
  const tail = resampler.flush();
  const out = new Int16Array(head.length + tail.length);
  out.set(head);
  out.set(tail, head.length);
  return out;
}

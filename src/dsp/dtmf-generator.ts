/**
 * DTMF synthesis: the sender side of every test, scenario and the
 * `synth` command. Pure: returns samples, does no I/O.
 */
import { AudioParameterError } from '../errors.ts';
import { firstInvalidKey, keyFrequencies, type DtmfKey } from './dtmf-keys.ts';
import { dbm0ToAmplitude, dbm0ToPower, FULL_SCALE } from './levels.ts';
import { gaussian, seededRandom } from './random.ts';

export interface DtmfSynthOptions {
  /** Samples per second, 8000 to 48000. */
  sampleRate: number;
  /** Duration of each tone in ms. */
  onMs: number;
  /** Silence after each tone in ms. */
  offMs: number;
  /** Level of the low-group tone in dBm0 (per tone, not the pair). */
  levelDbm0: number;
  /** High-group level minus low-group level in dB (Q.24 accepts -8 to +4). */
  twistDb: number;
  /**
   * Signal-to-noise ratio in dB of white Gaussian noise added over the whole
   * output: the power of the tone pair against the noise power in the full
   * band. Undefined means no noise.
   */
  snrDb?: number;
  /** Silence before the first tone in ms. */
  leadMs: number;
  /** Frequency error applied to both tones, in percent of nominal. */
  frequencyErrorPct: number;
  /** Seed of the noise generator, so output is reproducible. */
  seed: number;
}

export const DEFAULT_SYNTH_OPTIONS: DtmfSynthOptions = {
  sampleRate: 8000,
  onMs: 100,
  offMs: 100,
  levelDbm0: -10,
  twistDb: 0,
  leadMs: 0,
  frequencyErrorPct: 0,
  seed: 1,
};

export const MIN_SAMPLE_RATE = 8000;
export const MAX_SAMPLE_RATE = 48000;

export function checkSampleRate(sampleRate: number, what = 'sample rate'): void {
  if (!Number.isInteger(sampleRate) || sampleRate < MIN_SAMPLE_RATE || sampleRate > MAX_SAMPLE_RATE) {
    throw new AudioParameterError(
      `${what} must be a whole number of Hz from ${MIN_SAMPLE_RATE} to ${MAX_SAMPLE_RATE}, got ${sampleRate}`,
    );
  }
}

/** Adds a sine burst into `out` (mixing, not overwriting). */
export function addTone(
  out: Float32Array,
  startSample: number,
  lengthSamples: number,
  hz: number,
  amplitude: number,
  sampleRate: number,
  phase = 0,
): void {
  const step = (2 * Math.PI * hz) / sampleRate;
  const end = Math.min(out.length, startSample + lengthSamples);
  for (let i = Math.max(0, startSample); i < end; i++) {
    out[i]! += amplitude * Math.sin(phase + step * (i - startSample));
  }
}

/** Adds white Gaussian noise of the given mean power (16-bit scale squared). */
export function addNoise(out: Float32Array, power: number, seed: number): void {
  const normal = gaussian(seededRandom(seed));
  const sigma = Math.sqrt(power);
  for (let i = 0; i < out.length; i++) out[i]! += sigma * normal();
}

/** Rounds and clips floating-point samples to 16-bit PCM. */
export function toInt16(samples: Float32Array): Int16Array {
  const out = new Int16Array(samples.length);
  for (let i = 0; i < samples.length; i++) {
    const value = Math.round(samples[i]!);
    out[i] = value > FULL_SCALE ? FULL_SCALE : value < -FULL_SCALE - 1 ? -FULL_SCALE - 1 : value;
  }
  return out;
}

function msToSamples(ms: number, sampleRate: number): number {
  return Math.round((ms * sampleRate) / 1000);
}

function validate(digits: string, options: DtmfSynthOptions): void {
  const invalid = firstInvalidKey(digits);
  if (invalid) {
    throw new AudioParameterError(
      `'${invalid.char}' at position ${invalid.index + 1} of "${digits}" is not a DTMF key (0-9 * # A-D)`,
    );
  }
  checkSampleRate(options.sampleRate);
  for (const [name, value] of [['onMs', options.onMs], ['offMs', options.offMs], ['leadMs', options.leadMs]] as const) {
    if (!Number.isFinite(value) || value < 0) throw new AudioParameterError(`${name} must be a duration of 0 ms or more, got ${value}`);
  }
  if (!Number.isFinite(options.levelDbm0) || options.levelDbm0 > 3) {
    throw new AudioParameterError(`level must be at most +3 dBm0, got ${options.levelDbm0}`);
  }
  if (!Number.isFinite(options.twistDb) || Math.abs(options.twistDb) > 40) {
    throw new AudioParameterError(`twist must be between -40 and +40 dB, got ${options.twistDb}`);
  }
  if (options.snrDb !== undefined && !Number.isFinite(options.snrDb)) {
    throw new AudioParameterError(`snr must be a number of dB, got ${options.snrDb}`);
  }
}

/**
 * Renders `digits` as DTMF tone pairs in 16-bit PCM: `leadMs` of silence,
 * then each key as `onMs` of tone followed by `offMs` of silence.
 */
export function synthesizeDtmf(digits: string, partial: Partial<DtmfSynthOptions> = {}): Int16Array {
  const options = { ...DEFAULT_SYNTH_OPTIONS, ...partial };
  validate(digits, options);
  const { sampleRate } = options;
  const on = msToSamples(options.onMs, sampleRate);
  const off = msToSamples(options.offMs, sampleRate);
  const lead = msToSamples(options.leadMs, sampleRate);
  const out = new Float32Array(lead + digits.length * (on + off));
  const lowAmplitude = dbm0ToAmplitude(options.levelDbm0);
  const highAmplitude = dbm0ToAmplitude(options.levelDbm0 + options.twistDb);
  const scale = 1 + options.frequencyErrorPct / 100;
  for (let i = 0; i < digits.length; i++) {
    const { lowHz, highHz } = keyFrequencies(digits[i] as DtmfKey);
    const start = lead + i * (on + off);
    addTone(out, start, on, lowHz * scale, lowAmplitude, sampleRate);
    addTone(out, start, on, highHz * scale, highAmplitude, sampleRate);
  }
  if (options.snrDb !== undefined) {
    const signalPower = dbm0ToPower(options.levelDbm0) + dbm0ToPower(options.levelDbm0 + options.twistDb);
    addNoise(out, signalPower / 10 ** (options.snrDb / 10), options.seed);
  }
  return toInt16(out);
}

/**
 * Silences `lengthMs` of `samples` from `startMs` in place: an
 * interruption (dropout) of a tone, as a line or codec may cause.
 */
export function silenceSpan(samples: Int16Array, startMs: number, lengthMs: number, sampleRate: number): void {
  const start = Math.max(0, msToSamples(startMs, sampleRate));
  samples.fill(0, start, Math.min(samples.length, start + msToSamples(lengthMs, sampleRate)));
}

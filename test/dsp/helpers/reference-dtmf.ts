/**
 * A second DTMF sender for the conformance tests, written from the
 * specifications with plain trigonometry and sharing nothing with src/dsp:
 * if the product's generator and detector shared a mistake (a key's
 * frequency, the dBm0 reference), signals from this one would expose it.
 */

/** ITU-T Q.23, Table 1: low-group (row) and high-group (column) frequencies in Hz. */
export const Q23_LOW_HZ = [697, 770, 852, 941] as const;
export const Q23_HIGH_HZ = [1209, 1336, 1477, 1633] as const;
/** ITU-T Q.23, Figure 1: the 4 x 4 keypad, rows top to bottom, columns left to right. */
export const Q23_KEYPAD = ['123A', '456B', '789C', '*0#D'] as const;

/**
 * The 16-bit peak of a 0 dBm0 sine. ITU-T G.711 puts the codec's
 * theoretical load capacity (a sine just reaching the top code) at
 * +3.14 dBm0 for A-law (+3.17 dBm0 for µ-law), and G.168 refers levels to
 * the same 0 dBm0; mapping the codec's full scale onto 16-bit full scale,
 * a 0 dBm0 sine peaks 3.14 dB below 32767.
 */
export const REFERENCE_0DBM0_PEAK = 32767 * 10 ** (-3.14 / 20);

export interface ReferenceOptions {
  sampleRate?: number;
  /** Level of the low-group tone, dBm0. */
  levelDbm0?: number;
  /** High-group level minus low-group level, dB. */
  twistDb?: number;
  onMs?: number;
  /** Silence after each tone. */
  offMs?: number;
  /** Silence before the first tone. */
  leadMs?: number;
  /** Frequency errors of every low and high tone, Hz. */
  lowErrorHz?: number;
  highErrorHz?: number;
  /** White Gaussian noise: power of the tone pair over the noise power, dB. */
  snrDb?: number;
  seed?: number;
}

/** The Q.23 frequencies of `key`. */
export function q23Frequencies(key: string): { lowHz: number; highHz: number } {
  const row = Q23_KEYPAD.findIndex((keys) => keys.includes(key));
  if (row < 0) throw new Error(`'${key}' is not a DTMF key`);
  return { lowHz: Q23_LOW_HZ[row]!, highHz: Q23_HIGH_HZ[Q23_KEYPAD[row]!.indexOf(key)]! };
}

/** `digits` as 16-bit PCM: leadMs of silence, then per key onMs of tone pair and offMs of silence. */
export function referenceDtmf(digits: string, options: ReferenceOptions = {}): Int16Array {
  const { sampleRate = 8000, levelDbm0 = -10, twistDb = 0, onMs = 100, offMs = 100, leadMs = 0 } = options;
  const samples = (ms: number) => Math.round((ms * sampleRate) / 1000);
  const on = samples(onMs);
  const period = on + samples(offMs);
  const lead = samples(leadMs);
  const lowPeak = REFERENCE_0DBM0_PEAK * 10 ** (levelDbm0 / 20);
  const highPeak = lowPeak * 10 ** (twistDb / 20);
  const out = new Float64Array(lead + digits.length * period);
  [...digits].forEach((key, index) => {
    const { lowHz, highHz } = q23Frequencies(key);
    const low = (2 * Math.PI * (lowHz + (options.lowErrorHz ?? 0))) / sampleRate;
    const high = (2 * Math.PI * (highHz + (options.highErrorHz ?? 0))) / sampleRate;
    const start = lead + index * period;
    for (let n = 0; n < on; n++) out[start + n] = lowPeak * Math.sin(low * n) + highPeak * Math.sin(high * n);
  });
  if (options.snrDb !== undefined) {
    // A sine of peak A has mean power A^2 / 2.
    const noisePower = (lowPeak ** 2 / 2 + highPeak ** 2 / 2) / 10 ** (options.snrDb / 10);
    const normal = boxMuller(xorshift32(options.seed ?? 1));
    for (let n = 0; n < out.length; n++) out[n]! += Math.sqrt(noisePower) * normal();
  }
  return Int16Array.from(out, (x) => Math.max(-32768, Math.min(32767, Math.round(x))));
}

/** Marsaglia's xorshift32, uniform in (0, 1). */
function xorshift32(seed: number): () => number {
  let state = seed >>> 0 || 1;
  return () => {
    state ^= state << 13;
    state >>>= 0;
    state ^= state >>> 17;
    state ^= state << 5;
    state >>>= 0;
    return (state + 0.5) / 4294967296;
  };
}

function boxMuller(uniform: () => number): () => number {
  return () => Math.sqrt(-2 * Math.log(uniform())) * Math.cos(2 * Math.PI * uniform());
}

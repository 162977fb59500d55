/**
 * ITU-T G.711 companding: µ-law (North America, Japan) and A-law (Europe,
 * international), 8-bit code words for 16-bit linear samples.
 *
 * Linear values are on the 16-bit scale used by the ITU-T G.191 Software
 * Tool Library (g711.c): µ-law reconstructs to ±32124, A-law to ±32256.
 * Negative inputs are taken in one's complement before quantising, as G.191
 * does, so that -1 and 0 fall in the same interval and the code tables are
 * exactly symmetric (G.711 Tables 1 and 2 quantise magnitudes).
 */

/** Constants of G.711 on the 16-bit scale. */
export const G711 = {
  /** µ-law bias: 33 in the 14-bit domain of G.711 Table 2, times 4. */
  MULAW_BIAS: 0x84,
  /** Largest µ-law input magnitude before the top interval saturates (8158 * 4 + 3). */
  MULAW_CLIP: 32635,
  /** Code words are transmitted with even bits inverted (G.711 §4.2, A-law). */
  ALAW_INVERSION_MASK: 0x55,
  /** µ-law code for 0 (positive zero): all bits set, G.711 Table 2 note. */
  MULAW_ZERO: 0xff,
  /** A-law code for the smallest positive value (+8 on the 16-bit scale). */
  ALAW_SMALLEST_POSITIVE: 0xd5,
} as const;

function expandMulaw(code: number): number {
  const inverted = ~code & 0xff;
  const exponent = (inverted >> 4) & 0x07;
  const mantissa = inverted & 0x0f;
  const magnitude = (((mantissa << 3) + G711.MULAW_BIAS) << exponent) - G711.MULAW_BIAS;
  return inverted & 0x80 ? -magnitude : magnitude;
}

function expandAlaw(code: number): number {
  const value = code ^ G711.ALAW_INVERSION_MASK;
  const exponent = (value >> 4) & 0x07;
  const mantissa = value & 0x0f;
  // Segment 0 and 1 share one step size; each later segment doubles it.
  const magnitude =
    exponent === 0 ? (mantissa << 4) + 8 : (((mantissa + 16) << 4) + 8) << (exponent - 1);
  return value & 0x80 ? magnitude : -magnitude;
}

function buildTable(expand: (code: number) => number): Int16Array {
  const table = new Int16Array(256);
  for (let code = 0; code < 256; code++) table[code] = expand(code);
  return table;
}

const MULAW_TABLE = buildTable(expandMulaw);
const ALAW_TABLE = buildTable(expandAlaw);

/** Linear value (16-bit scale) of a µ-law code word. */
export function mulawToLinear(code: number): number {
  return MULAW_TABLE[code & 0xff]!;
}

/** Linear value (16-bit scale) of an A-law code word. */
export function alawToLinear(code: number): number {
  return ALAW_TABLE[code & 0xff]!;
}

/** µ-law code word for a 16-bit sample. */
export function linearToMulaw(sample: number): number {
  const negative = sample < 0;
  const magnitude = negative ? ~sample : sample;
  const biased = (magnitude > G711.MULAW_CLIP ? G711.MULAW_CLIP : magnitude) + G711.MULAW_BIAS;
  // biased is 132..32767, so its top bit is bit 7..14: that is the segment.
  const exponent = 31 - Math.clz32(biased) - 7;
  const mantissa = (biased >> (exponent + 3)) & 0x0f;
  return (negative ? 0x7f : 0xff) ^ ((exponent << 4) | mantissa);
}

/** A-law code word for a 16-bit sample. */
export function linearToAlaw(sample: number): number {
  const negative = sample < 0;
  const magnitude = negative ? ~sample : sample;
  // A-law quantises a 12-bit magnitude; the four low bits are below its resolution.
  const level = (magnitude > 32767 ? 32767 : magnitude) >> 4;
  let word: number;
  if (level < 32) {
    word = level;
  } else {
    const exponent = 31 - Math.clz32(level) - 3;
    word = (exponent << 4) | ((level >> (exponent - 1)) & 0x0f);
  }
  return (negative ? word : word | 0x80) ^ G711.ALAW_INVERSION_MASK;
}

/** Expands µ-law bytes to 16-bit samples (into `out` when given). */
export function decodeMulaw(codes: Uint8Array, out = new Int16Array(codes.length)): Int16Array {
  for (let i = 0; i < codes.length; i++) out[i] = MULAW_TABLE[codes[i]!]!;
  return out;
}

/** Expands A-law bytes to 16-bit samples (into `out` when given). */
export function decodeAlaw(codes: Uint8Array, out = new Int16Array(codes.length)): Int16Array {
  for (let i = 0; i < codes.length; i++) out[i] = ALAW_TABLE[codes[i]!]!;
  return out;
}

/** Compresses 16-bit samples to µ-law bytes (into `out` when given). */
export function encodeMulaw(samples: Int16Array, out = new Uint8Array(samples.length)): Uint8Array {
  for (let i = 0; i < samples.length; i++) out[i] = linearToMulaw(samples[i]!);
  return out;
}

/** Compresses 16-bit samples to A-law bytes (into `out` when given). */
export function encodeAlaw(samples: Int16Array, out = new Uint8Array(samples.length)): Uint8Array {
  for (let i = 0; i < samples.length; i++) out[i] = linearToAlaw(samples[i]!);
  return out;
}

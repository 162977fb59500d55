import { describe, expect, it } from 'vitest';
import {
  alawToLinear, decodeAlaw, decodeMulaw, encodeAlaw, encodeMulaw, G711, linearToAlaw, linearToMulaw, mulawToLinear,
} from '../../src/dsp/g711.ts';

const ALL_CODES = Array.from({ length: 256 }, (_, code) => code);

/**
 * Step size of the µ-law segment holding `magnitude` (G.711 Table 2: eight
 * segments whose steps double from 2 to 256 in 14-bit units, 8 to 1024 here).
 */
function mulawStep(magnitude: number): number {
  for (let segment = 0; segment < 8; segment++) if (magnitude < (256 << segment) - 132) return 8 << segment;
  return 1024;
}

describe('G.711 µ-law', () => {
  it('maps the known code points', () => {
    expect(mulawToLinear(G711.MULAW_ZERO)).toBe(0);
    expect(mulawToLinear(0x7f)).toBe(0);
    expect(mulawToLinear(0x80)).toBe(32124);
    expect(mulawToLinear(0x00)).toBe(-32124);
    expect(mulawToLinear(0xfe)).toBe(8);
    expect(mulawToLinear(0x7e)).toBe(-8);
    expect(mulawToLinear(0xef)).toBe(132);
    expect(linearToMulaw(0)).toBe(0xff);
    expect(linearToMulaw(32767)).toBe(0x80);
    expect(linearToMulaw(-32768)).toBe(0x00);
  });

  it('re-encodes every code word to itself except negative zero', () => {
    const changed = ALL_CODES.filter((code) => linearToMulaw(mulawToLinear(code)) !== code);
    expect(changed).toEqual([0x7f]);
    expect(linearToMulaw(mulawToLinear(0x7f))).toBe(0xff);
  });

  it('quantises every 16-bit value to within half a step, symmetrically', () => {
    const tooFar: number[] = [];
    const asymmetric: number[] = [];
    for (let x = -32768; x <= 32767; x++) {
      const code = linearToMulaw(x);
      const magnitude = x < 0 ? -x - 1 : x;
      if (magnitude <= G711.MULAW_CLIP && Math.abs(mulawToLinear(code) - x) > mulawStep(magnitude) / 2) tooFar.push(x);
      // One's complement symmetry (ITU-T G.191): -x-1 and x differ only in the sign bit.
      if (linearToMulaw(-x - 1) !== (code ^ 0x80)) asymmetric.push(x);
    }
    expect(tooFar).toEqual([]);
    expect(asymmetric).toEqual([]);
  });

  it('is monotonic in the input', () => {
    const decreasing: number[] = [];
    let previous = mulawToLinear(linearToMulaw(-32768));
    for (let x = -32767; x <= 32767; x++) {
      const value = mulawToLinear(linearToMulaw(x));
      if (value < previous) decreasing.push(x);
      previous = value;
    }
    expect(decreasing).toEqual([]);
  });
});

describe('G.711 A-law', () => {
  it('maps the known code points', () => {
    expect(alawToLinear(G711.ALAW_SMALLEST_POSITIVE)).toBe(8);
    expect(alawToLinear(0x55)).toBe(-8);
    expect(alawToLinear(0xaa)).toBe(32256);
    expect(alawToLinear(0x2a)).toBe(-32256);
    expect(alawToLinear(0xd4)).toBe(24);
    expect(linearToAlaw(0)).toBe(0xd5);
    expect(linearToAlaw(-1)).toBe(0x55);
    expect(linearToAlaw(32767)).toBe(0xaa);
    expect(linearToAlaw(-32768)).toBe(0x2a);
  });

  it('re-encodes every code word to itself', () => {
    for (const code of ALL_CODES) expect(linearToAlaw(alawToLinear(code))).toBe(code);
  });

  it('quantises every 16-bit value to within half a step, symmetrically', () => {
    const tooFar: number[] = [];
    const asymmetric: number[] = [];
    for (let x = -32768; x <= 32767; x++) {
      const code = linearToAlaw(x);
      const magnitude = x < 0 ? -x - 1 : x;
      // Segments 0 and 1 have step 16; each later one doubles (G.711 Table 1).
      const step = magnitude < 512 ? 16 : 16 << (31 - Math.clz32(magnitude >> 4) - 4);
      if (Math.abs(alawToLinear(code) - x) > step / 2) tooFar.push(x);
      if (linearToAlaw(-x - 1) !== (code ^ 0x80)) asymmetric.push(x);
    }
    expect(tooFar).toEqual([]);
    expect(asymmetric).toEqual([]);
  });
});

describe('G.711 buffers', () => {
  it('encodes and decodes whole buffers like the per-sample functions', () => {
    const samples = Int16Array.from({ length: 1000 }, (_, i) => Math.round(30000 * Math.sin(i / 7)));
    const mu = encodeMulaw(samples);
    const a = encodeAlaw(samples);
    expect(Array.from(mu)).toEqual(Array.from(samples, linearToMulaw));
    expect(Array.from(a)).toEqual(Array.from(samples, linearToAlaw));
    expect(Array.from(decodeMulaw(mu))).toEqual(Array.from(mu, mulawToLinear));
    expect(Array.from(decodeAlaw(a))).toEqual(Array.from(a, alawToLinear));
  });

  it('decodes a view into a larger buffer and writes into a given output', () => {
    const pool = Uint8Array.of(0x00, 0xff, 0x80, 0xd5, 0x00);
    const out = new Int16Array(3);
    expect(decodeMulaw(pool.subarray(1, 4), out)).toBe(out);
    expect(Array.from(out)).toEqual([0, 32124, mulawToLinear(0xd5)]);
  });
});

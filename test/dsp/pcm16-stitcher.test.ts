import { describe, expect, it } from 'vitest';
import { seededRandom } from '../../src/dsp/random.ts';
import { Pcm16Stitcher } from '../../src/dsp/pcm16-stitcher.ts';

const SAMPLES = Int16Array.from({ length: 1001 }, (_, i) => ((i * 40503) % 65536) - 32768);
SAMPLES.set([0, 1, -1, 32767, -32768, 255, 256, -256], 0);
const BYTES = new Uint8Array(SAMPLES.buffer.slice(0));

function stitch(chunks: Uint8Array[]): Int16Array {
  const stitcher = new Pcm16Stitcher();
  const parts = chunks.map((chunk) => stitcher.push(chunk));
  expect(stitcher.pendingBytes).toBe(0);
  const out = new Int16Array(parts.reduce((sum, part) => sum + part.length, 0));
  let at = 0;
  for (const part of parts) {
    out.set(part, at);
    at += part.length;
  }
  return out;
}

describe('Pcm16Stitcher', () => {
  it('reads little-endian samples from a whole buffer', () => {
    expect(stitch([BYTES])).toEqual(SAMPLES);
  });

  it('gives the same samples byte by byte', () => {
    expect(stitch(Array.from(BYTES, (_, i) => BYTES.subarray(i, i + 1)))).toEqual(SAMPLES);
  });

  it('gives the same samples for random splits, odd lengths and empty chunks included', () => {
    const random = seededRandom(7);
    for (let trial = 0; trial < 50; trial++) {
      const chunks: Uint8Array[] = [];
      for (let at = 0; at < BYTES.length; ) {
        const length = Math.floor(random() * 9);
        chunks.push(BYTES.subarray(at, at + length));
        at += length;
      }
      expect(stitch(chunks)).toEqual(SAMPLES);
    }
  });

  it('reads Buffers that are views at odd offsets into a larger pool', () => {
    const pool = Buffer.alloc(BYTES.length + 3, 0xee);
    pool.set(BYTES, 1);
    const views = [pool.subarray(1, 6), pool.subarray(6, 7), pool.subarray(7, 1 + BYTES.length)];
    expect(views[0]!.byteOffset % 2).toBe(1);
    expect(stitch(views)).toEqual(SAMPLES);
  });

  it('keeps a sample split across two writes', () => {
    const stitcher = new Pcm16Stitcher();
    expect(Array.from(stitcher.push(Uint8Array.of(0x34, 0x12, 0xff)))).toEqual([0x1234]);
    expect(stitcher.pendingBytes).toBe(1);
    expect(Array.from(stitcher.push(new Uint8Array(0)))).toEqual([]);
    expect(Array.from(stitcher.push(Uint8Array.of(0xff)))).toEqual([-1]);
    expect(stitcher.pendingBytes).toBe(0);
  });

  it('drops a pending half sample on reset', () => {
    const stitcher = new Pcm16Stitcher();
    stitcher.push(Uint8Array.of(0x01));
    stitcher.reset();
    expect(Array.from(stitcher.push(Uint8Array.of(0x02, 0x00)))).toEqual([2]);
  });
});

import { describe, expect, it } from 'vitest';
import type { WavFormat } from '../../src/wav/wav-format.ts';
import { decodeChannel } from '../../src/wav/wav-samples.ts';

const MONO_16: WavFormat = {
  encoding: 'pcm', formatTag: 1, extensible: false, channels: 1, sampleRate: 8000, bitsPerSample: 16, bytesPerSample: 2, blockAlign: 2,
};

describe('decodeChannel', () => {
  it('reads mono 16-bit samples alike at even and odd byte offsets, including the extremes', () => {
    const samples = Int16Array.from([0, 1, -1, 32767, -32768, 12345, -23456, 256, -256]);
    const bytes = new Uint8Array(samples.length * 2);
    samples.forEach((sample, i) => {
      bytes[2 * i] = sample & 0xff;
      bytes[2 * i + 1] = (sample >> 8) & 0xff;
    });
    for (const offset of [0, 1, 2, 3]) {
      const padded = new Uint8Array(offset + bytes.length + 1); // one stray byte after: not a whole frame
      padded.set(bytes, offset);
      const out = new Int16Array(samples.length + 2);
      expect(decodeChannel(padded.subarray(offset), MONO_16, 0, out, 1), `offset ${offset}`).toBe(samples.length);
      expect(Array.from(out), `offset ${offset}`).toEqual([0, ...samples, 0]);
    }
  });
});

import { describe, expect, it } from 'vitest';
import { pcm16Bytes, pcm16Frame, pcm16Samples, silentPcm16 } from '../../src/server/pcm-bytes.ts';

describe('pcm-bytes', () => {
  it('writes samples as 16-bit little-endian bytes, in a copy', () => {
    const samples = new Int16Array([1, -2, 0x1234, -32768]);
    const bytes = pcm16Bytes(samples);
    expect([...bytes]).toEqual([0x01, 0x00, 0xfe, 0xff, 0x34, 0x12, 0x00, 0x80]);
    samples[0] = 99;
    expect(bytes[0]).toBe(0x01);
  });

  it('reads samples from bytes at any byte offset', () => {
    const backing = Buffer.from([0xaa, 0x01, 0x00, 0xfe, 0xff, 0x34, 0x12]);
    expect([...pcm16Samples(backing.subarray(1))]).toEqual([1, -2, 0x1234]);
    expect([...pcm16Samples(new Uint8Array(backing.buffer, backing.byteOffset + 3, 4))]).toEqual([-2, 0x1234]);
  });

  it('shares one all-zero frame per size', () => {
    expect(silentPcm16(320)).toBe(silentPcm16(320));
    expect(silentPcm16(320).every((b) => b === 0)).toBe(true);
    expect(silentPcm16(640)).toHaveLength(640);
  });
});

describe('pcm16Frame', () => {
  it('sends a shared frame as the bytes of its samples, one buffer for every call that sends it', () => {
    const prompt = Int16Array.from({ length: 320 }, (_, i) => i * 97 - 15_000);
    const shared = prompt.subarray(160, 320);
    const own = shared.slice();
    const bytes = pcm16Frame(own, false, shared);
    expect(bytes).toEqual(pcm16Bytes(own));
    expect(pcm16Frame(new Int16Array(160), false, prompt.subarray(160, 320))).toBe(bytes);
    expect(pcm16Frame(own)).not.toBe(pcm16Frame(own));
  });
});

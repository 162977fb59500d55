import { describe, expect, it } from 'vitest';
import { encodePcm16, floatToInt16, Pcm16Decoder } from '../../../src/web/client/pcm.ts';

describe('pcm', () => {
  it('encodes floats as little-endian 16-bit samples, rounded and clipped', () => {
    const bytes = new Uint8Array(encodePcm16([0, 1, -1, 2, -2, 0.5]));
    expect([...bytes]).toEqual([0, 0, 0xff, 0x7f, 0x01, 0x80, 0xff, 0x7f, 0x00, 0x80, 0x00, 0x40]);
    expect(floatToInt16(-1.5)).toBe(-32768);
  });

  it('decodes what it encodes to within one step', () => {
    const input = Float32Array.from({ length: 200 }, (_, i) => Math.sin(i / 7) * 0.9);
    const decoded = new Pcm16Decoder().push(encodePcm16(input));
    expect(decoded).toHaveLength(200);
    for (let i = 0; i < input.length; i++) expect(Math.abs(decoded[i]! - input[i]!)).toBeLessThan(2 / 32768);
  });

  it('keeps a sample split across two chunks', () => {
    const bytes = new Uint8Array(encodePcm16([0.25, -0.25, 0.75]));
    const whole = new Pcm16Decoder().push(bytes);
    const decoder = new Pcm16Decoder();
    const parts = [bytes.subarray(0, 1), bytes.subarray(1, 4), bytes.subarray(4, 5), bytes.subarray(5)].map((part) => [...decoder.push(part)]);
    expect(parts.flat()).toEqual([...whole]);
    expect(parts.map((part) => part.length)).toEqual([0, 2, 0, 1]);
  });

  it('decodes byte by byte', () => {
    const bytes = new Uint8Array(encodePcm16([0.1, 0.2, -0.3, -0.4]));
    const decoder = new Pcm16Decoder();
    const out = [...bytes].flatMap((byte) => [...decoder.push(Uint8Array.of(byte))]);
    expect(out).toEqual([...new Pcm16Decoder().push(bytes)]);
  });
});

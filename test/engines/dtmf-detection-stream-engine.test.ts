/**
 * The dtmf-detection-stream adapter: what it decodes, and the package's
 * defects, shown as they are (the adapter must neither add to nor hide them).
 */
import { createRequire } from 'node:module';
import { describe, expect, it } from 'vitest';
import { synthesizeDtmf } from '../../src/dsp/dtmf-generator.ts';
import { DtmfDetectionStreamDecoder } from '../../src/engines/dtmf-detection-stream-engine.ts';
import { createNativeDecoder } from '../../src/engines/native-engine.ts';
import { AudioParameterError } from '../../src/errors.ts';
import { decodeWith, digitsOf } from '../dsp/helpers/decode.ts';

describe('dtmf-detection-stream adapter', () => {
  it('decodes a simple sequence with times within a block of the tones', () => {
    const audio = synthesizeDtmf('123', { onMs: 100, offMs: 80, leadMs: 50 });
    const events = decodeWith(new DtmfDetectionStreamDecoder(8000), audio, [160]);
    expect(digitsOf(events)).toBe('123');
    events.forEach((event, i) => {
      expect(Math.abs(event.startMs - (50 + 180 * i))).toBeLessThanOrEqual(12);
      expect(Math.abs(event.endMs - (150 + 180 * i))).toBeLessThanOrEqual(12);
    });
  });

  it('returns digits from the push that completes them: the package writes synchronously', () => {
    const decoder = new DtmfDetectionStreamDecoder(8000);
    const audio = synthesizeDtmf('47', { onMs: 100, offMs: 80, leadMs: 50 });
    expect(digitsOf(decoder.push(audio.subarray(0, 800)))).toBe('');
    expect(digitsOf(decoder.push(audio.subarray(800)))).toBe('47');
    expect(decoder.flush()).toEqual([]);
  });

  it('upper-cases the letter keys', () => {
    const events = decodeWith(new DtmfDetectionStreamDecoder(8000), synthesizeDtmf('1ABC', { onMs: 100, offMs: 80, leadMs: 10 }));
    expect(digitsOf(events)).toBe('1ABC');
  });

  it('leaves no aggregation timer behind after a push', () => {
    const timers = () => process.getActiveResourcesInfo().filter((kind) => kind === 'Timeout').length;
    const before = timers();
    const decoder = new DtmfDetectionStreamDecoder(8000);
    expect(decoder.push(synthesizeDtmf('123', { onMs: 100, offMs: 80 })).length).toBeGreaterThan(0);
    expect(timers()).toBe(before);
  });

  it('reads Int16Array views at a byte offset correctly (it copies into unpooled Buffers)', () => {
    const audio = synthesizeDtmf('159', { onMs: 100, offMs: 80, leadMs: 50 });
    const backing = new Int16Array(audio.length + 2048);
    backing.set(audio, 2048);
    const direct = decodeWith(new DtmfDetectionStreamDecoder(8000), audio, [160]);
    const viewed = decodeWith(new DtmfDetectionStreamDecoder(8000), backing.subarray(2048), [160]);
    expect(viewed).toEqual(direct);
    expect(digitsOf(direct)).toBe('159');
  });

  it('throws AudioParameterError for a rate the package has no block size for', () => {
    for (const rate of [11025, 22050, 12000]) {
      expect(() => new DtmfDetectionStreamDecoder(rate)).toThrow(AudioParameterError);
    }
    expect(new DtmfDetectionStreamDecoder(44100).sampleRate).toBe(44100);
  });

  it('starts over on reset, forgetting a digit in progress', () => {
    const decoder = new DtmfDetectionStreamDecoder(8000);
    decoder.push(synthesizeDtmf('1', { onMs: 100, offMs: 0 }));
    decoder.reset();
    const audio = synthesizeDtmf('23', { onMs: 100, offMs: 80, leadMs: 50 });
    const afterReset = decodeWith(decoder, audio);
    expect(afterReset).toEqual(decodeWith(new DtmfDetectionStreamDecoder(8000), audio));
    expect(digitsOf(afterReset)).toBe('23');
  });
});

describe('dtmf-detection-stream defects (measured, not fixed)', () => {
  it('drops the last digit when nothing follows it: 1D decodes as 1 (native: 1D)', () => {
    const audio = synthesizeDtmf('1D', { onMs: 100, offMs: 80, leadMs: 50 });
    expect(digitsOf(decodeWith(new DtmfDetectionStreamDecoder(8000), audio))).toBe('1');
    expect(digitsOf(decodeWith(createNativeDecoder(8000), audio))).toBe('1D');
  });

  it('loses a first digit that starts with the input (its hit counter starts as NaN): 1ABC decodes as ABC', () => {
    const audio = synthesizeDtmf('1ABC', { onMs: 100, offMs: 80, leadMs: 0 });
    expect(digitsOf(decodeWith(new DtmfDetectionStreamDecoder(8000), audio))).toBe('ABC');
    expect(digitsOf(decodeWith(createNativeDecoder(8000), audio))).toBe('1ABC');
  });

  it('merges equal digits at -30 dBm0: 55555 at 40 ms on / 40 ms off gives fewer than five (native: five)', () => {
    const audio = synthesizeDtmf('55555', { onMs: 40, offMs: 40, leadMs: 50, levelDbm0: -30 });
    const got = digitsOf(decodeWith(new DtmfDetectionStreamDecoder(8000), audio));
    expect(got).toMatch(/^5+$/);
    expect(got.length).toBeLessThan(5);
    expect(digitsOf(decodeWith(createNativeDecoder(8000), audio))).toBe('55555');
  });

  it('splits equal digits at -30 dBm0: 55555 at 100 ms on / 80 ms off gives more than five (native: five)', () => {
    const audio = synthesizeDtmf('55555', { onMs: 100, offMs: 80, leadMs: 50, levelDbm0: -30 });
    const got = digitsOf(decodeWith(new DtmfDetectionStreamDecoder(8000), audio));
    expect(got).toMatch(/^5+$/);
    expect(got.length).toBeGreaterThan(5);
    expect(digitsOf(decodeWith(createNativeDecoder(8000), audio))).toBe('55555');
  });

  it('reads the wrong samples when given a Buffer that does not start its ArrayBuffer', () => {
    const require = createRequire(import.meta.url);
    const Package = require('dtmf-detection-stream') as new (args: object) => {
      write(chunk: Buffer): boolean;
      on(event: string, listener: (event: { digit: string }) => void): void;
      timeoutID: ReturnType<typeof setTimeout> | null;
    };
    const stream = new Package({ format: { sampleRate: 8000, channels: 1 } });
    const got: string[] = [];
    stream.on('dtmf', ({ digit }) => got.push(digit));
    const audio = synthesizeDtmf('123', { onMs: 100, offMs: 80, leadMs: 50 });
    // Each chunk sits at byte 4096 of a larger, otherwise silent ArrayBuffer.
    for (let at = 0; at < audio.length; at += 160) {
      const chunk = audio.subarray(at, at + 160);
      const backing = new Uint8Array(4096 + chunk.byteLength);
      backing.set(new Uint8Array(chunk.buffer, chunk.byteOffset, chunk.byteLength), 4096);
      stream.write(Buffer.from(backing.buffer, 4096, chunk.byteLength));
    }
    if (stream.timeoutID) clearTimeout(stream.timeoutID);
    expect(got).toEqual([]);
  });
});

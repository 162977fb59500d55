import { describe, expect, it } from 'vitest';
import { JitterBuffer } from '../../../src/web/client/jitter-buffer.ts';

const ramp = (from: number, length: number) => Float32Array.from({ length }, (_, i) => (from + i) / 10_000);

function read(buffer: JitterBuffer, length: number): Float32Array {
  const out = new Float32Array(length).fill(9);
  buffer.read(out);
  return out;
}

describe('JitterBuffer', () => {
  // 1 kHz keeps the numbers readable: 1 sample per ms.
  const options = { sampleRate: 1000, targetMs: 60, maxMs: 300 };

  it('plays silence until the target is buffered, then the audio in order', () => {
    const buffer = new JitterBuffer(options);
    buffer.write(ramp(0, 40));
    expect(read(buffer, 20)).toEqual(new Float32Array(20));
    expect(buffer.stats().playing).toBe(false);
    buffer.write(ramp(40, 20));
    expect(buffer.stats()).toMatchObject({ playing: true, depthMs: 60 });
    expect(read(buffer, 60)).toEqual(ramp(0, 60));
  });

  it('pads a dry read with silence, counts an underrun and refills to the target', () => {
    const buffer = new JitterBuffer(options);
    buffer.write(ramp(0, 60));
    const out = read(buffer, 80);
    expect(out.subarray(0, 60)).toEqual(ramp(0, 60));
    expect(out.subarray(60)).toEqual(new Float32Array(20));
    expect(buffer.stats()).toMatchObject({ playing: false, underruns: 1 });
    buffer.write(ramp(60, 30));
    expect(read(buffer, 10)).toEqual(new Float32Array(10));
    buffer.write(ramp(90, 30));
    expect(read(buffer, 10)).toEqual(ramp(60, 10));
  });

  it('drops the oldest audio beyond the limit down to the target', () => {
    const buffer = new JitterBuffer(options);
    for (let i = 0; i < 15; i++) buffer.write(ramp(i * 20, 20)); // 300 ms: at the limit
    expect(buffer.stats()).toMatchObject({ depthMs: 300, droppedSamples: 0 });
    buffer.write(ramp(300, 20)); // one frame over: keep the newest 60 ms
    expect(buffer.stats()).toMatchObject({ depthMs: 60, droppedSamples: 260, receivedSamples: 320 });
    expect(read(buffer, 60)).toEqual(ramp(260, 60));
  });

  it('keeps only the newest audio of a write longer than the limit', () => {
    const buffer = new JitterBuffer(options);
    buffer.write(ramp(0, 500));
    expect(buffer.stats()).toMatchObject({ depthMs: 300, droppedSamples: 200 });
    expect(read(buffer, 300)).toEqual(ramp(200, 300));
  });

  it('forgets buffered audio on clear and waits for the target again', () => {
    const buffer = new JitterBuffer(options);
    buffer.write(ramp(0, 100));
    buffer.clear();
    expect(buffer.stats()).toMatchObject({ depthMs: 0, playing: false });
    buffer.write(ramp(100, 30));
    expect(read(buffer, 30)).toEqual(new Float32Array(30));
  });

  it('wraps around its ring without losing or reordering samples', () => {
    const buffer = new JitterBuffer(options);
    const played: number[] = [];
    for (let i = 0; i < 100; i++) {
      buffer.write(ramp(i * 20, 20));
      if (i >= 3) played.push(...read(buffer, 20));
    }
    expect(played).toEqual([...ramp(0, played.length)]);
    expect(buffer.stats().underruns).toBe(0);
  });

  it('rejects a target that is not below the limit', () => {
    expect(() => new JitterBuffer({ sampleRate: 8000, targetMs: 300, maxMs: 300 })).toThrow(RangeError);
    expect(() => new JitterBuffer({ sampleRate: 8000, targetMs: 0 })).toThrow(/targetMs/);
  });
});

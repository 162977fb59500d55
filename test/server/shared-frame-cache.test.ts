import { describe, expect, it } from 'vitest';
import { SharedFrameCache } from '../../src/server/shared-frame-cache.ts';

describe('SharedFrameCache', () => {
  it('encodes a frame once for every view of the same samples', () => {
    const prompt = Int16Array.from({ length: 480 }, (_, i) => i);
    let encodings = 0;
    const cache = new SharedFrameCache((samples) => {
      encodings++;
      return Array.from(samples).join(',');
    });
    const first = cache.get(prompt.subarray(160, 320));
    expect(cache.get(prompt.subarray(160, 320))).toBe(first);
    expect(cache.get(new Int16Array(prompt.buffer, 320, 160))).toBe(first);
    expect(first).toBe(Array.from(prompt.subarray(160, 320)).join(','));
    expect(encodings).toBe(1);
  });

  it('keeps frames at other positions, of other lengths and in other memory apart', () => {
    const prompt = Int16Array.from({ length: 480 }, (_, i) => i);
    const copy = prompt.slice();
    const cache = new SharedFrameCache((samples) => [samples[0], samples.length]);
    expect(cache.get(prompt.subarray(0, 160))).toEqual([0, 160]);
    expect(cache.get(prompt.subarray(160, 320))).toEqual([160, 160]);
    expect(cache.get(prompt.subarray(0, 320))).toEqual([0, 320]);
    copy[0] = -1;
    expect(cache.get(copy.subarray(0, 160))).toEqual([-1, 160]);
  });

  it('encodes a frame too long for its key each time instead of caching it', () => {
    const long = new Int16Array(70_000);
    let encodings = 0;
    const cache = new SharedFrameCache(() => ++encodings);
    cache.get(long);
    cache.get(long);
    expect(encodings).toBe(2);
  });
});

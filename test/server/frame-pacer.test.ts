import { afterEach, describe, expect, it } from 'vitest';
import { FramePacer } from '../../src/server/frame-pacer.ts';

describe('FramePacer', () => {
  let pacer: FramePacer | undefined;
  afterEach(() => pacer?.stop());

  it('produces one frame per period without drifting', async () => {
    let frames = 0;
    pacer = new FramePacer(() => frames++, { frameMs: 10, speed: 1, maxCatchUpFrames: 5, now: () => performance.now() });
    const started = performance.now();
    pacer.start();
    await new Promise((resolve) => setTimeout(resolve, 400));
    const expected = Math.floor((performance.now() - started) / 10);
    // Frames are counted against the monotonic clock, so timer lateness is made up, not accumulated.
    expect(frames).toBeGreaterThanOrEqual(expected - 2);
    expect(frames).toBeLessThanOrEqual(expected + 1);
  });

  it('skips frames it is too late to send after a stall instead of bursting them', async () => {
    let frames = 0;
    pacer = new FramePacer(() => frames++, { frameMs: 10, speed: 1, maxCatchUpFrames: 3, now: () => performance.now() });
    pacer.start();
    const until = performance.now() + 150;
    while (performance.now() < until) {
      // a stalled event loop
    }
    await new Promise((resolve) => setTimeout(resolve, 15));
    expect(pacer.stats.skippedFrames).toBeGreaterThanOrEqual(8);
    expect(pacer.stats.lateTicks).toBeGreaterThanOrEqual(1);
    expect(frames).toBeLessThanOrEqual(6);
  });

  it('plays several frames per period when sped up', async () => {
    let frames = 0;
    pacer = new FramePacer(() => frames++, { frameMs: 10, speed: 4, maxCatchUpFrames: 8, now: () => performance.now() });
    pacer.start();
    await new Promise((resolve) => setTimeout(resolve, 200));
    expect(frames).toBeGreaterThanOrEqual(60);
  });
});

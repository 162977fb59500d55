import { describe, expect, it } from 'vitest';
import { EventRateLimit } from '../../src/server/event-rate-limit.ts';

describe('EventRateLimit', () => {
  it('allows maxEvents in a window and refuses one more', () => {
    const limit = new EventRateLimit(3, 1000);
    expect([0, 0, 0, 0].map((at) => limit.allow(at))).toEqual([true, true, true, false]);
  });

  it('allows events again once the oldest has left the window', () => {
    const limit = new EventRateLimit(3, 1000);
    for (const at of [0, 400, 800]) expect(limit.allow(at)).toBe(true);
    expect(limit.allow(999)).toBe(false);
    expect(limit.allow(1000)).toBe(true);
    expect(limit.allow(1300)).toBe(false);
    expect(limit.allow(1400)).toBe(true);
  });

  it('allows a steady 10 events a second for a minute under a limit of 20 a second', () => {
    const limit = new EventRateLimit(20, 1000);
    for (let at = 0; at < 60_000; at += 100) expect(limit.allow(at)).toBe(true);
  });
});

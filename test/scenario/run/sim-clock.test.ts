import { describe, expect, it } from 'vitest';
import { SimClock } from '../../../src/scenario/run/sim-clock.ts';
import { WakeQueue } from '../../../src/scenario/run/wake-queue.ts';

describe('SimClock', () => {
  it('tells when the next timer is due and fires timers in due order, ties in set order', () => {
    const clock = new SimClock();
    const fired: string[] = [];
    clock.setTimeout(() => fired.push('b'), 200);
    clock.setTimeout(() => fired.push('a'), 100);
    clock.setTimeout(() => fired.push('c'), 200);
    const cancelled = clock.setTimeout(() => fired.push('x'), 50);
    clock.clearTimeout(cancelled);
    expect(clock.nextDueMs()).toBe(100);
    clock.setNow(150);
    while (clock.fireNext());
    expect(fired).toEqual(['a']);
    clock.setNow(200);
    while (clock.fireNext());
    expect(fired).toEqual(['a', 'b', 'c']);
    expect(clock.nextDueMs()).toBe(Infinity);
    expect(() => clock.setNow(100)).toThrow(RangeError);
  });

  it('measures a timer set later from the time it was set', () => {
    const clock = new SimClock();
    clock.setNow(1000);
    clock.setTimeout(() => undefined, 500);
    expect(clock.nextDueMs()).toBe(1500);
  });
});

describe('WakeQueue', () => {
  it('returns due keys in time order and forgets rescheduled entries', () => {
    const queue = new WakeQueue<number>();
    queue.set(1, 300);
    queue.set(2, 100);
    queue.set(3, 200);
    queue.set(1, 50);
    queue.set(3, Infinity);
    expect(queue.peekMs()).toBe(50);
    expect(queue.takeDue(100)).toEqual([1, 2]);
    expect(queue.peekMs()).toBe(Infinity);
    queue.set(2, 400);
    expect(queue.get(2)).toBe(400);
    expect(queue.takeDue(399)).toEqual([]);
    expect(queue.takeDue(400)).toEqual([2]);
  });
});

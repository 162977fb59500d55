import { afterEach, describe, expect, it } from 'vitest';
import { PACING_PHASES, PhasedFrameClock } from '../../src/server/phased-frame-clock.ts';

/** A call that notes the order of its ticks among all calls. */
class Ticker {
  ticks = 0;
  constructor(
    readonly name: string,
    private readonly order: string[],
  ) {}
  tick(): void {
    this.ticks++;
    this.order.push(this.name);
  }
}

let clocks: PhasedFrameClock<Ticker>[] = [];
const make = () => {
  const clock = new PhasedFrameClock<Ticker>({ frameMs: 20, playbackSpeed: 1, now: () => performance.now() });
  clocks.push(clock);
  return clock;
};
afterEach(() => {
  for (const clock of clocks) clock.stop();
  clocks = [];
});

describe('PhasedFrameClock', () => {
  it('ticks every call once per frame, each in its own slot of the period', async () => {
    const order: string[] = [];
    const clock = make();
    const calls = Array.from({ length: 2 * PACING_PHASES }, (_, i) => new Ticker(`c${i}`, order));
    calls.forEach((call, i) => clock.add(call, i));
    expect(clock.size).toBe(calls.length);
    await new Promise((resolve) => setTimeout(resolve, 210));
    const ticks = calls.map((call) => call.ticks);
    // About ten 20 ms frames each, whichever slot renders them.
    expect(Math.min(...ticks)).toBeGreaterThan(5);
    expect(Math.max(...ticks) - Math.min(...ticks)).toBeLessThanOrEqual(1);
    // Calls of one slot tick together, and a slot's calls come around again only after the other slots.
    const slotOf = (name: string) => Number(name.slice(1)) % PACING_PHASES;
    for (let i = 0; i + 1 < order.length; i += 2) expect(slotOf(order[i]!)).toBe(slotOf(order[i + 1]!));
    const slots = order.filter((_, i) => i % 2 === 0).map(slotOf);
    for (let i = 1; i < slots.length; i++) expect(slots[i]).toBe((slots[i - 1]! + 1) % PACING_PHASES);
  });

  it('takes any integer as a phase, stops ticking a deleted call, and stops with the last one', async () => {
    const order: string[] = [];
    const clock = make();
    const [a, b] = [new Ticker('a', order), new Ticker('b', order)];
    clock.add(a, -3);
    clock.add(b, 1_000_001);
    clock.add(b, 1_000_001);
    expect(clock.size).toBe(2);
    await new Promise((resolve) => setTimeout(resolve, 60));
    clock.delete(a);
    const before = a.ticks;
    expect(before).toBeGreaterThan(0);
    await new Promise((resolve) => setTimeout(resolve, 60));
    expect(a.ticks).toBe(before);
    clock.delete(b);
    const ticksAtStop = clock.stats.ticks;
    await new Promise((resolve) => setTimeout(resolve, 40));
    expect(clock.stats.ticks).toBe(ticksAtStop);
    expect(clock.size).toBe(0);
  });
});

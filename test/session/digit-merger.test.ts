import { describe, expect, it } from 'vitest';
import { DigitMerger, type MergedDigit } from '../../src/session/digit-merger.ts';

const inBand = (digit: string, startMs: number, endMs: number): MergedDigit =>
  ({ digit, startMs, endMs, source: 'in-band' }) as MergedDigit;
const outOfBand = (digit: string, atMs: number, durationMs = 0): MergedDigit =>
  ({ digit, startMs: atMs - durationMs, endMs: atMs, source: 'out-of-band' }) as MergedDigit;

describe('DigitMerger', () => {
  it('suppresses an in-band digit whose tone matches an earlier out-of-band event', () => {
    const merger = new DigitMerger();
    expect(merger.accept(outOfBand('5', 100))).toBe(true);
    expect(merger.accept(inBand('5', 0, 100))).toBe(false);
  });

  it('suppresses an out-of-band event that repeats an in-band digit already delivered', () => {
    const merger = new DigitMerger();
    expect(merger.accept(inBand('7', 1000, 1100))).toBe(true);
    expect(merger.accept(outOfBand('7', 1180))).toBe(false);
  });

  it('uses the reported duration to place an out-of-band press on the timeline', () => {
    const merger = new DigitMerger({ matchWindowMs: 50 });
    // Reported at 900 ms with a 500 ms duration: the press began at 400 ms.
    expect(merger.accept(outOfBand('9', 900, 500))).toBe(true);
    expect(merger.accept(inBand('9', 400, 880))).toBe(false);
  });

  it('keeps digits of different keys even when they overlap', () => {
    const merger = new DigitMerger();
    expect(merger.accept(outOfBand('1', 100))).toBe(true);
    expect(merger.accept(inBand('2', 0, 100))).toBe(true);
  });

  it('never merges two digits from the same source', () => {
    const merger = new DigitMerger();
    expect(merger.accept(inBand('5', 0, 50))).toBe(true);
    expect(merger.accept(inBand('5', 60, 110))).toBe(true);
    expect(merger.accept(outOfBand('5', 200))).toBe(false);
    expect(merger.accept(outOfBand('5', 200))).toBe(false);
    expect(merger.accept(outOfBand('5', 210))).toBe(true);
  });

  it('counts a fast repeated key once per press when both paths report every press', () => {
    const merger = new DigitMerger();
    const delivered: boolean[] = [];
    for (let press = 0; press < 4; press++) {
      const start = press * 100;
      delivered.push(merger.accept(inBand('5', start, start + 50)));
      delivered.push(merger.accept(outOfBand('5', start + 60)));
    }
    expect(delivered.filter(Boolean)).toHaveLength(4);
  });

  it('treats presses further apart than the window as separate', () => {
    const merger = new DigitMerger({ matchWindowMs: 100 });
    expect(merger.accept(outOfBand('3', 100))).toBe(true);
    expect(merger.accept(inBand('3', 301, 400))).toBe(true);
  });

  it('forgets the oldest digits beyond maxRemembered, so a late twin of one is a new press', () => {
    const merger = new DigitMerger({ maxRemembered: 2 });
    expect(merger.accept(outOfBand('1', 100))).toBe(true);
    expect(merger.accept(outOfBand('2', 100))).toBe(true);
    expect(merger.accept(outOfBand('3', 100))).toBe(true);
    expect(merger.accept(inBand('1', 0, 100))).toBe(true);
    expect(merger.accept(inBand('3', 0, 100))).toBe(false);
  });

  it('handles 30,000 out-of-band keys at one instant in bounded time and still pairs the newest', () => {
    const merger = new DigitMerger();
    const started = performance.now();
    for (let i = 0; i < 30_000; i++) expect(merger.accept(outOfBand('5', 360))).toBe(true);
    expect(merger.accept(inBand('5', 300, 360))).toBe(false);
    // Unbounded memory made this quadratic: about 90 s.
    expect(performance.now() - started).toBeLessThan(3000);
  });
});


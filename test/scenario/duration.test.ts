import { describe, expect, it } from 'vitest';
import { formatClock, formatDuration, parseDuration } from '../../src/scenario/duration.ts';

describe('durations', () => {
  it('reads every unit, decimals and compounds', () => {
    expect(parseDuration('500ms')).toEqual({ ms: 500 });
    expect(parseDuration('10s')).toEqual({ ms: 10_000 });
    expect(parseDuration('1.5s')).toEqual({ ms: 1500 });
    expect(parseDuration('2m')).toEqual({ ms: 120_000 });
    expect(parseDuration('1h')).toEqual({ ms: 3_600_000 });
    expect(parseDuration('31d')).toEqual({ ms: 31 * 86_400_000 });
    expect(parseDuration('1m30s')).toEqual({ ms: 90_000 });
    expect(parseDuration('1h 15m')).toEqual({ ms: 4_500_000 });
    expect(parseDuration('0')).toEqual({ ms: 0 });
  });

  it('refuses bare numbers, unknown units and fractions of a millisecond', () => {
    expect(parseDuration('30')).toEqual({ problem: "'30' is not a duration (add a unit: 30s or 30ms)" });
    expect(parseDuration('5 minutes')).toHaveProperty('problem');
    expect(parseDuration('2w')).toHaveProperty('problem');
    expect(parseDuration('')).toHaveProperty('problem');
    expect(parseDuration('-1s')).toHaveProperty('problem');
    expect(parseDuration('0.5ms')).toEqual({ problem: "'0.5ms' is not a whole number of milliseconds" });
  });

  it('writes durations and clock times the way timelines show them', () => {
    expect(formatDuration(15_000)).toBe('15s');
    expect(formatDuration(1500)).toBe('1.5s');
    expect(formatDuration(250)).toBe('250ms');
    expect(formatDuration(5_420_000)).toBe('1h30m20s');
    expect(formatClock(40_120)).toBe('0:40.120');
    expect(formatClock(3_600_000)).toBe('1:00:00.000');
    expect(formatClock(31 * 86_400_000 + 5520)).toBe('31d 00:00:05.520');
    expect(formatClock(125_999, 's')).toBe('2:05');
  });
});

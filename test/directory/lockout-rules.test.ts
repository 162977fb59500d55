import { describe, expect, it } from 'vitest';
import {
  automaticLimits,
  decideAfterFailure,
  effectiveLimits,
  isExpiredLocalLock,
  isLocked,
  LOCKOUT_TIMING,
  windowStartMs,
} from '../../src/directory/lockout-rules.ts';

describe('lockout rules', () => {
  it('derives automatic limits from the PIN length', () => {
    expect(automaticLimits(4)).toEqual({ local: 10, global: 100 });
    expect(automaticLimits(5)).toEqual({ local: 25, global: 1000 });
    expect(automaticLimits(6)).toEqual({ local: 25, global: 5000 });
    expect(automaticLimits(24)).toEqual({ local: 25, global: 5000 });
  });

  it('uses explicit limits regardless of PIN length', () => {
    expect(effectiveLimits({ local: 3, global: 7 }, 4)).toEqual({ local: 3, global: 7 });
    expect(effectiveLimits('auto', 4)).toEqual({ local: 10, global: 100 });
  });

  it('keeps the automatic global limit next to a set local one, never below it', () => {
    expect(effectiveLimits({ local: 3, global: 'auto' }, 4)).toEqual({ local: 3, global: 100 });
    expect(effectiveLimits({ local: 3, global: 'auto' }, 6)).toEqual({ local: 3, global: 5000 });
    expect(effectiveLimits({ local: 500, global: 'auto' }, 4)).toEqual({ local: 500, global: 500 });
  });

  it('locks for an hour at the local limit, until unlocked at the global limit', () => {
    const limits = { local: 3, global: 10 };
    expect(decideAfterFailure({ windowFailures: 2, consecutiveFailures: 2 }, limits, null)).toBe('none');
    expect(decideAfterFailure({ windowFailures: 3, consecutiveFailures: 3 }, limits, null)).toBe('lock-local');
    expect(decideAfterFailure({ windowFailures: 1, consecutiveFailures: 10 }, limits, null)).toBe('lock-global');
    expect(decideAfterFailure({ windowFailures: 3, consecutiveFailures: 10 }, limits, null)).toBe('lock-global');
  });

  it('resets the PIN rather than lock it for an hour, but never instead of the global lock', () => {
    const limits = { local: 3, global: 10 };
    expect(decideAfterFailure({ windowFailures: 2, consecutiveFailures: 2 }, limits, 2)).toBe('reset-pin');
    expect(decideAfterFailure({ windowFailures: 3, consecutiveFailures: 3 }, limits, 3)).toBe('reset-pin');
    expect(decideAfterFailure({ windowFailures: 3, consecutiveFailures: 10 }, limits, 5)).toBe('lock-global');
  });

  it('ends a local lock exactly one hour after it began', () => {
    const lock = { kind: 'local' as const, untilMs: 1000 + LOCKOUT_TIMING.localLockMs };
    expect(isLocked(lock, 1000 + LOCKOUT_TIMING.localLockMs - 1)).toBe(true);
    expect(isLocked(lock, 1000 + LOCKOUT_TIMING.localLockMs)).toBe(false);
    expect(isExpiredLocalLock(lock, 1000 + LOCKOUT_TIMING.localLockMs)).toBe(true);
  });

  it('keeps global and admin locks whatever the time', () => {
    expect(isLocked({ kind: 'global', untilMs: null }, Number.MAX_SAFE_INTEGER)).toBe(true);
    expect(isLocked({ kind: 'admin', untilMs: null }, 0)).toBe(true);
    expect(isLocked({ kind: null, untilMs: null }, 0)).toBe(false);
  });

  it('counts a failure for exactly 30 minutes', () => {
    expect(windowStartMs(LOCKOUT_TIMING.localWindowMs + 5)).toBe(5);
    expect(LOCKOUT_TIMING.localWindowMs).toBe(30 * 60_000);
    expect(LOCKOUT_TIMING.localLockMs).toBe(60 * 60_000);
  });
});

/**
 * Lockout arithmetic, with no storage and no clock of its own.
 *
 * Source: Set-CsPinPolicy -MaximumLogonAttempts (Skype for Business Server).
 * Failures are counted twice. "Local" failures are those in a rolling 30
 * minute window; reaching the local limit locks the PIN for one hour.
 * "Global" failures are every failure since the last successful logon, PIN
 * set/reset or unlock; reaching the global limit locks the PIN until an
 * administrator unlocks it. Without an explicit setting the limits follow
 * the policy's minimum PIN length, the shortest PIN it admits: no PIN's
 * own length is stored, as it would tell a reader of the database how hard
 * that PIN is to guess. Exchange UM adds LogonFailuresBeforePINReset: after that
 * many consecutive failures the PIN is replaced by a new one and mailed.
 */
import type { LogonAttemptLimits } from './settings.ts';

export const LOCKOUT_TIMING = {
  /** Length of the rolling window for local failures ("a new 30 minute observation window"). */
  localWindowMs: 30 * 60_000,
  /** How long reaching the local limit locks the PIN ("locked out of the system for one hour"). */
  localLockMs: 60 * 60_000,
} as const;

export interface LogonLimits {
  /** Failures inside the window that lock the PIN for an hour. */
  readonly local: number;
  /** Failures since the last success that lock the PIN until an admin unlocks it. */
  readonly global: number;
}

/**
 * "A PIN length of 4 allows users 10 local logon attempts and 100 global
 * logon attempts. A PIN length of 5 allows 25 local and 1000 global ..."
 */
export function automaticLimits(pinLength: number): LogonLimits {
  if (pinLength <= 4) return { local: 10, global: 100 };
  if (pinLength === 5) return { local: 25, global: 1000 };
  return { local: 25, global: 5000 };
}

export function effectiveLimits(setting: LogonAttemptLimits, pinLength: number): LogonLimits {
  return setting === 'auto' ? automaticLimits(pinLength) : setting;
}

/** 'local' expires by itself; 'global' (too many failures) and 'admin' (`pin lock`) wait for `pin unlock`. */
export type LockKind = 'local' | 'global' | 'admin';

export interface LockState {
  readonly kind: LockKind | null;
  /** End of a local lock, ms since the epoch; null for the other kinds. */
  readonly untilMs: number | null;
}

export function isLocked(lock: LockState, nowMs: number): boolean {
  if (lock.kind === null) return false;
  if (lock.kind === 'local') return lock.untilMs !== null && nowMs < lock.untilMs;
  return true;
}

/** A local lock whose hour is over: the stored state can be cleared. */
export function isExpiredLocalLock(lock: LockState, nowMs: number): boolean {
  return lock.kind === 'local' && !isLocked(lock, nowMs);
}

/** Failures at or before this time have left the window (a failure counts for exactly 30 minutes). */
export function windowStartMs(nowMs: number): number {
  return nowMs - LOCKOUT_TIMING.localWindowMs;
}

export type FailureDecision = 'none' | 'lock-local' | 'lock-global' | 'reset-pin';

export interface FailureCounts {
  /** Failures in the rolling window, this one included. */
  readonly windowFailures: number;
  /** Failures since the last success, set, reset or unlock, this one included. */
  readonly consecutiveFailures: number;
}

/**
 * What a failure leads to. The global lock wins over everything; an
 * automatic PIN reset wins over the 1-hour lock, because a fresh PIN already
 * makes the guesses so far worthless.
 */
export function decideAfterFailure(
  counts: FailureCounts,
  limits: LogonLimits,
  failuresBeforePinReset: number | null,
): FailureDecision {
  if (counts.consecutiveFailures >= limits.global) return 'lock-global';
  if (failuresBeforePinReset !== null && counts.consecutiveFailures >= failuresBeforePinReset) return 'reset-pin';
  if (counts.windowFailures >= limits.local) return 'lock-local';
  return 'none';
}

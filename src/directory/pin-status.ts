/**
 * What `pin status` shows about a user's PIN: never the PIN or its length,
 * only whether it is set, locked, failing or expired.
 */
import type { DirectoryStore } from './directory-store.ts';
import { effectiveLimits, isLocked, type LockKind, type LogonLimits } from './lockout-rules.ts';
import type { PolicyScope } from './policy-scope.ts';
import { pinExpiresAtMs } from './settings.ts';

export interface PinStatus {
  readonly userId: string;
  readonly name: string;
  readonly pinSet: boolean;
  /** When the current PIN was set (ms since the epoch), null without a PIN. */
  readonly lastSetAt: number | null;
  /** When the PIN's lifetime ends, null when it never does (lifetimeDays 0 or no PIN). */
  readonly expiresAt: number | null;
  /** Set by `pin reset --expired` and by the automatic reset. */
  readonly mustChange: boolean;
  /** mustChange, or the lifetime is over: the next logon asks for a new PIN. */
  readonly pinExpired: boolean;
  readonly lockedOut: boolean;
  /** Why it is locked, while it is. */
  readonly lockKind: LockKind | null;
  /** End of a 1-hour lock; null when not locked or locked until unlocked. */
  readonly lockedUntil: number | null;
  /** Failures in the rolling 30-minute window. */
  readonly failures: number;
  /** Failures since the last successful logon, PIN change or unlock. */
  readonly globalFailures: number;
  /** The lockout limits that apply to this PIN now. */
  readonly limits: LogonLimits;
  /** Whose PIN policy applies to the user (see effectivePolicy). */
  readonly policyScope: PolicyScope;
}

export async function readStatus(store: DirectoryStore, userId: string, nowMs: number): Promise<PinStatus> {
  const user = await store.requireUser(userId);
  const pin = await store.getPin(userId);
  const lock = await store.getLock(userId);
  const { policy, scope } = await store.effectivePolicy(userId);
  const failures = await store.windowFailures(userId, nowMs);
  const lockedOut = isLocked(lock, nowMs);
  const expiresAt = pin ? pinExpiresAtMs(pin.setAt, policy.lifetimeDays) : null;
  return {
    userId,
    name: user.name,
    pinSet: pin !== undefined,
    lastSetAt: pin?.setAt ?? null,
    expiresAt,
    mustChange: pin?.mustChange ?? false,
    pinExpired: pin !== undefined && (pin.mustChange || (expiresAt !== null && nowMs >= expiresAt)),
    lockedOut,
    lockKind: lockedOut ? lock.kind : null,
    lockedUntil: lockedOut && lock.kind === 'local' ? lock.untilMs : null,
    failures,
    globalFailures: lock.globalFailures,
    limits: effectiveLimits(policy.maxLogonAttempts, policy.minLength),
    policyScope: scope,
  };
}

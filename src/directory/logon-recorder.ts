/**
 * Recording the outcome of one PIN comparison. Each runs in a write
 * transaction that first re-reads the PIN and the lock: if the PIN changed
 * while scrypt ran the caller retries, and if another attempt locked the
 * PIN meanwhile this one reports 'locked' and is not counted.
 */
import { recordAudit } from './audit-log.ts';
import type { DirectoryStore } from './directory-store.ts';
import { decideAfterFailure, effectiveLimits, isExpiredLocalLock, isLocked, LOCKOUT_TIMING } from './lockout-rules.ts';
import { pinExpiresAtMs } from './settings.ts';

export type Recorded =
  /** The PIN was replaced while it was being compared: compare again. */
  | 'retry'
  | 'locked'
  /** A wrong PIN, counted; `resetPin`: the PIN was withdrawn and a new one must be issued. */
  | { readonly lockedNow: boolean; readonly resetPin: boolean }
  /** The right PIN. */
  | { readonly mustChange: boolean };

export async function recordSuccess(store: DirectoryStore, now: number, userId: string, expectedHash: string): Promise<Recorded> {
  const check = async (rows: DirectoryStore): Promise<Recorded | 'write'> => {
    const pinRow = await rows.getPin(userId);
    if (!pinRow || pinRow.hash !== expectedHash) return 'retry';
    const lock = await rows.getLock(userId);
    if (isLocked(lock, now)) return 'locked';
    const { policy } = await rows.effectivePolicy(userId);
    const expiresAt = pinExpiresAtMs(pinRow.setAt, policy.lifetimeDays);
    const expired = expiresAt !== null && now >= expiresAt;
    const outcome = { mustChange: pinRow.mustChange || expired };
    const dirty = lock.kind !== null || lock.globalFailures > 0 || (await rows.windowFailures(userId, now)) > 0;
    return dirty ? 'write' : outcome;
  };
  // Nothing to reset is the common case; it stays a pure read (and works on a read-only file).
  const first = await store.read('read the PIN', check);
  if (first !== 'write') return first;
  return store.write('record a successful logon', async (tx) => {
    const again = await check(tx);
    if (again !== 'write') return again;
    await tx.setLock(userId, null, null, null);
    await tx.clearFailures(userId);
    const result = await check(tx);
    return result === 'write' ? 'retry' : result;
  });
}

export function recordFailure(
  store: DirectoryStore,
  now: number,
  userId: string,
  expectedHash: string,
  conferenceId: string,
): Promise<Recorded> {
  return store.write('record a PIN failure', async (tx) => {
    const pinRow = await tx.getPin(userId);
    if (!pinRow || pinRow.hash !== expectedHash) return 'retry';
    const lock = await tx.getLock(userId);
    if (isLocked(lock, now)) return 'locked';
    if (isExpiredLocalLock(lock, now)) {
      // "After the lockout period has expired, the user's local logon attempts will be reset to 0."
      await tx.setLock(userId, null, null, null);
      await tx.clearWindow(userId);
    }
    const counts = await tx.addFailure(userId, now);
    const { policy } = await tx.effectivePolicy(userId);
    const limits = effectiveLimits(policy.maxLogonAttempts, policy.minLength);
    const decision = decideAfterFailure(counts, limits, policy.logonFailuresBeforePinReset);
    const tally = `${counts.windowFailures} in 30 min, ${counts.consecutiveFailures} since last logon`;
    await recordAudit(tx, now, userId, 'failure', `wrong PIN for conference ${conferenceId} (${tally})`);
    if (decision === 'lock-global') {
      await tx.setLock(userId, 'global', null, now);
      await recordAudit(tx, now, userId, 'locked', `global limit of ${limits.global} failures reached; until unlocked`);
      return { lockedNow: true, resetPin: false };
    }
    if (decision === 'lock-local') {
      const until = now + LOCKOUT_TIMING.localLockMs;
      await tx.setLock(userId, 'local', until, now);
      const untilText = new Date(until).toISOString();
      const why = `local limit of ${limits.local} failures in 30 min reached; until ${untilText}`;
      await recordAudit(tx, now, userId, 'locked', why);
      return { lockedNow: true, resetPin: false };
    }
    if (decision === 'reset-pin') {
      // The old PIN stops working now; the new one is hashed outside this transaction.
      await tx.deletePin(userId);
      const why = `after ${counts.consecutiveFailures} consecutive failures; a new PIN follows`;
      await recordAudit(tx, now, userId, 'removed', why);
      return { lockedNow: false, resetPin: true };
    }
    return { lockedNow: false, resetPin: false };
  });
}

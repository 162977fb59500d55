/**
 * A PIN's state in words, for the users list, a user's page and /me. Never
 * the PIN or its length: `*****` stands for any set PIN.
 */
import type { PinStatus } from '../../../directory/pin-status.ts';
import { html, type Html } from '../html.ts';
import { when } from './layout.ts';

const LOCK_WORDS = {
  local: 'locked for an hour after too many failures',
  global: 'locked after too many failures since the last logon, until unlocked',
  admin: 'locked by an administrator, until unlocked',
} as const;

/** One short phrase: "not set", "set", "expired", "locked (local)". */
export function pinSummary(status: PinStatus): string {
  if (status.lockedOut) return `locked (${status.lockKind})`;
  if (!status.pinSet) return 'not set';
  return status.pinExpired ? 'expired' : 'set';
}

/** The full state as a definition list. */
export function pinStateList(status: PinStatus, options: { failures: boolean }): Html {
  const pin = status.pinSet
    ? html`<span class="masked">*****</span> set ${when(status.lastSetAt)}`
    : html`not set`;
  const expiry = !status.pinSet
    ? ''
    : status.pinExpired
      ? status.mustChange
        ? 'expired: must be changed at the next dial-in'
        : `expired ${when(status.expiresAt)}: must be changed at the next dial-in`
      : status.expiresAt === null
        ? 'never expires'
        : `valid until ${when(status.expiresAt)}`;
  const lock = status.lockedOut
    ? `${LOCK_WORDS[status.lockKind!]}${status.lockedUntil !== null ? ` (until ${when(status.lockedUntil)})` : ''}`
    : 'not locked';
  return html`<dl class="pin-state" data-pin-state="${pinSummary(status)}">
<dt>PIN</dt><dd data-field="pin">${pin}</dd>
${status.pinSet ? html`<dt>Expiry</dt><dd data-field="expiry">${expiry}</dd>` : ''}
<dt>Lock</dt><dd data-field="lock">${lock}</dd>
${options.failures
  ? html`<dt>Failures</dt><dd data-field="failures">${status.failures} in the last 30 minutes (limit ${status.limits.local}), ${status.globalFailures} since the last logon (limit ${status.limits.global})</dd>`
  : ''}
</dl>`;
}

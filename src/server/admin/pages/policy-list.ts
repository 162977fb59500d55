/** A PIN policy as a definition list, in the CLI's `policy show` words. */
import type { PinPolicy } from '../../../directory/settings.ts';
import { effectiveLimits } from '../../../directory/lockout-rules.ts';
import { html, type Html } from '../html.ts';

export function describeLogonAttempts(policy: PinPolicy): string {
  const limits = effectiveLimits(policy.maxLogonAttempts, policy.minLength);
  const automatic = policy.maxLogonAttempts === 'auto' ? ', automatic for this PIN length' : '';
  return `${limits.local} within 30 minutes (1-hour lock) / ${limits.global} since the last logon (lock until unlocked${automatic})`;
}

export function policyList(policy: PinPolicy): Html {
  return html`<dl class="policy">
<dt>Minimum PIN length</dt><dd data-field="minLength">${policy.minLength}</dd>
<dt>PIN history</dt><dd data-field="historyCount">${policy.historyCount}</dd>
<dt>PIN lifetime (days)</dt><dd data-field="lifetimeDays">${policy.lifetimeDays === 0 ? 'never expires' : policy.lifetimeDays}</dd>
<dt>Common patterns</dt><dd data-field="allowCommonPatterns">${policy.allowCommonPatterns ? 'allowed' : 'refused'}</dd>
<dt>Logon attempts</dt><dd data-field="maxLogonAttempts">${describeLogonAttempts(policy)}</dd>
<dt>Failures before the PIN is reset</dt><dd data-field="logonFailuresBeforePinReset">${policy.logonFailuresBeforePinReset ?? 'off'}</dd>
</dl>`;
}

/**
 * Policies and Tenant settings (admin only): the current values and a form
 * for each. Empty fields leave a value as it is; the directory validates and
 * names the first bad field.
 */
import type { PinPolicy, TenantSettings } from '../../../directory/settings.ts';
import { SETTING_LIMITS } from '../../../directory/settings.ts';
import { html, type Html } from '../html.ts';
import type { UserRecord } from '../../../directory/records.ts';
import type { EffectivePolicy } from '../admin-services.ts';
import { notice } from './layout.ts';
import { policyList } from './policy-list.ts';

type Message = { kind: 'ok' | 'error'; text: string } | undefined;

function numberField(id: string, label: string, value: number, limits: { min: number; max: number }): Html {
  return html`<label for="${id}">${label} (${limits.min}–${limits.max})</label><input id="${id}" name="${id}" type="number" min="${limits.min}" max="${limits.max}" value="${value}" required>`;
}

function yesNo(id: string, label: string, value: boolean): Html {
  return html`<label class="check"><input type="checkbox" id="${id}" name="${id}" value="on"${value ? html` checked` : ''}> ${label}</label>`;
}

export function policiesPage(global: PinPolicy, users: readonly { user: UserRecord; policy: EffectivePolicy }[], csrf: string, message: Message): Html {
  const logon = global.maxLogonAttempts === 'auto' ? 'auto' : `${global.maxLogonAttempts.local}/${global.maxLogonAttempts.global}`;
  const overridden = users.filter((entry) => entry.policy.source !== 'global');
  return html`${message ? notice(message.kind, message.text) : ''}
<section aria-labelledby="global-heading"><h2 id="global-heading">Global policy</h2>${policyList(global)}
<form method="post" action="/admin/policies" class="settings">
<input type="hidden" name="csrf" value="${csrf}">
${numberField('minLength', 'Minimum PIN length', global.minLength, SETTING_LIMITS.minLength)}
${numberField('historyCount', 'PIN history', global.historyCount, SETTING_LIMITS.historyCount)}
${numberField('lifetimeDays', 'PIN lifetime in days, 0 for never', global.lifetimeDays, SETTING_LIMITS.lifetimeDays)}
<label for="maxLogonAttempts">Logon attempts (auto, LOCAL or LOCAL/GLOBAL)</label><input id="maxLogonAttempts" name="maxLogonAttempts" value="${logon}" required>
<label for="logonFailuresBeforePinReset">Failures before the PIN is reset (empty for off)</label><input id="logonFailuresBeforePinReset" name="logonFailuresBeforePinReset" type="number" min="1" max="999" value="${global.logonFailuresBeforePinReset ?? ''}">
${yesNo('allowCommonPatterns', 'Allow common patterns (repeated digits, runs, the phone number or extension)', global.allowCommonPatterns)}
<button type="submit">Save global policy</button>
</form></section>
<section aria-labelledby="override-heading"><h2 id="override-heading">Users whose policy is not the global one</h2>
${overridden.length === 0
  ? html`<p class="small">None: every user has the global policy.</p>`
  : html`<table><thead><tr><th scope="col">User</th><th scope="col">From</th><th scope="col">Minimum length</th><th scope="col">Lifetime (days)</th></tr></thead><tbody>${overridden.map(
      ({ user, policy }) => html`<tr><td><a href="/admin/users/${encodeURIComponent(user.id)}">${user.name}</a></td><td>${policy.source}</td><td>${policy.policy.minLength}</td><td>${policy.policy.lifetimeDays}</td></tr>`,
    )}</tbody></table>`}
</section>`;
}

export function tenantPage(tenant: TenantSettings, csrf: string, message: Message): Html {
  return html`${message ? notice(message.kind, message.text) : ''}
<form method="post" action="/admin/tenant" class="settings">
<input type="hidden" name="csrf" value="${csrf}">
${numberField('pinLength', 'Length of generated PINs', tenant.pinLength, SETTING_LIMITS.pinLength)}
${yesNo('allowAnonymousStart', 'Meetings may start without their organizer (anonymous start)', tenant.allowAnonymousStart)}
${yesNo('sendEmailToUser', 'Mail new and reset PINs to the user', tenant.sendEmailToUser)}
<label for="emailOverride">Send PIN mails to this address instead (empty for the user's own)</label><input id="emailOverride" name="emailOverride" type="email" value="${tenant.emailOverride ?? ''}">
<button type="submit">Save tenant settings</button>
</form>`;
}

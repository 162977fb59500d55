/**
 * Policies and Tenant settings (admin only). Policies: the global PIN
 * policy, each site's and user's own policy (a whole policy, as in Skype for
 * Business Server: a user's is their own, else their site's, else the global
 * one), a form to give a site or user one, and which policy each user has.
 * Every form posts all its fields; the directory validates them and names
 * the first bad one.
 */
import type { NamedScope } from '../../../directory/policy-scope.ts';
import { describeScope, scopeName } from '../../../directory/policy-scope.ts';
import type { UserRecord } from '../../../directory/records.ts';
import type { PinPolicy, TenantSettings } from '../../../directory/settings.ts';
import { SETTING_LIMITS } from '../../../directory/settings.ts';
import type { EffectivePolicy } from '../admin-services.ts';
import { html, type Html } from '../html.ts';
import { notice, type Notice } from './layout.ts';
import { policyList } from './policy-list.ts';

function numberField(id: string, name: string, label: string, value: number, limits: { min: number; max: number }): Html {
  return html`<label for="${id}">${label} (${limits.min}–${limits.max})</label><input id="${id}" name="${name}" type="number" min="${limits.min}" max="${limits.max}" value="${value}" required>`;
}

function yesNo(id: string, name: string, label: string, value: boolean): Html {
  return html`<label class="check"><input type="checkbox" id="${id}" name="${name}" value="on"${value ? html` checked` : ''}> ${label}</label>`;
}

/** The URL path of a scope's policy form. */
export function scopePath(scope: NamedScope): string {
  return `/admin/policies/${scope.kind}/${encodeURIComponent(scopeName(scope))}`;
}

/** One policy's form; ids are prefixed so several forms share a page. */
function policyForm(action: string, prefix: string, policy: PinPolicy, csrf: string, button: string): Html {
  const logon = policy.maxLogonAttempts === 'auto' ? 'auto' : `${policy.maxLogonAttempts.local}/${policy.maxLogonAttempts.global}`;
  return html`<form method="post" action="${action}" class="settings">
<input type="hidden" name="csrf" value="${csrf}">
${numberField(`${prefix}-minLength`, 'minLength', 'Minimum PIN length', policy.minLength, SETTING_LIMITS.minLength)}
${numberField(`${prefix}-historyCount`, 'historyCount', 'PIN history', policy.historyCount, SETTING_LIMITS.historyCount)}
${numberField(`${prefix}-lifetimeDays`, 'lifetimeDays', 'PIN lifetime in days, 0 for never', policy.lifetimeDays, SETTING_LIMITS.lifetimeDays)}
<label for="${prefix}-maxLogonAttempts">Logon attempts (auto, LOCAL or LOCAL/GLOBAL)</label><input id="${prefix}-maxLogonAttempts" name="maxLogonAttempts" value="${logon}" required>
<label for="${prefix}-reset">Failures before the PIN is reset (empty for off)</label><input id="${prefix}-reset" name="logonFailuresBeforePinReset" type="number" min="1" max="999" value="${policy.logonFailuresBeforePinReset ?? ''}">
${yesNo(`${prefix}-allowCommonPatterns`, 'allowCommonPatterns', 'Allow common patterns (repeated digits, runs, the phone number or extension)', policy.allowCommonPatterns)}
<button type="submit">${button}</button>
</form>`;
}

export interface PoliciesPageData {
  readonly global: PinPolicy;
  readonly scoped: readonly { readonly scope: NamedScope; readonly policy: PinPolicy }[];
  readonly users: readonly { readonly user: UserRecord; readonly policy: EffectivePolicy }[];
  readonly csrf: string;
  readonly message: Notice | undefined;
}

export function policiesPage(data: PoliciesPageData): Html {
  const { csrf } = data;
  const scoped = data.scoped.map(({ scope, policy }) => {
    const id = `${scope.kind}-${scopeName(scope)}`;
    const title = `${scope.kind === 'site' ? 'Site' : 'User'} ${scopeName(scope)}`;
    return html`<section aria-labelledby="${id}-heading" data-scope="${describeScope(scope)}"><h2 id="${id}-heading">${title}</h2>${policyList(policy)}
<details><summary>Change</summary>${policyForm(scopePath(scope), id, policy, csrf, `Save ${title}`)}</details>
<form method="post" action="${scopePath(scope)}/remove" class="action"><input type="hidden" name="csrf" value="${csrf}"><button type="submit">Remove the policy of ${title}</button></form>
</section>`;
  });
  const others = data.users.filter((entry) => entry.policy.scope.kind !== 'global');
  return html`${notice(data.message)}
<section aria-labelledby="global-heading" data-scope="global"><h2 id="global-heading">Global policy</h2>${policyList(data.global)}
<details><summary>Change</summary>${policyForm('/admin/policies', 'global', data.global, csrf, 'Save global policy')}</details></section>
${scoped}
<section aria-labelledby="new-heading"><h2 id="new-heading">Give a site or a user its own policy</h2>
<p class="small">It starts as a copy of the policy that applies to them now.</p>
<form method="post" action="/admin/policies/new" class="action">
<input type="hidden" name="csrf" value="${csrf}">
<label for="new-kind">For</label><select id="new-kind" name="kind"><option value="site">site</option><option value="user">user</option></select>
<label for="new-name">Site name or user id</label><input id="new-name" name="name" required maxlength="64">
<button type="submit">Add policy</button>
</form></section>
<section aria-labelledby="override-heading"><h2 id="override-heading">Users whose policy is not the global one</h2>
${others.length === 0
  ? html`<p class="small">None: every user has the global policy.</p>`
  : html`<table><thead><tr><th scope="col">User</th><th scope="col">Policy</th><th scope="col">Minimum length</th><th scope="col">Lifetime (days)</th></tr></thead><tbody>${others.map(
      ({ user, policy }) => html`<tr data-user-id="${user.id}"><td><a href="/admin/users/${encodeURIComponent(user.id)}">${user.name}</a></td><td>${describeScope(policy.scope)}</td><td>${policy.policy.minLength}</td><td>${policy.policy.lifetimeDays}</td></tr>`,
    )}</tbody></table>`}
</section>`;
}

export function tenantPage(tenant: TenantSettings, csrf: string, message: Notice | undefined): Html {
  return html`${notice(message)}
<form method="post" action="/admin/tenant" class="settings">
<input type="hidden" name="csrf" value="${csrf}">
${numberField('pinLength', 'pinLength', 'Length of generated PINs', tenant.pinLength, SETTING_LIMITS.pinLength)}
${yesNo('allowAnonymousStart', 'allowAnonymousStart', 'Meetings may start without their organizer (anonymous start)', tenant.allowAnonymousStart)}
${yesNo('sendEmailToUser', 'sendEmailToUser', 'Mail new and reset PINs to the user', tenant.sendEmailToUser)}
<label for="emailOverride">Send PIN mails to this address instead (empty for the user's own)</label><input id="emailOverride" name="emailOverride" type="email" value="${tenant.emailOverride ?? ''}">
<button type="submit">Save tenant settings</button>
</form>`;
}

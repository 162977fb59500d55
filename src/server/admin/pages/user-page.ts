/**
 * A user's page: who they are, the PIN state, the effective policy and where
 * it comes from, and the PIN actions named as in the seeds (Set PIN with
 * "Automatically generate a valid PIN" or "Manually enter a specific PIN",
 * Reset PIN with "Require the user to change the PIN at the next dial-in",
 * Unlock PIN, Lock PIN, Remove PIN, Reset conference ID). A locked PIN
 * offers Unlock PIN instead of Set PIN and Reset PIN, as the directory
 * refuses to set a locked PIN. A new PIN is shown here once, in the answer to
 * the post that made it.
 */
import type { UserRecord } from '../../../directory/records.ts';
import type { PinStatus } from '../../../directory/pin-status.ts';
import { describeScope } from '../../../directory/policy-scope.ts';
import { html, type Html } from '../html.ts';
import type { EffectivePolicy, NewPin } from '../admin-services.ts';
import { notice, type Notice } from './layout.ts';
import { pinStateList } from './pin-state.ts';
import { policyList } from './policy-list.ts';

export interface UserPageData {
  readonly user: UserRecord;
  readonly status: PinStatus;
  readonly policy: EffectivePolicy;
  readonly conferences: readonly string[];
  readonly csrf: string;
  /** Set in the answer to Set PIN or Reset PIN, and only there. */
  readonly newPin?: NewPin | undefined;
  readonly message?: Notice | undefined;
}

function action(userPath: string, name: string, csrf: string, label: string, inner: Html | string = ''): Html {
  return html`<form method="post" action="${userPath}/${name}" class="action" data-action="${name}"><input type="hidden" name="csrf" value="${csrf}">${inner}<button type="submit">${label}</button></form>`;
}

/** The new PIN, once, with a copy button (admin-page.ts). */
export function newPinPanel(newPin: NewPin, whose: string): Html {
  const mailed = newPin.mailedTo === null ? 'It has not been mailed.' : `It has been mailed to ${newPin.mailedTo}.`;
  return html`<section class="new-pin" aria-labelledby="new-pin-heading">
<h2 id="new-pin-heading">New PIN for ${whose}</h2>
<p><output id="new-pin" class="pin">${newPin.pin}</output> <button type="button" id="copy-pin" data-copy="new-pin" hidden>Copy</button> <span id="copy-status" class="small" role="status"></span></p>
<p class="small">Shown once: after you leave this page it is <span class="masked">*****</span> everywhere. ${mailed}${newPin.mustChange ? ' It must be changed at the next dial-in.' : ''}</p>
</section>`;
}

/** The Set PIN form: generate (the default) or enter one, checked against the policy as it is typed. */
export function setPinForm(postTo: string, checkUrl: string, csrf: string, words: { legend: string; button: string }): Html {
  return html`<form method="post" action="${postTo}" class="action set-pin" data-action="set-pin">
<input type="hidden" name="csrf" value="${csrf}">
<fieldset><legend>${words.legend}</legend>
<label class="check"><input type="radio" name="mode" value="generate" checked> Automatically generate a valid PIN</label>
<label class="check"><input type="radio" name="mode" value="manual" id="mode-manual"> Manually enter a specific PIN</label>
<label for="manual-pin">PIN</label>
<input id="manual-pin" name="pin" type="password" inputmode="numeric" autocomplete="new-password" maxlength="24" data-check-url="${checkUrl}" aria-describedby="pin-check">
<p id="pin-check" class="small" role="status" aria-live="polite"></p>
</fieldset>
<button type="submit">${words.button}</button>
</form>`;
}

export function userPage(data: UserPageData): Html {
  const { user, status, csrf } = data;
  const path = `/admin/users/${encodeURIComponent(user.id)}`;
  const locked = status.lockedOut;
  const actions: Html[] = [];
  if (locked) {
    actions.push(html`<p class="small">The PIN is locked: unlock it before it can be set or reset.</p>`);
    actions.push(action(path, 'unlock', csrf, 'Unlock PIN'));
  } else {
    actions.push(setPinForm(`${path}/set-pin`, `${path}/check-pin`, csrf, { legend: 'Set PIN', button: 'Set PIN' }));
    if (status.pinSet) {
      actions.push(
        action(path, 'reset-pin', csrf, 'Reset PIN', html`<label class="check"><input type="checkbox" name="mustChange" value="on" checked> Require the user to change the PIN at the next dial-in</label>`),
      );
    }
    actions.push(action(path, 'unlock', csrf, 'Unlock PIN'), action(path, 'lock', csrf, 'Lock PIN'));
  }
  if (status.pinSet) actions.push(action(path, 'remove-pin', csrf, 'Remove PIN'));
  for (const conference of data.conferences) {
    actions.push(
      action(path, 'reset-conference-id', csrf, 'Reset conference ID', html`<input type="hidden" name="conference" value="${conference}"><span class="small">Conference ${conference}</span> `),
    );
  }
  return html`${notice(data.message)}
${data.newPin ? newPinPanel(data.newPin, user.name) : ''}
<div class="overview">
<section class="user-card" aria-labelledby="user-heading"><h2 id="user-heading">User</h2>
<dl>
<dt>Display name</dt><dd data-field="name">${user.name}</dd>
<dt>Id</dt><dd>${user.id}</dd>
<dt>E-mail</dt><dd data-field="email">${user.email}</dd>
<dt>Phone</dt><dd>${user.phone ?? '—'}</dd>
<dt>Extension</dt><dd>${user.extension ?? '—'}</dd>
<dt>Site</dt><dd data-field="site">${user.site ?? '—'}</dd>
<dt>Conferences</dt><dd>${data.conferences.length ? data.conferences.join(', ') : '—'}</dd>
</dl>
</section>
<section aria-labelledby="pin-heading"><h2 id="pin-heading">Dial-in PIN</h2>${pinStateList(status, { failures: true })}</section>
</div>
<section aria-labelledby="actions-heading" class="actions"><h2 id="actions-heading">Actions</h2>${actions}</section>
<section aria-labelledby="policy-heading"><h2 id="policy-heading">Effective PIN policy <span class="small">(the ${describeScope(data.policy.scope)} policy)</span></h2>${policyList(data.policy.policy)}</section>`;
}

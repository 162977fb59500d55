/**
 * Admin accounts (admin only): who may sign in to the admin center, with
 * which role, and whether sign-in is locked; add an account (its generated
 * password is shown once, like a new PIN), unlock or remove one.
 */
import { html, type Html } from '../html.ts';
import { ADMIN_ROLES } from '../../../directory/access/admin-accounts.ts';
import type { AdminAccount, AdminSession } from '../admin-services.ts';
import { notice, when, type Notice } from './layout.ts';

export interface AccountsPageData {
  readonly accounts: readonly AdminAccount[];
  readonly session: AdminSession;
  /** Set only in the answer to adding an account. */
  readonly added?: { readonly name: string; readonly password: string } | undefined;
  readonly message?: Notice | undefined;
}

function button(action: string, csrf: string, label: string): Html {
  return html`<form method="post" action="${action}" class="action"><input type="hidden" name="csrf" value="${csrf}"><button type="submit">${label}</button></form>`;
}

export function accountsPage(data: AccountsPageData): Html {
  const csrf = data.session.csrfToken;
  const rows = data.accounts.map((account) => {
    const path = `/admin/accounts/${encodeURIComponent(account.name)}`;
    const actions = [
      account.lockedUntil !== null ? button(`${path}/unlock`, csrf, 'Unlock sign-in') : '',
      account.name !== data.session.account ? button(`${path}/remove`, csrf, 'Remove account') : '',
    ];
    return html`<tr data-account="${account.name}"><td>${account.name}</td><td>${account.role}</td><td>${account.lockedUntil !== null ? `locked until ${when(account.lockedUntil)}` : 'allowed'}</td><td class="row-actions">${actions}</td></tr>`;
  });
  return html`${notice(data.message)}
${data.added
  ? html`<section class="new-pin" aria-labelledby="new-password-heading"><h2 id="new-password-heading">Password for ${data.added.name}</h2>
<p><output id="new-pin" class="pin">${data.added.password}</output> <button type="button" id="copy-pin" data-copy="new-pin" hidden>Copy</button> <span id="copy-status" class="small" role="status"></span></p>
<p class="small">Shown once: give it to ${data.added.name} by a safe way; it is stored only as a hash.</p></section>`
  : ''}
<table class="accounts"><thead><tr><th scope="col">Name</th><th scope="col">Role</th><th scope="col">Sign-in</th><th scope="col">Actions</th></tr></thead>
<tbody>${rows}</tbody></table>
<form method="post" action="/admin/accounts" class="settings">
<input type="hidden" name="csrf" value="${csrf}">
<h2>Add an account</h2>
<label for="account-new-name">Name</label><input id="account-new-name" name="name" required maxlength="64" autocomplete="off">
<label for="account-new-role">Role</label><select id="account-new-role" name="role">${ADMIN_ROLES.map((role) => html`<option value="${role}">${role}</option>`)}</select>
<button type="submit">Add account</button>
</form>`;
}

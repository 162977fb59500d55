/** Admin accounts (admin only): who may sign in to the admin center, and with which role. */
import { html, type Html } from '../html.ts';
import type { AdminAccount } from '../admin-services.ts';
import { when } from './layout.ts';

export function accountsPage(accounts: readonly AdminAccount[]): Html {
  return html`<table class="accounts"><thead><tr><th scope="col">Name</th><th scope="col">Role</th><th scope="col">Sign-in</th></tr></thead>
<tbody>${accounts.map(
    (account) => html`<tr data-account="${account.name}"><td>${account.name}</td><td>${account.role}</td><td>${account.lockedUntil !== null ? `locked until ${when(account.lockedUntil)}` : 'allowed'}</td></tr>`,
  )}</tbody></table>`;
}

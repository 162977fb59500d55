/** The Users list: the "Search users" box, the state filters and one row per user. */
import { html, type Html } from '../html.ts';
import { USER_FILTERS, type UserFilter, type UserRow } from '../admin-services.ts';
import { pinSummary } from './pin-state.ts';

const FILTER_LABELS: Record<UserFilter, string> = { locked: 'Locked', expired: 'Expired', 'no-pin': 'No PIN' };

export function usersPage(query: string, filters: readonly UserFilter[], rows: readonly UserRow[]): Html {
  const boxes = USER_FILTERS.map(
    (filter) =>
      html`<label class="check"><input type="checkbox" name="filter" value="${filter}"${filters.includes(filter) ? html` checked` : ''}> ${FILTER_LABELS[filter]}</label>`,
  );
  const body = rows.map(
    ({ user, status }) => html`<tr data-user-id="${user.id}">
<td><a href="/admin/users/${encodeURIComponent(user.id)}">${user.name}</a></td>
<td>${user.id}</td><td>${user.email}</td><td>${user.phone ?? ''}</td><td>${user.extension ?? ''}</td>
<td data-field="pin-state">${pinSummary(status)}</td></tr>`,
  );
  return html`<form method="get" action="/admin/users" class="search" role="search">
<label for="search-users">Search users</label>
<input id="search-users" type="search" name="q" value="${query}" placeholder="Name, id, e-mail, phone or extension" autocomplete="off">
<fieldset><legend>Show only</legend>${boxes}</fieldset>
<button type="submit">Search</button>
</form>
<p class="small" role="status">${rows.length === 1 ? '1 user' : `${rows.length} users`}</p>
<table class="users">
<thead><tr><th scope="col">Display name</th><th scope="col">Id</th><th scope="col">E-mail</th><th scope="col">Phone</th><th scope="col">Extension</th><th scope="col">PIN</th></tr></thead>
<tbody>${body}</tbody>
</table>`;
}

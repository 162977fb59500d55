/** The admin sign-in form (name and password). The same words for a wrong name and a wrong password. */
import { html, type Html } from '../html.ts';
import { notice, type Notice } from './layout.ts';

export function signInPage(message?: Notice, name = ''): Html {
  return html`${notice(message)}
<form method="post" action="/admin/sign-in" class="sign-in">
<label for="account-name">Name</label>
<input id="account-name" name="name" autocomplete="username" value="${name}" required>
<label for="account-password">Password</label>
<input id="account-password" name="password" type="password" autocomplete="current-password" required>
<button type="submit">Sign in</button>
</form>`;
}

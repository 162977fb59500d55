/**
 * The self-service pages under /me: ask for a sign-in link by e-mail
 * address, confirm the link (a button, so a mail scanner that fetches the
 * link does not use it up), and the user's own PIN state with Reset PIN.
 */
import type { PinStatus } from '../../../directory/pin-status.ts';
import { html, type Html } from '../html.ts';
import type { EffectivePolicy, NewPin } from '../admin-services.ts';
import { notice, type Notice } from './layout.ts';
import { pinStateList } from './pin-state.ts';
import { policyList } from './policy-list.ts';
import { newPinPanel, setPinForm } from './user-page.ts';

/** What /me says after a link request, whether or not the address belongs to anyone. */
export const LINK_SENT =
  'If this address belongs to a user, a sign-in link has been mailed to it. The link works once, for 15 minutes.';

export function meRequestPage(message?: Notice): Html {
  return html`${notice(message)}
<p>Enter your e-mail address to get a link that signs you in to see and reset your dial-in conferencing PIN.</p>
<form method="post" action="/me/link" class="sign-in">
<label for="me-email">E-mail address</label>
<input id="me-email" name="email" type="email" autocomplete="email" required>
<button type="submit">Mail me a sign-in link</button>
</form>`;
}

export function meConfirmPage(token: string): Html {
  return html`<form method="post" action="/me/sign-in" class="sign-in">
<input type="hidden" name="token" value="${token}">
<p>This link signs you in once.</p>
<button type="submit">Sign in</button>
</form>`;
}

export interface MePageData {
  readonly name: string;
  readonly status: PinStatus;
  readonly policy: EffectivePolicy;
  readonly csrf: string;
  readonly newPin?: NewPin | undefined;
  readonly message?: Notice | undefined;
}

export function mePage(data: MePageData): Html {
  const { status } = data;
  const reset = status.lockedOut
    ? html`<p>Your PIN is locked, so it cannot be reset here. Ask your administrator to unlock it.</p>`
    : setPinForm('/me/reset-pin', '/me/check-pin', data.csrf, { legend: 'Your new PIN', button: 'Reset PIN' });
  return html`${notice(data.message)}
${data.newPin ? newPinPanel(data.newPin, data.name) : ''}
<p>Signed in as ${data.name}.</p>
<section aria-labelledby="pin-heading"><h2 id="pin-heading">Your dial-in PIN</h2>${pinStateList(status, { failures: false })}</section>
<section aria-labelledby="reset-heading" class="actions"><h2 id="reset-heading">Reset your PIN</h2>${reset}</section>
<section aria-labelledby="policy-heading"><h2 id="policy-heading">Your PIN policy</h2>${policyList(data.policy.policy)}</section>`;
}

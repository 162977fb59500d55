/**
 * The frame of every admin and /me page: the top bar, the navigation the
 * signed-in role may use, the sign-out button and the one script.
 */
import { html, type Html } from '../html.ts';
import type { AdminRole, AdminSession } from '../admin-services.ts';

export interface NavItem {
  readonly href: string;
  readonly label: string;
  /** The roles that see the item. */
  readonly roles: readonly AdminRole[];
}

export const ADMIN_NAV: readonly NavItem[] = [
  { href: '/admin/users', label: 'Users', roles: ['admin', 'user-admin'] },
  { href: '/admin/policies', label: 'Policies', roles: ['admin'] },
  { href: '/admin/tenant', label: 'Tenant settings', roles: ['admin'] },
  { href: '/admin/accounts', label: 'Admin accounts', roles: ['admin'] },
  { href: '/admin/outbox', label: 'Outbox', roles: ['admin'] },
  { href: '/admin/audit', label: 'Audit log', roles: ['admin', 'user-admin'] },
  { href: '/admin/conferences', label: 'Live conferences', roles: ['admin', 'user-admin'] },
];

export interface PageFrame {
  /** Which of the two the page belongs to, for the top bar: the admin center (default) or /me. */
  readonly area?: 'admin' | 'me' | undefined;
  readonly title: string;
  readonly body: Html;
  /** The signed-in admin, for the navigation and sign-out. */
  readonly admin?: AdminSession | undefined;
  /** The nav entry to mark current. */
  readonly current?: string | undefined;
  /** A signed-in /me user's sign-out form (its CSRF token). */
  readonly meCsrf?: string | undefined;
}

function signOutForm(action: string, csrf: string): Html {
  return html`<form method="post" action="${action}" class="sign-out"><input type="hidden" name="csrf" value="${csrf}"><button type="submit">Sign out</button></form>`;
}

export function layout(frame: PageFrame): Html {
  const { admin } = frame;
  const nav = admin
    ? html`<nav aria-label="Admin center">${ADMIN_NAV.filter((item) => item.roles.includes(admin.role)).map(
        (item) => html`<a href="${item.href}"${item.href === frame.current ? html` aria-current="page"` : ''}>${item.label}</a>`,
      )}</nav>`
    : '';
  const who = admin
    ? html`<span class="who">${admin.account} <span class="role">${admin.role}</span></span>${signOutForm('/admin/sign-out', admin.csrfToken)}`
    : frame.meCsrf !== undefined
      ? signOutForm('/me/sign-out', frame.meCsrf)
      : '';
  const brand = frame.area === 'me' ? 'My dial-in PIN' : 'Admin center';
  return html`<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<meta name="color-scheme" content="light dark">
<title>${frame.title} · dialin-sim</title>
<link rel="icon" href="/favicon.svg" type="image/svg+xml">
<link rel="stylesheet" href="/admin.css">
<script type="module" src="/web/client/admin-page.ts"></script>
</head>
<body>
<header class="topbar"><span class="brand"><img src="/favicon.svg" alt="" width="22" height="22"> dialin-sim · ${brand}</span>${nav}<span class="account">${who}</span></header>
<main>
<h1>${frame.title}</h1>
${frame.body}
</main>
</body>
</html>
`;
}

/** What a page says after an action: done, or why not. */
export interface Notice {
  readonly kind: 'ok' | 'error';
  readonly text: string;
}

/** A status line after an action, or an error, announced to screen readers; nothing without one. */
export function notice(message: Notice | undefined): Html {
  if (!message) return html``;
  return html`<p class="notice ${message.kind}" role="${message.kind === 'error' ? 'alert' : 'status'}">${message.text}</p>`;
}

/** Times as ISO 8601 in UTC, as the CLI prints them. */
export function when(ms: number | null): string {
  return ms === null ? '' : new Date(ms).toISOString().replace(/\.\d{3}Z$/, 'Z');
}

/** The pages of a refused request, for /admin and for /me. */
import type { ServerResponse } from 'node:http';
import { html } from './html.ts';
import { redirect, sendPage } from './page-headers.ts';
import { layout } from './pages/layout.ts';
import type { Refusals } from './route-table.ts';

function refusalsFor(area: 'admin' | 'me', signIn: string, title: string): Refusals {
  const show = (response: ServerResponse, status: number, heading: string, text: string, headers: Record<string, string> = {}) =>
    sendPage(response, status, layout({ area, title: heading, body: html`<p>${text}</p><p><a href="${signIn}">${title}</a></p>` }), headers);
  return {
    forbidden: (response, why) => show(response, 403, 'Not allowed', why),
    signInFirst: (response) => redirect(response, signIn),
    unauthorized: (response) => show(response, 401, 'Signed out', 'You are not signed in, or your session has ended. Sign in again.'),
    notFound: (response) => show(response, 404, 'Not found', 'There is no such page.'),
    methodNotAllowed: (response, allow) => show(response, 405, 'Not allowed', 'This page does not take that kind of request.', { allow }),
  };
}

export const refusals = {
  admin: refusalsFor('admin', '/admin/sign-in', 'Sign in to the admin center'),
  me: refusalsFor('me', '/me', 'Get a sign-in link'),
} as const;

/**
 * What every state-changing request to /admin and /me must pass before its
 * body is read, on top of the server's Host check (host-guard.ts, which has
 * already answered 421 to a Host that does not name the server):
 *
 * - If a browser says where the request comes from, it must be this server's
 *   own page: `Origin` equal to the Host the request was sent to (the same
 *   test the WebSocket upgrade applies, origin-check.ts, without the
 *   softphone's --allow-origin list: no other site may post to the admin
 *   center), and `Sec-Fetch-Site`, when sent, `same-origin`.
 * - A request from a signed-in session carries that session's CSRF token
 *   (form field `csrf`, or header `x-csrf-token` for the JSON check), compared
 *   in constant time by the directory's session store (web-sessions.ts). SameSite=Strict already keeps the cookie off
 *   cross-site requests; the token also covers browsers or proxies that drop
 *   SameSite, and same-site sibling hosts.
 *
 * Clients that are not browsers send neither header; they are held to the
 * session cookie and the token like everyone else.
 */
import type { IncomingMessage } from 'node:http';
import { originAllowed } from '../origin-check.ts';

/** True when the request does not come from another site's page. */
export function sameOriginRequest(request: IncomingMessage): boolean {
  const site = request.headers['sec-fetch-site'];
  if (site !== undefined && site !== 'same-origin') return false;
  const origin = request.headers.origin;
  return originAllowed(origin, request.headers.host, []);
}

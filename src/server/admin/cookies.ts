/**
 * Session cookies for the admin center and /me. HttpOnly (no script reads
 * them), SameSite=Strict (a browser sends them only on requests its own pages
 * start, which stops cross-site request forgery before the CSRF token is even
 * looked at), Path=/. Secure only when the request itself came over TLS: the
 * server speaks plain HTTP on loopback, where a Secure cookie would never be
 * sent back (RFC 6265bis section 5.7 lets browsers treat http://localhost as
 * secure, but not 127.0.0.1 in every browser), and a TLS-terminating proxy in
 * front sets its own. No Max-Age: the cookie lives as long as the browser
 * session, and the server-side session decides when it expires.
 */
import type { IncomingMessage } from 'node:http';
import type { TLSSocket } from 'node:tls';

/** The admin center's session cookie. */
export const ADMIN_COOKIE = 'dialin_admin';
/** The self-service page's session cookie. */
export const ME_COOKIE = 'dialin_me';

/** A cookie value as sessions are written: base64url, nothing a header could split on. */
const COOKIE_VALUE = /^[A-Za-z0-9_-]{1,256}$/;

/** The value of cookie `name` in the request, when it is one the server could have set. */
export function readCookie(request: IncomingMessage, name: string): string | undefined {
  const header = request.headers.cookie;
  if (header === undefined) return undefined;
  for (const part of header.split(';')) {
    const eq = part.indexOf('=');
    if (eq < 0 || part.slice(0, eq).trim() !== name) continue;
    const value = part.slice(eq + 1).trim();
    return COOKIE_VALUE.test(value) ? value : undefined;
  }
  return undefined;
}

function viaTls(request: IncomingMessage): boolean {
  return (request.socket as Partial<TLSSocket>).encrypted === true;
}

/** `Set-Cookie` for a new session. */
export function sessionCookie(request: IncomingMessage, name: string, value: string): string {
  if (!COOKIE_VALUE.test(value)) throw new RangeError(`cookie ${name}: not a session token`);
  return `${name}=${value}; Path=/; HttpOnly; SameSite=Strict${viaTls(request) ? '; Secure' : ''}`;
}

/** `Set-Cookie` that deletes the session cookie. */
export function clearedCookie(request: IncomingMessage, name: string): string {
  return `${name}=; Path=/; HttpOnly; SameSite=Strict; Max-Age=0${viaTls(request) ? '; Secure' : ''}`;
}

/**
 * Optional bearer-token check on WebSocket upgrades and the JSON API. The
 * token is compared through SHA-256 digests with timingSafeEqual, so neither
 * its content nor its length leaks through response timing.
 */
import { createHash, timingSafeEqual } from 'node:crypto';
import type { IncomingMessage } from 'node:http';

const BEARER = /^Bearer\s+(\S+)\s*$/i;

/** The token a request presents: `Authorization: Bearer <t>`, else `?token=<t>`. */
export function presentedToken(request: IncomingMessage): string | undefined {
  const header = request.headers.authorization;
  if (header !== undefined) {
    const match = BEARER.exec(header);
    if (match) return match[1];
  }
  const url = new URL(request.url ?? '/', 'http://localhost');
  return url.searchParams.get('token') ?? undefined;
}

function digest(value: string): Buffer {
  return createHash('sha256').update(value, 'utf8').digest();
}

/** True when `presented` equals `expected`, in time independent of both. */
export function tokenMatches(expected: string, presented: string | undefined): boolean {
  const same = timingSafeEqual(digest(expected), digest(presented ?? ''));
  return same && presented !== undefined;
}

/** A request check: always true when no token is configured. */
export function createAuthorizer(token: string | undefined): (request: IncomingMessage) => boolean {
  if (token === undefined) return () => true;
  const expected = token;
  return (request) => tokenMatches(expected, presentedToken(request));
}

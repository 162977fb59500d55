/**
 * Response headers of every admin and /me page and JSON answer. The
 * Content-Security-Policy allows no inline script or style and no other
 * origin: the only script is the same-origin module under /web/client/, so
 * markup that slipped through escaping still could not run. Pages show PINs
 * once, so nothing may be stored by the browser or a proxy (no-store), shown
 * in a frame (frame-ancestors, X-Frame-Options), or sent to another site
 * in a Referer (a /me link's token is in its URL).
 */
import type { ServerResponse } from 'node:http';
import type { Html } from './html.ts';

export const ADMIN_CSP =
  "default-src 'none'; script-src 'self'; style-src 'self'; img-src 'self'; connect-src 'self'; " +
  "form-action 'self'; base-uri 'none'; frame-ancestors 'none'";

export const PAGE_HEADERS: Readonly<Record<string, string>> = {
  'content-security-policy': ADMIN_CSP,
  'cache-control': 'no-store',
  pragma: 'no-cache',
  'x-content-type-options': 'nosniff',
  'x-frame-options': 'DENY',
  // Not no-referrer: with it Chromium sends `Origin: null` on the pages' own form posts,
  // which the origin check must refuse. same-origin still sends nothing to another site.
  'referrer-policy': 'same-origin',
  'cross-origin-opener-policy': 'same-origin',
};

export function sendPage(response: ServerResponse, status: number, page: Html, extra: Record<string, string | string[]> = {}): void {
  const body = Buffer.from(page.text, 'utf8');
  response.writeHead(status, { ...PAGE_HEADERS, 'content-type': 'text/html; charset=utf-8', 'content-length': body.length, ...extra });
  response.end(body);
}

/** 303 See Other after a post (so a reload does not post again). */
export function redirect(response: ServerResponse, location: string, extra: Record<string, string | string[]> = {}): void {
  response.writeHead(303, { ...PAGE_HEADERS, location, 'content-length': 0, ...extra });
  response.end();
}

export function sendJsonNoStore(response: ServerResponse, status: number, body: unknown): void {
  const text = Buffer.from(JSON.stringify(body), 'utf8');
  response.writeHead(status, { ...PAGE_HEADERS, 'content-type': 'application/json; charset=utf-8', 'content-length': text.length });
  response.end(text);
}

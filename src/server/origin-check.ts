/**
 * Which browser pages may open a call. A WebSocket upgrade is not bound by
 * the same-origin policy, so without this check any web page a user visits
 * could call a server on their loopback interface (cross-site WebSocket
 * hijacking) and key PINs into it. Browsers always send `Origin` on an
 * upgrade (RFC 6455 section 4.1, RFC 6454); telephony platforms and other
 * non-browser clients send none, and are not affected.
 */

/** `*` in the allowed list admits every origin. */
export const ANY_ORIGIN = '*';

/**
 * True when an upgrade with this `Origin` header may proceed: no origin
 * (not a browser), the server's own pages (the origin's host is the Host
 * the request was sent to), or an origin on the allowed list.
 */
export function originAllowed(origin: string | undefined, host: string | undefined, allowed: readonly string[]): boolean {
  if (origin === undefined) return true;
  if (allowed.includes(ANY_ORIGIN) || allowed.includes(origin)) return true;
  let url: URL;
  try {
    url = new URL(origin);
  } catch {
    return false; // `null` (a sandboxed frame, a file: page) and anything malformed
  }
  return (url.protocol === 'http:' || url.protocol === 'https:') && host !== undefined && url.host === host.toLowerCase();
}

/** Checks an --allow-origin value: `*` or a scheme, host and optional port, as browsers send it. */
export function originProblem(origin: string): string | undefined {
  if (origin === ANY_ORIGIN) return undefined;
  try {
    const url = new URL(origin);
    if ((url.protocol === 'http:' || url.protocol === 'https:') && url.origin === origin) return undefined;
  } catch {
    // reported below
  }
  return `'${origin}' is not an origin: write it as a browser sends it, e.g. https://softphone.example.com:8443 (no path), or *`;
}

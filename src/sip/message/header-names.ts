/**
 * Header names are case-insensitive (RFC 3261 section 7.3.1) and some have a
 * one-letter compact form (section 7.3.3 plus RFC 3515, 3841, 3903, 4028).
 * Every name is stored in one canonical spelling so lookups are plain compares.
 */

/** RFC 3261 section 7.3.3 compact forms, plus the later registry entries softphones send. */
const COMPACT: Readonly<Record<string, string>> = {
  i: 'Call-ID',
  m: 'Contact',
  e: 'Content-Encoding',
  l: 'Content-Length',
  c: 'Content-Type',
  f: 'From',
  s: 'Subject',
  k: 'Supported',
  t: 'To',
  v: 'Via',
  // RFC 3515 (Refer-To), RFC 3892 (Referred-By), RFC 3841 (Accept-Contact),
  // RFC 3903 (Event, o), RFC 4028 (Session-Expires, x), RFC 3420 (Allow-Events, u).
  r: 'Refer-To',
  b: 'Referred-By',
  a: 'Accept-Contact',
  o: 'Event',
  x: 'Session-Expires',
  u: 'Allow-Events',
};

const CANONICAL = new Map<string, string>(
  [
    'Accept', 'Accept-Encoding', 'Accept-Language', 'Alert-Info', 'Allow', 'Authentication-Info',
    'Authorization', 'Call-ID', 'Call-Info', 'Contact', 'Content-Disposition', 'Content-Encoding',
    'Content-Language', 'Content-Length', 'Content-Type', 'CSeq', 'Date', 'Error-Info', 'Expires',
    'From', 'In-Reply-To', 'Max-Forwards', 'MIME-Version', 'Min-Expires', 'Organization', 'Priority',
    'Proxy-Authenticate', 'Proxy-Authorization', 'Proxy-Require', 'Record-Route', 'Reply-To',
    'Require', 'Retry-After', 'Route', 'Server', 'Subject', 'Supported', 'Timestamp', 'To',
    'Unsupported', 'User-Agent', 'Via', 'Warning', 'WWW-Authenticate', 'Refer-To', 'Referred-By',
    'Accept-Contact', 'Event', 'Session-Expires', 'Allow-Events', 'Min-SE', 'Path', 'RSeq', 'RAck',
  ].map((name) => [name.toLowerCase(), name]),
);

/** The canonical spelling of a header name: compact forms expanded, known names in RFC case. */
export function canonicalHeaderName(name: string): string {
  const lower = name.toLowerCase();
  return COMPACT[lower] ?? CANONICAL.get(lower) ?? name;
}

/**
 * Headers whose values may not be split at commas, because their grammar
 * holds commas of its own (RFC 3261 section 7.3.1: Authorization and its kin,
 * and headers whose values are dates or free text).
 */
const UNSPLITTABLE = new Set([
  'authorization', 'proxy-authorization', 'www-authenticate', 'proxy-authenticate',
  'authentication-info', 'date', 'subject', 'user-agent', 'server', 'organization',
  'call-id', 'cseq', 'content-type', 'from', 'to', 'max-forwards', 'content-length',
  'retry-after', 'timestamp', 'warning',
]);

export function isSplittableHeader(canonicalName: string): boolean {
  return !UNSPLITTABLE.has(canonicalName.toLowerCase());
}

/**
 * The address of From, To, Contact, Route and Record-Route (RFC 3261
 * section 20.10 and 25.1): `name-addr` (`"Name" <uri>;params`) or a bare
 * `addr-spec`, whose own `;params` then belong to the header, not the URI
 * (section 20.10).
 */
import { parseParams, serializeParams, splitTopLevel, type SipParams } from './header-syntax.ts';

export interface NameAddr {
  readonly displayName: string | undefined;
  readonly uri: string;
  /** Header parameters (tag, expires, q, lr on a bare route, ...). */
  readonly params: SipParams;
}

const SCHEME = /^[A-Za-z][A-Za-z0-9+\-.]*:\S+$/;

export function parseNameAddr(text: string): NameAddr | undefined {
  const value = text.trim();
  if (value === '*') return { displayName: undefined, uri: '*', params: {} };
  const open = findAngle(value);
  let displayName: string | undefined;
  let uri: string;
  let rest: string;
  if (open >= 0) {
    const close = value.indexOf('>', open);
    if (close < 0) return undefined;
    const name = readDisplayName(value.slice(0, open));
    if (name === null) return undefined;
    displayName = name;
    uri = value.slice(open + 1, close).trim();
    rest = value.slice(close + 1).trim();
  } else {
    const semicolon = value.indexOf(';');
    uri = semicolon < 0 ? value : value.slice(0, semicolon);
    rest = semicolon < 0 ? '' : value.slice(semicolon);
  }
  if (!SCHEME.test(uri)) return undefined;
  if (rest !== '' && !rest.startsWith(';')) return undefined;
  const parts = splitTopLevel(rest.slice(1), ';');
  const params = rest === '' ? {} : parts && parseParams(parts);
  if (!params) return undefined;
  return { displayName: displayName || undefined, uri, params };
}

/** The `<` that opens the URI, skipping any inside a quoted display name. */
function findAngle(value: string): number {
  let quoted = false;
  for (let i = 0; i < value.length; i++) {
    const char = value[i];
    if (quoted) {
      if (char === '\\') i++;
      else if (char === '"') quoted = false;
    } else if (char === '"') quoted = true;
    else if (char === '<') return i;
  }
  return -1;
}

/** A quoted string or a run of tokens; null when it is neither. */
function readDisplayName(text: string): string | undefined | null {
  const trimmed = text.trim();
  if (trimmed === '') return undefined;
  if (trimmed.startsWith('"')) {
    if (trimmed.length < 2 || !trimmed.endsWith('"')) return null;
    return trimmed.slice(1, -1).replace(/\\(.)/g, '$1');
  }
  return /^[^"<>]+$/.test(trimmed) ? trimmed : null;
}

export function serializeNameAddr(address: NameAddr): string {
  const name = address.displayName === undefined ? '' : `"${address.displayName.replace(/["\\]/g, '\\$&')}" `;
  return `${name}<${address.uri}>${serializeParams(address.params)}`;
}

export function addressTag(address: NameAddr): string | undefined {
  const tag = address.params['tag'];
  return tag ? tag : undefined;
}

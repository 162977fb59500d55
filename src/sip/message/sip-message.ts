/**
 * A SIP request or response (RFC 3261 section 7): the start line, the header
 * fields in wire order, the body as bytes, and the headers every message must
 * carry (section 8.1.1) already parsed. Messages are built only through
 * `createMessage`, so a parsed and a locally built message look the same.
 */
import { parseCSeq, type CSeq } from './cseq.ts';
import { canonicalHeaderName, isSplittableHeader } from './header-names.ts';
import { splitTopLevel } from './header-syntax.ts';
import { parseNameAddr, type NameAddr } from './name-addr.ts';
import { SipParseError, type SipProblem } from './sip-error.ts';
import { parseVia, type Via } from './via.ts';

export interface SipHeader {
  /** Canonical name (see canonicalHeaderName). */
  readonly name: string;
  readonly value: string;
}

interface SipMessageFields {
  readonly headers: readonly SipHeader[];
  readonly body: Uint8Array;
  /** Via values top first, across repeated Via headers (section 7.3.1). */
  readonly via: readonly Via[];
  readonly from: NameAddr;
  readonly to: NameAddr;
  readonly callId: string;
  readonly cseq: CSeq;
  /** Max-Forwards, when present (section 20.22). */
  readonly maxForwards: number | undefined;
}

export interface SipRequest extends SipMessageFields {
  readonly kind: 'request';
  readonly method: string;
  readonly uri: string;
}

export interface SipResponse extends SipMessageFields {
  readonly kind: 'response';
  readonly status: number;
  readonly reason: string;
}

export type SipMessage = SipRequest | SipResponse;

export type StartLine =
  | { readonly kind: 'request'; readonly method: string; readonly uri: string }
  | { readonly kind: 'response'; readonly status: number; readonly reason: string };

/**
 * Checks and parses the mandatory headers. Throws SipParseError: with status
 * 400 for a request, and none for a response, which section 18.1.2 says to
 * discard silently.
 */
export function createMessage(start: StartLine, rawHeaders: readonly SipHeader[], body: Uint8Array): SipMessage {
  const headers = rawHeaders.map((header) => ({ name: canonicalHeaderName(header.name), value: header.value }));
  const fail = (problem: SipProblem, detail: string): never => {
    throw new SipParseError(problem, detail, start.kind === 'request' ? 400 : undefined, headers);
  };
  const single = (name: string): string => {
    const values = headers.filter((header) => header.name === name);
    if (values.length === 0) fail('missing-header', `missing ${name} header`);
    if (values.length > 1) fail('bad-header', `more than one ${name} header`);
    return values[0]!.value.trim();
  };

  const via = listValues(headers, 'Via').map((value) => parseVia(value) ?? fail('bad-via', `bad Via "${cut(value)}"`));
  if (via.length === 0) fail('missing-header', 'missing Via header');
  const from = parseNameAddr(single('From')) ?? fail('bad-address', 'bad From header');
  const to = parseNameAddr(single('To')) ?? fail('bad-address', 'bad To header');
  const callId = single('Call-ID');
  if (!/^[\x21-\x7e]+$/.test(callId)) fail('bad-call-id', 'bad Call-ID header');
  const cseq = parseCSeq(single('CSeq')) ?? fail('bad-cseq', 'bad CSeq header');
  let maxForwards: number | undefined;
  if (headers.some((header) => header.name === 'Max-Forwards')) {
    const text = single('Max-Forwards');
    if (!/^\d{1,3}$/.test(text) || Number(text) > 255) fail('bad-max-forwards', 'bad Max-Forwards header');
    maxForwards = Number(text);
  }
  const fields = { headers, body, via, from, to, callId, cseq, maxForwards };
  if (start.kind === 'request') {
    // Section 20.16: the CSeq method MUST match the request method.
    if (cseq.method !== start.method) fail('bad-cseq', `CSeq method ${cseq.method} differs from ${start.method}`);
    return { kind: 'request', method: start.method, uri: start.uri, ...fields };
  }
  return { kind: 'response', status: start.status, reason: start.reason, ...fields };
}

/** Every value of a header, repeated headers and comma lists flattened, in order. */
export function headerValues(message: { readonly headers: readonly SipHeader[] }, name: string): string[] {
  return listValues(message.headers, canonicalHeaderName(name));
}

/** The first value of a header, or undefined. */
export function headerValue(message: { readonly headers: readonly SipHeader[] }, name: string): string | undefined {
  return headerValues(message, name)[0];
}

function listValues(headers: readonly SipHeader[], name: string): string[] {
  const values: string[] = [];
  const split = isSplittableHeader(name);
  for (const header of headers) {
    if (header.name !== name) continue;
    const parts = split ? (splitTopLevel(header.value, ',') ?? [header.value]) : [header.value];
    for (const part of parts) if (part.trim() !== '') values.push(part.trim());
  }
  return values;
}

/** Addresses of a Contact, Route or Record-Route list; undefined when one does not parse. */
export function addressList(message: SipMessage, name: string): NameAddr[] | undefined {
  const addresses: NameAddr[] = [];
  for (const value of headerValues(message, name)) {
    const address = parseNameAddr(value);
    if (!address) return undefined;
    addresses.push(address);
  }
  return addresses;
}

function cut(text: string): string {
  return text.length > 60 ? `${text.slice(0, 57)}...` : text;
}

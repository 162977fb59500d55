/**
 * Builds a response to a request as RFC 3261 section 8.2.6.2 says: Via
 * values in order, From, Call-ID and CSeq copied; To copied with the UAS's
 * tag added unless the request already had one (in-dialog) or the response
 * is 100 Trying (section 8.2.6.1 keeps 100 tag-free when the request had none).
 */
import { addressTag, serializeNameAddr } from './name-addr.ts';
import { reasonPhrase } from './reason-phrases.ts';
import type { SipParseError } from './sip-error.ts';
import { createMessage, type SipHeader, type SipRequest, type SipResponse } from './sip-message.ts';

export interface ResponseOptions {
  /** The tag for To when the request had none (section 8.2.6.2); ignored for 100. */
  readonly toTag?: string;
  readonly reason?: string;
  /** Extra headers after the copied ones (Contact, Allow, Content-Type, ...). */
  readonly headers?: readonly SipHeader[];
  readonly body?: Uint8Array;
}

export function buildResponse(request: SipRequest, status: number, options: ResponseOptions = {}): SipResponse {
  const copied: SipHeader[] = request.headers.filter((header) => header.name === 'Via');
  let to = request.to;
  if (addressTag(to) === undefined && status !== 100 && options.toTag) {
    to = { ...to, params: { ...to.params, tag: options.toTag } };
  }
  copied.push(
    { name: 'From', value: serializeNameAddr(request.from) },
    { name: 'To', value: serializeNameAddr(to) },
    { name: 'Call-ID', value: request.callId },
    { name: 'CSeq', value: `${request.cseq.seq} ${request.cseq.method}` },
  );
  // Section 8.2.6.1: a 100 Trying copies Timestamp when the request had one.
  if (status === 100) copied.push(...request.headers.filter((header) => header.name === 'Timestamp'));
  return createMessage(
    { kind: 'response', status, reason: options.reason ?? reasonPhrase(status) },
    [...copied, ...(options.headers ?? [])],
    options.body ?? new Uint8Array(0),
  ) as SipResponse;
}

/**
 * The 400 or 513 for a request that did not parse, from the raw headers it
 * had; undefined when Via, From, To, Call-ID or CSeq themselves are unusable,
 * so no response can reach the sender and the request is dropped.
 */
export function buildErrorResponse(error: SipParseError, toTag?: string): SipResponse | undefined {
  if (error.status === undefined) return undefined;
  const wanted = new Set(['Via', 'From', 'To', 'Call-ID', 'CSeq']);
  const raw = error.headers.filter((header) => wanted.has(header.name));
  try {
    const response = createMessage({ kind: 'response', status: error.status, reason: reasonPhrase(error.status) }, raw, new Uint8Array(0));
    if (!toTag || addressTag(response.to) !== undefined) return response as SipResponse;
    const to = serializeNameAddr({ ...response.to, params: { ...response.to.params, tag: toTag } });
    return createMessage(response, response.headers.map((header) => (header.name === 'To' ? { name: 'To', value: to } : header)), response.body) as SipResponse;
  } catch {
    return undefined;
  }
}

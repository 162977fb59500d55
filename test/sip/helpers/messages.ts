import { parseSipMessage } from '../../../src/sip/message/message-parser.ts';
import type { SipRequest, SipResponse } from '../../../src/sip/message/sip-message.ts';

export const encode = (text: string): Uint8Array => new TextEncoder().encode(text);
export const decode = (bytes: Uint8Array): string => new TextDecoder().decode(bytes);

export const SDP_OFFER = 'v=0\r\no=- 1 1 IN IP4 192.0.2.10\r\ns=-\r\nc=IN IP4 192.0.2.10\r\nt=0 0\r\nm=audio 4000 RTP/AVP 0 101\r\na=rtpmap:101 telephone-event/8000\r\n';

export interface InviteFields {
  readonly method?: string;
  readonly branch?: string;
  readonly via?: string;
  readonly cseq?: number;
  readonly toTag?: string;
  readonly extra?: string;
  readonly body?: string;
}

/** A Linphone-like request, with CRLF line ends and a correct Content-Length. */
export function requestText(fields: InviteFields = {}): string {
  const method = fields.method ?? 'INVITE';
  const body = fields.body ?? (method === 'INVITE' ? SDP_OFFER : '');
  const to = fields.toTag ? `<sip:ivr@192.0.2.1>;tag=${fields.toTag}` : '<sip:ivr@192.0.2.1>';
  return [
    `${method} sip:ivr@192.0.2.1 SIP/2.0`,
    `Via: ${fields.via ?? `SIP/2.0/UDP 192.0.2.10:5062;branch=${fields.branch ?? 'z9hG4bK.abc1'};rport`}`,
    'Max-Forwards: 70',
    'From: "Alice" <sip:alice@example.com>;tag=from1',
    `To: ${to}`,
    'Call-ID: call-1@192.0.2.10',
    `CSeq: ${fields.cseq ?? 20} ${method}`,
    'Contact: <sip:alice@192.0.2.10:5062;transport=udp>',
    ...(fields.extra ? [fields.extra] : []),
    ...(body ? ['Content-Type: application/sdp'] : []),
    `Content-Length: ${encode(body).length}`,
    '',
    body,
  ].join('\r\n');
}

export function request(fields: InviteFields = {}): SipRequest {
  return parseSipMessage(encode(requestText(fields)), { framing: 'datagram' }) as SipRequest;
}

export function responseText(status: number, branch = 'z9hG4bK.bye1', method = 'BYE', cseq = 2): string {
  return [
    `SIP/2.0 ${status} OK`,
    `Via: SIP/2.0/UDP 192.0.2.1:5060;branch=${branch};rport=5060`,
    'From: <sip:ivr@192.0.2.1>;tag=local1',
    'To: "Alice" <sip:alice@example.com>;tag=from1',
    'Call-ID: call-1@192.0.2.10',
    `CSeq: ${cseq} ${method}`,
    'Content-Length: 0',
    '',
    '',
  ].join('\r\n');
}

export function response(status: number, branch?: string, method?: string, cseq?: number): SipResponse {
  return parseSipMessage(encode(responseText(status, branch, method, cseq)), { framing: 'datagram' }) as SipResponse;
}

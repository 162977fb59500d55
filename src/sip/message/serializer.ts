/**
 * Writes a message to bytes (RFC 3261 section 7). Content-Length is always
 * written from the body actually sent, whatever the header list says, so a
 * stream peer can frame it (section 18.3, 20.14).
 */
import type { SipMessage } from './sip-message.ts';

const encoder = new TextEncoder();

export function serializeSipMessage(message: SipMessage): Uint8Array {
  const start =
    message.kind === 'request' ? `${message.method} ${message.uri} SIP/2.0` : `SIP/2.0 ${message.status} ${message.reason}`;
  const lines = [start];
  for (const header of message.headers) {
    if (header.name !== 'Content-Length') lines.push(`${header.name}: ${header.value}`);
  }
  lines.push(`Content-Length: ${message.body.length}`, '', '');
  const head = encoder.encode(lines.join('\r\n'));
  const bytes = new Uint8Array(head.length + message.body.length);
  bytes.set(head);
  bytes.set(message.body, head.length);
  return bytes;
}

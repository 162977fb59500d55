/**
 * Reading back the .eml files the mail folder holds: the few headers
 * `dialin-sim outbox` shows and the text body. Only what MailComposer
 * writes for a text/plain message is understood: folded headers (RFC 5322
 * 2.2.3), encoded words in them (RFC 2047 4, B and Q), and a body in 7bit,
 * 8bit, quoted-printable (RFC 2045 6.7) or base64 (RFC 2045 6.8), UTF-8.
 */
import { USER_HEADER } from './mail-message.ts';
import type { StoredMail } from './stored-mail.ts';

/** The header fields of a message by lower-case name (the first of each), unfolded. */
export function parseHeaders(head: string): Map<string, string> {
  const headers = new Map<string, string>();
  const unfolded = head.replace(/\r?\n(?=[ \t])/g, '');
  for (const line of unfolded.split(/\r?\n/)) {
    const colon = line.indexOf(':');
    if (colon <= 0) continue;
    const name = line.slice(0, colon).trim().toLowerCase();
    if (!headers.has(name)) headers.set(name, line.slice(colon + 1).trim());
  }
  return headers;
}

const utf8 = new TextDecoder('utf-8');

function qpBytes(text: string, underscoreIsSpace: boolean): Uint8Array {
  const bytes: number[] = [];
  for (let i = 0; i < text.length; i++) {
    const char = text[i]!;
    const hex = text.slice(i + 1, i + 3);
    if (char === '=' && /^[0-9A-Fa-f]{2}$/.test(hex)) {
      bytes.push(Number.parseInt(hex, 16));
      i += 2;
    } else if (char === '_' && underscoreIsSpace) bytes.push(0x20);
    else bytes.push(...new TextEncoder().encode(char));
  }
  return Uint8Array.from(bytes);
}

/** A header value with its encoded words decoded; whitespace between two encoded words is dropped (RFC 2047 6.2). */
export function decodeWords(value: string): string {
  return value
    .replace(/(=\?[^?]+\?[BbQq]\?[^?]*\?=)\s+(?==\?)/g, '$1')
    .replace(/=\?([^?*]+)(?:\*[^?]*)?\?([BbQq])\?([^?]*)\?=/g, (word, charset: string, encoding: string, text: string) => {
      if (!/^utf-?8$/i.test(charset) && !/^us-ascii$/i.test(charset)) return word;
      const bytes = encoding.toUpperCase() === 'B' ? Buffer.from(text, 'base64') : qpBytes(text, true);
      return utf8.decode(bytes);
    });
}

/** A body decoded by its Content-Transfer-Encoding; a soft line break (`=` at a line's end) joins lines. */
export function decodeBody(body: string, transferEncoding: string | undefined): string {
  const encoding = (transferEncoding ?? '7bit').toLowerCase();
  if (encoding === 'base64') return utf8.decode(Buffer.from(body.replace(/\s+/g, ''), 'base64'));
  if (encoding === 'quoted-printable') return utf8.decode(qpBytes(body.replace(/=\r?\n/g, ''), false));
  return body;
}

/** One stored message; `id` is its file name. Undefined when the text has no header block. */
export function readEml(id: string, text: string): StoredMail | undefined {
  const split = /\r?\n\r?\n/.exec(text);
  if (!split) return undefined;
  const headers = parseHeaders(text.slice(0, split.index));
  const date = Date.parse(headers.get('date') ?? '');
  const body = decodeBody(text.slice(split.index + split[0].length), headers.get('content-transfer-encoding'));
  return {
    id,
    at: Number.isNaN(date) ? 0 : date,
    userId: headers.get(USER_HEADER.toLowerCase()) ?? null,
    to: decodeWords(headers.get('to') ?? ''),
    subject: decodeWords(headers.get('subject') ?? ''),
    body: body.replace(/\r\n/g, '\n').replace(/\n$/, ''),
  };
}

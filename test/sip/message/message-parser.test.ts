import { describe, expect, it } from 'vitest';
import { seededRandom } from '../../../src/dsp/random.ts';
import { parseSipMessage } from '../../../src/sip/message/message-parser.ts';
import { SipParseError } from '../../../src/sip/message/sip-error.ts';
import { headerValue, headerValues, type SipRequest, type SipResponse } from '../../../src/sip/message/sip-message.ts';
import { decode, encode, requestText, responseText, SDP_OFFER } from '../helpers/messages.ts';

const datagram = (text: string) => parseSipMessage(encode(text), { framing: 'datagram' });

function parseError(text: string | Uint8Array, framing: 'datagram' | 'stream' = 'datagram'): SipParseError {
  try {
    parseSipMessage(typeof text === 'string' ? encode(text) : text, { framing });
  } catch (error) {
    expect(error).toBeInstanceOf(SipParseError);
    return error as SipParseError;
  }
  throw new Error('expected a SipParseError');
}

describe('parseSipMessage', () => {
  it('reads a request with its mandatory headers and body', () => {
    const message = datagram(requestText()) as SipRequest;
    expect(message.kind).toBe('request');
    expect(message.method).toBe('INVITE');
    expect(message.uri).toBe('sip:ivr@192.0.2.1');
    expect(message.callId).toBe('call-1@192.0.2.10');
    expect(message.cseq).toEqual({ seq: 20, method: 'INVITE' });
    expect(message.maxForwards).toBe(70);
    expect(message.from).toEqual({ displayName: 'Alice', uri: 'sip:alice@example.com', params: { tag: 'from1' } });
    expect(message.to.params).toEqual({});
    expect(message.via[0]).toEqual({ transport: 'UDP', host: '192.0.2.10', port: 5062, params: { branch: 'z9hG4bK.abc1', rport: '' } });
    expect(decode(message.body)).toBe(SDP_OFFER);
  });

  it('reads a response status and reason', () => {
    const message = datagram(responseText(486)) as SipResponse;
    expect(message.kind).toBe('response');
    expect(message.status).toBe(486);
    expect(message.reason).toBe('OK');
    expect(message.via[0]!.params['rport']).toBe('5060');
  });

  it('expands compact header names and matches names case-insensitively', () => {
    const text = [
      'OPTIONS sip:ivr@192.0.2.1 SIP/2.0',
      'v: SIP/2.0/TCP 192.0.2.10;branch=z9hG4bK1',
      'f: <sip:a@example.com>;tag=1',
      't: sip:ivr@192.0.2.1',
      'i: abc',
      'CSEQ: 1 OPTIONS',
      'm: <sip:a@192.0.2.10>',
      'k: replaces, 100rel',
      'c: text/plain',
      'e: identity',
      's: hello, world',
      'l: 0',
      '',
      '',
    ].join('\r\n');
    const message = datagram(text);
    expect(message.callId).toBe('abc');
    expect(message.to.uri).toBe('sip:ivr@192.0.2.1');
    expect(headerValue(message, 'contact')).toBe('<sip:a@192.0.2.10>');
    expect(headerValues(message, 'SUPPORTED')).toEqual(['replaces', '100rel']);
    expect(headerValue(message, 'Content-Type')).toBe('text/plain');
    expect(headerValue(message, 'Content-Encoding')).toBe('identity');
    expect(headerValues(message, 'Subject')).toEqual(['hello, world']);
    expect(message.headers.map((header) => header.name)).toContain('CSeq');
  });

  it('joins folded header lines with one space', () => {
    const text = requestText({ method: 'OPTIONS', extra: 'Subject: first\r\n   second\r\n\tthird' });
    expect(headerValue(datagram(text), 'Subject')).toBe('first second third');
  });

  it('flattens repeated headers and comma lists in order, keeping commas in quotes and brackets', () => {
    const text = requestText({
      method: 'OPTIONS',
      via: 'SIP/2.0/UDP 192.0.2.20;branch=z9hG4bKp1, SIP/2.0/UDP 192.0.2.10:5062;branch=z9hG4bK.abc1',
      extra: 'Record-Route: <sip:p1.example.com;lr>, "a, b" <sip:p2.example.com;lr>\r\nRecord-Route: <sip:p3.example.com;lr>',
    });
    const message = datagram(text);
    expect(message.via.map((via) => via.host)).toEqual(['192.0.2.20', '192.0.2.10']);
    expect(headerValues(message, 'Record-Route')).toEqual([
      '<sip:p1.example.com;lr>',
      '"a, b" <sip:p2.example.com;lr>',
      '<sip:p3.example.com;lr>',
    ]);
  });

  it('reads Via received and rport and an IPv6 sent-by', () => {
    const message = datagram(requestText({ method: 'OPTIONS', via: 'SIP/2.0/WSS [2001:db8::1]:443;received=198.51.100.1;rport=61000;branch=z9hG4bKx' }));
    expect(message.via[0]).toEqual({
      transport: 'WSS',
      host: '[2001:db8::1]',
      port: 443,
      params: { received: '198.51.100.1', rport: '61000', branch: 'z9hG4bKx' },
    });
  });

  it('reads an addr-spec whose parameters belong to the header', () => {
    const message = datagram(requestText({ method: 'OPTIONS', extra: 'Reply-To: x' }).replace('To: <sip:ivr@192.0.2.1>', 'To: sip:ivr@192.0.2.1;tag=t9'));
    expect(message.to).toEqual({ displayName: undefined, uri: 'sip:ivr@192.0.2.1', params: { tag: 't9' } });
  });

  it('takes the rest of the datagram as body when Content-Length is absent', () => {
    const text = requestText().replace(/Content-Length: \d+\r\n/, '');
    expect(decode(datagram(text).body)).toBe(SDP_OFFER);
  });

  it('skips CRLFs before the start line and drops a keep-alive of CRLFs alone without an answer', () => {
    expect(datagram(`\r\n\r\n${requestText({ method: 'OPTIONS' })}`).cseq.method).toBe('OPTIONS');
    const error = parseError('\r\n\r\n');
    expect([error.problem, error.status]).toEqual(['empty', undefined]);
  });

  it('drops datagram bytes past Content-Length', () => {
    const text = requestText({ method: 'MESSAGE', body: 'hello' }) + 'junk';
    expect(decode(datagram(text).body)).toBe('hello');
  });

  it('rejects a request whose Content-Length is larger than the datagram with 400', () => {
    const error = parseError(requestText({ method: 'MESSAGE', body: 'hello' }).replace('Content-Length: 5', 'Content-Length: 50'));
    expect([error.code, error.problem, error.status]).toEqual(['E_SIP_MALFORMED', 'body-length-mismatch', 400]);
    expect(error.headers.some((header) => header.name === 'Via')).toBe(true);
  });

  it('requires Content-Length on a stream', () => {
    const error = parseError(requestText().replace(/Content-Length: \d+\r\n/, ''), 'stream');
    expect([error.problem, error.status]).toEqual(['missing-content-length', 400]);
  });

  it.each([
    ['a missing Call-ID', (t: string) => t.replace(/Call-ID: .*\r\n/, ''), 'missing-header'],
    ['a bad CSeq', (t: string) => t.replace('CSeq: 20 INVITE', 'CSeq: x INVITE'), 'bad-cseq'],
    ['a CSeq method that differs', (t: string) => t.replace('CSeq: 20 INVITE', 'CSeq: 20 BYE'), 'bad-cseq'],
    ['a bad Via', (t: string) => t.replace(/Via: .*\r\n/, 'Via: SIP/3.0/UDP host\r\n'), 'bad-via'],
    ['two From headers', (t: string) => t.replace('Max-Forwards: 70', 'Max-Forwards: 70\r\nFrom: <sip:b@x>'), 'bad-header'],
    ['a bad From', (t: string) => t.replace(/From: .*\r\n/, 'From: <sip:a@x\r\n'), 'bad-address'],
    ['a bad Max-Forwards', (t: string) => t.replace('Max-Forwards: 70', 'Max-Forwards: 300'), 'bad-max-forwards'],
    ['a bad Content-Length', (t: string) => t.replace(/Content-Length: \d+/, 'Content-Length: -1'), 'bad-content-length'],
    ['a header line without a colon', (t: string) => t.replace('Max-Forwards: 70', 'Max-Forwards 70'), 'bad-header'],
    ['a continuation with no header before it', (t: string) => t.replace('\r\nVia', '\r\n Via'), 'bad-header'],
    ['a Request-URI without a scheme', (t: string) => t.replace('INVITE sip:ivr@192.0.2.1 SIP/2.0', 'INVITE ivr SIP/2.0'), 'bad-start-line'],
    ['another SIP version', (t: string) => t.replace('INVITE sip:ivr@192.0.2.1 SIP/2.0', 'INVITE sip:ivr@192.0.2.1 SIP/3.0'), 'bad-start-line'],
  ])('answers a request with %s with 400', (_label, edit, problem) => {
    const error = parseError(edit(requestText()));
    expect([error.code, error.problem, error.status]).toEqual(['E_SIP_MALFORMED', problem, 400]);
  });

  it('drops a malformed response instead of answering it', () => {
    const error = parseError(responseText(200).replace(/Call-ID: .*\r\n/, ''));
    expect([error.problem, error.status]).toEqual(['missing-header', undefined]);
    expect(parseError('SIP/2.0 99 Odd\r\n\r\n').status).toBeUndefined();
  });

  it('answers an oversized request with 513', () => {
    const error = parseError(requestText({ method: 'MESSAGE', body: 'x'.repeat(70_000) }));
    expect([error.code, error.problem, error.status]).toEqual(['E_SIP_TOO_LARGE', 'too-large', 513]);
  });

  it('limits the header count and header line length', () => {
    const limits = { maxMessageBytes: 65_507, maxHeaders: 12, maxHeaderLineBytes: 200 };
    const many = requestText({ extra: Array.from({ length: 10 }, (_, i) => `X-H${i}: ${i}`).join('\r\n') });
    expect(() => parseSipMessage(encode(many), { framing: 'datagram', limits })).toThrow(expect.objectContaining({ problem: 'too-many-headers', status: 400 }));
    const long = requestText({ extra: `X-Long: ${'a'.repeat(100)}\r\n ${'b'.repeat(150)}` });
    expect(() => parseSipMessage(encode(long), { framing: 'datagram', limits })).toThrow(expect.objectContaining({ problem: 'header-line-too-long' }));
  });

  it('rejects headers that are not UTF-8', () => {
    const bytes = encode(requestText({ method: 'OPTIONS' }));
    bytes[bytes.indexOf(0x41)] = 0xff; // the A of "Alice"
    expect(parseError(bytes).problem).toBe('bad-encoding');
  });

  it('throws only SipParseError on random bytes and on damaged messages', () => {
    const random = seededRandom(3261);
    const base = encode(requestText());
    for (let round = 0; round < 3000; round++) {
      let bytes: Uint8Array;
      if (round % 2 === 0) {
        bytes = new Uint8Array(Math.floor(random() * 300));
        for (let i = 0; i < bytes.length; i++) bytes[i] = Math.floor(random() * 256);
      } else {
        bytes = base.slice(0, Math.floor(random() * (base.length + 1)));
        for (let flips = 0; flips < 4; flips++) bytes[Math.floor(random() * bytes.length)] = Math.floor(random() * 128);
      }
      try {
        const message = parseSipMessage(bytes, { framing: round % 3 === 0 ? 'stream' : 'datagram' });
        expect(message.via.length).toBeGreaterThan(0);
      } catch (error) {
        expect(error).toBeInstanceOf(SipParseError);
      }
    }
  });
});

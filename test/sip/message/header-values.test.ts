import { describe, expect, it } from 'vitest';
import { parseCSeq } from '../../../src/sip/message/cseq.ts';
import { canonicalHeaderName } from '../../../src/sip/message/header-names.ts';
import { splitTopLevel } from '../../../src/sip/message/header-syntax.ts';
import { parseNameAddr, serializeNameAddr } from '../../../src/sip/message/name-addr.ts';
import { isLooseRoute, parseSipUri } from '../../../src/sip/message/sip-uri.ts';
import { parseVia, serializeVia } from '../../../src/sip/message/via.ts';

describe('header values', () => {
  it('expands every RFC 3261 compact form', () => {
    expect(['i', 'm', 'e', 'l', 'c', 'f', 's', 'k', 't', 'v'].map(canonicalHeaderName)).toEqual([
      'Call-ID', 'Contact', 'Content-Encoding', 'Content-Length', 'Content-Type', 'From', 'Subject', 'Supported', 'To', 'Via',
    ]);
    expect(canonicalHeaderName('cAlL-iD')).toBe('Call-ID');
    expect(canonicalHeaderName('X-Custom')).toBe('X-Custom');
  });

  it('splits at commas outside quotes and angle brackets, and refuses an open quote', () => {
    expect(splitTopLevel('"a,\\"b" <sip:x;p=1,2>, c', ',')).toEqual(['"a,\\"b" <sip:x;p=1,2>', ' c']);
    expect(splitTopLevel('"open, x', ',')).toBeUndefined();
  });

  it('reads display names, URIs and header parameters', () => {
    expect(parseNameAddr('"Bob \\"B\\"" <sip:bob@example.com;transport=tcp>;tag=88;expires=60')).toEqual({
      displayName: 'Bob "B"',
      uri: 'sip:bob@example.com;transport=tcp',
      params: { tag: '88', expires: '60' },
    });
    expect(parseNameAddr('Bob Smith <sip:bob@example.com>')?.displayName).toBe('Bob Smith');
    expect(parseNameAddr('*')?.uri).toBe('*');
    for (const bad of ['<sip:bob@example.com', 'bob', '<sip:a@b> junk', '"x <sip:a@b>']) expect(parseNameAddr(bad)).toBeUndefined();
  });

  it('writes a name-addr the parser reads back', () => {
    const address = { displayName: 'A "q"', uri: 'sip:a@b', params: { tag: 't' } };
    expect(parseNameAddr(serializeNameAddr(address))).toEqual(address);
  });

  it('reads and writes Via values, refusing bad ports and protocols', () => {
    const via = parseVia('SIP / 2.0 / tcp host.example.com:5070 ;branch=z9hG4bK9;rport');
    expect(via).toEqual({ transport: 'TCP', host: 'host.example.com', port: 5070, params: { branch: 'z9hG4bK9', rport: '' } });
    expect(serializeVia(via!)).toBe('SIP/2.0/TCP host.example.com:5070;branch=z9hG4bK9;rport');
    for (const bad of ['SIP/2.0/UDP host:0', 'SIP/2.0/UDP host:70000', 'HTTP/1.1/TCP host', 'SIP/2.0/UDP', 'SIP/2.0/UDP a;b@d=1']) expect(parseVia(bad)).toBeUndefined();
  });

  it('reads CSeq within 32 bits', () => {
    expect(parseCSeq('4294967295 INVITE')).toEqual({ seq: 4294967295, method: 'INVITE' });
    expect(parseCSeq('4294967296 INVITE')).toBeUndefined();
    expect(parseCSeq('1')).toBeUndefined();
  });

  it('reads SIP URIs and the lr parameter', () => {
    expect(parseSipUri('sips:alice@[2001:db8::1]:5061;transport=tls?subject=x')).toEqual({
      scheme: 'sips', user: 'alice', host: '[2001:db8::1]', port: 5061, params: { transport: 'tls' },
    });
    expect(parseSipUri('tel:+15551234')).toBeUndefined();
    expect(isLooseRoute('sip:proxy.example.com;lr')).toBe(true);
    expect(isLooseRoute('sip:proxy.example.com')).toBe(false);
  });
});

import { describe, expect, it } from 'vitest';
import { parseSipMessage } from '../../../src/sip/message/message-parser.ts';
import { buildErrorResponse, buildResponse } from '../../../src/sip/message/response-builder.ts';
import { SipParseError } from '../../../src/sip/message/sip-error.ts';
import { headerValue, headerValues } from '../../../src/sip/message/sip-message.ts';
import { serializeSipMessage } from '../../../src/sip/message/serializer.ts';
import { decode, encode, request, requestText } from '../helpers/messages.ts';

describe('buildResponse', () => {
  const invite = request({ via: 'SIP/2.0/UDP 192.0.2.20;branch=z9hG4bKp1, SIP/2.0/UDP 192.0.2.10:5062;branch=z9hG4bK.abc1' });

  it('copies Via in order, From, To with the new tag, Call-ID and CSeq', () => {
    const ok = buildResponse(invite, 200, { toTag: 'uas1', headers: [{ name: 'Contact', value: '<sip:ivr@192.0.2.1>' }] });
    expect(ok.via.map((via) => via.host)).toEqual(['192.0.2.20', '192.0.2.10']);
    expect(ok.from).toEqual(invite.from);
    expect(ok.to).toEqual({ ...invite.to, params: { tag: 'uas1' } });
    expect([ok.callId, ok.cseq, ok.reason]).toEqual([invite.callId, invite.cseq, 'OK']);
    expect(headerValue(ok, 'Contact')).toBe('<sip:ivr@192.0.2.1>');
  });

  it('keeps an existing To tag and leaves 100 Trying without one', () => {
    expect(buildResponse(request({ method: 'BYE', toTag: 'mine' }), 200, { toTag: 'other' }).to.params['tag']).toBe('mine');
    expect(buildResponse(invite, 100, { toTag: 'uas1' }).to.params['tag']).toBeUndefined();
  });

  it('serializes to bytes the parser reads back, with Content-Length from the body', () => {
    const ok = buildResponse(invite, 200, { toTag: 'uas1', body: encode('v=0\r\n'), headers: [{ name: 'Content-Length', value: '99' }] });
    const bytes = serializeSipMessage(ok);
    const text = decode(bytes);
    expect(text.startsWith('SIP/2.0 200 OK\r\nVia: SIP/2.0/UDP 192.0.2.20;branch=z9hG4bKp1, SIP/2.0/UDP')).toBe(true);
    expect(text).toContain('\r\nContent-Length: 5\r\n\r\nv=0\r\n');
    const back = parseSipMessage(bytes, { framing: 'stream' });
    expect(headerValues(back, 'Content-Length')).toEqual(['5']);
    expect(back.to).toEqual(ok.to);
  });
});

describe('buildErrorResponse', () => {
  const failure = (text: string): SipParseError => {
    try {
      parseSipMessage(encode(text), { framing: 'datagram' });
    } catch (error) {
      return error as SipParseError;
    }
    throw new Error('expected a failure');
  };

  it('answers a request with a bad Max-Forwards with 400, copying its headers', () => {
    const answer = buildErrorResponse(failure(requestText().replace('Max-Forwards: 70', 'Max-Forwards: x')), 'uas9');
    expect([answer?.status, answer?.reason, answer?.callId, answer?.to.params['tag']]).toEqual([400, 'Bad Request', 'call-1@192.0.2.10', 'uas9']);
  });

  it('gives nothing when the headers a response needs are themselves broken', () => {
    expect(buildErrorResponse(failure(requestText().replace(/Call-ID: .*\r\n/, '')))).toBeUndefined();
  });
});

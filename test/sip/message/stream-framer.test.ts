import { describe, expect, it } from 'vitest';
import { seededRandom } from '../../../src/dsp/random.ts';
import { SipParseError } from '../../../src/sip/message/sip-error.ts';
import { SipStreamFramer, type FramerOutput } from '../../../src/sip/message/stream-framer.ts';
import type { SipRequest } from '../../../src/sip/message/sip-message.ts';
import { decode, encode, requestText, responseText, SDP_OFFER } from '../helpers/messages.ts';

const STREAM = encode(
  [
    '\r\n\r\n', // a keep-alive ping before the first message (RFC 5626 section 4.4.1)
    requestText(),
    requestText({ method: 'MESSAGE', body: 'line one\r\n\r\nline two', cseq: 21 }),
    '\r\n\r\n',
    responseText(200),
    requestText({ method: 'BYE', cseq: 22 }),
  ].join(''),
);

function feed(framer: SipStreamFramer, bytes: Uint8Array, sizes: () => number): FramerOutput[] {
  const out: FramerOutput[] = [];
  for (let offset = 0; offset < bytes.length; ) {
    const size = Math.min(sizes(), bytes.length - offset);
    out.push(...framer.push(bytes.subarray(offset, offset + size)));
    offset += size;
  }
  return out;
}

function summary(outputs: FramerOutput[]): string[] {
  return outputs.map((output) =>
    output.type === 'message'
      ? `${output.message.kind === 'request' ? output.message.method : output.message.status}:${decode(output.message.body).length}`
      : output.type === 'ping'
        ? 'ping'
        : `error:${output.error.problem}:${output.fatal}`,
  );
}

const EXPECTED = ['ping', `INVITE:${SDP_OFFER.length}`, 'MESSAGE:20', 'ping', '200:0', 'BYE:0'];

describe('SipStreamFramer', () => {
  it('cuts a whole stream into messages at Content-Length and reports each keep-alive ping', () => {
    const outputs = new SipStreamFramer().push(STREAM);
    expect(summary(outputs)).toEqual(EXPECTED);
    expect(decode((outputs[2] as { message: SipRequest }).message.body)).toBe('line one\r\n\r\nline two');
  });

  it('gives the same messages byte by byte', () => {
    expect(summary(feed(new SipStreamFramer(), STREAM, () => 1))).toEqual(EXPECTED);
  });

  it('gives the same messages for random splits, empty chunks included', () => {
    const random = seededRandom(1838);
    for (let round = 0; round < 50; round++) {
      expect(summary(feed(new SipStreamFramer(), STREAM, () => Math.floor(random() * 40)))).toEqual(EXPECTED);
    }
  });

  it('reports a ping only for a full CRLF CRLF, not for a lone CRLF before a message', () => {
    const outputs = new SipStreamFramer().push(encode(`\r\n${requestText({ method: 'OPTIONS' })}\r\n\r\n\r\n\r\n`));
    expect(summary(outputs)).toEqual(['OPTIONS:0', 'ping', 'ping']);
  });

  it('reports a message that frames but does not parse and goes on', () => {
    const bad = requestText({ method: 'OPTIONS' }).replace('CSeq: 20 OPTIONS', 'CSeq: 20 BYE');
    const outputs = new SipStreamFramer().push(encode(bad + requestText({ method: 'OPTIONS', cseq: 21 })));
    expect(summary(outputs)).toEqual(['error:bad-cseq:false', 'OPTIONS:0']);
  });

  it('fails the stream once when Content-Length is missing, and ignores what follows', () => {
    const framer = new SipStreamFramer();
    const outputs = framer.push(encode(requestText({ method: 'OPTIONS' }).replace('Content-Length: 0\r\n', '')));
    expect(summary(outputs)).toEqual(['error:missing-content-length:true']);
    expect(outputs[0]!.type === 'error' && outputs[0]!.error.status).toBe(400);
    expect(framer.closed).toBe(true);
    expect(framer.push(encode(requestText()))).toEqual([]);
  });

  it('fails the stream with a 513 signal when a message would exceed the size limit', () => {
    const limits = { maxMessageBytes: 1000, maxHeaders: 100, maxHeaderLineBytes: 1000 };
    const outputs = new SipStreamFramer(limits).push(encode(requestText({ method: 'MESSAGE', body: 'x'.repeat(2000) }).slice(0, 600)));
    expect(summary(outputs)).toEqual(['error:too-large:true']);
    expect(outputs[0]!.type === 'error' && outputs[0]!.error.status).toBe(513);
  });

  it('fails the stream when a header section never ends within the size limit', () => {
    const limits = { maxMessageBytes: 1000, maxHeaders: 100, maxHeaderLineBytes: 5000 };
    const framer = new SipStreamFramer(limits);
    const outputs = feed(framer, encode(`OPTIONS sip:a@b SIP/2.0\r\nX: ${'y'.repeat(1200)}`), () => 100);
    expect(summary(outputs)).toEqual(['error:too-large:true']);
  });

  it('reports only SipParseError outputs on random bytes and damaged streams, never throwing', () => {
    const random = seededRandom(5626);
    for (let round = 0; round < 300; round++) {
      const bytes = STREAM.slice();
      for (let flips = 0; flips < 1 + (round % 8); flips++) bytes[Math.floor(random() * bytes.length)] = Math.floor(random() * 256);
      const noise = new Uint8Array(Math.floor(random() * 200)).map(() => Math.floor(random() * 256));
      const framer = new SipStreamFramer();
      const outputs = feed(framer, round % 2 === 0 ? bytes : noise, () => 1 + Math.floor(random() * 64));
      for (const output of outputs) if (output.type === 'error') expect(output.error).toBeInstanceOf(SipParseError);
      expect(outputs.filter((output) => output.type === 'error' && output.fatal).length).toBeLessThanOrEqual(1);
    }
  });

  it('fails the stream on a start line that is not SIP', () => {
    expect(summary(new SipStreamFramer().push(encode('GET / HTTP/1.1\r\nHost: x\r\n\r\n')))).toEqual(['error:bad-start-line:true']);
  });
});

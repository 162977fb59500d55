/**
 * The SIP edge against a bare UDP phone and raw TCP: what SIPp scenarios do
 * not reach (INFO DTMF, hold, the IVR's own BYE, out-of-dialog requests,
 * responses routed by rport, TCP framing limits) and the service's options.
 */
import { connect } from 'node:net';
import { synthesizeDtmf } from '../../../src/dsp/dtmf-generator.ts';
import { encodeMulaw } from '../../../src/dsp/g711.ts';
import { buildRtpPacket } from '../../../src/rtp/rtp-packet.ts';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { headerValue, headerValues } from '../../../src/sip/message/sip-message.ts';
import { SipServiceOptionsError } from '../../../src/server/sip/sip-service-options.ts';
import { startSipService } from '../../../src/server/sip/sip-service.ts';
import type { CallEvent } from '../../../src/session/call-events.ts';
import { RawSipPhone } from './raw-sip-phone.ts';
import { startSipTestService, TEST_PIN, type SipTestService } from './sip-test-service.ts';
import { until } from './sipp.ts';

const heardKeys = (events: readonly CallEvent[] = []) => events.flatMap((e) => (e.event === 'digit-heard' ? [e.digit] : [])).join('');

describe('SIP service', () => {
  let service: SipTestService;
  const phones: RawSipPhone[] = [];
  const phone = async () => {
    const opened = await RawSipPhone.open(service.udpPort);
    phones.push(opened);
    return opened;
  };
  /** The session id of the call whose answered note names this phone's Call-ID. */
  const sessionOf = (p: RawSipPhone) => {
    const line = service.lines.find((l) => l.includes(`Call-ID ${p.callId} answered`));
    return line?.split(' ')[1];
  };

  beforeAll(async () => {
    service = await startSipTestService({ ringMs: 0, playbackSpeed: 8, maxMessageBytes: 2048 });
  });
  afterAll(async () => {
    for (const p of phones) p.close();
    await service.close();
  });

  it('answers OPTIONS and REGISTER with 200 outside any call, and BYE for no call with 481', async () => {
    const p = await phone();
    p.request('OPTIONS', { toTag: false });
    const options = await p.response((r) => r.cseq.method === 'OPTIONS');
    expect(options.status).toBe(200);
    expect(headerValues(options, 'Allow')).toEqual(expect.arrayContaining(['INVITE', 'BYE', 'INFO', 'UPDATE', 'REGISTER']));
    p.request('REGISTER', { toTag: false });
    const register = await p.response((r) => r.cseq.method === 'REGISTER');
    expect(register.status).toBe(200);
    expect(headerValue(register, 'Contact')).toBe(`<sip:phone@127.0.0.1:${p.port}>`);
    p.request('BYE', { toTag: false });
    expect((await p.response((r) => r.cseq.method === 'BYE')).status).toBe(481);
    expect(service.stats().calls).toBe(0);
  });

  it('sends the response to the source port named by rport, with received and rport filled in', async () => {
    const p = await phone();
    p.request('OPTIONS', { toTag: false });
    const response = await p.response((r) => r.cseq.method === 'OPTIONS');
    expect(response.via[0]!.params).toMatchObject({ rport: String(p.port), received: '127.0.0.1' });
  });

  it('rings, answers with PCMU and telephone-event, and sends the prompts back as 20 ms PCMU RTP', async () => {
    const p = await phone();
    const ok = await p.call();
    expect(p.messages.filter((m) => m.kind === 'response').map((m) => (m.kind === 'response' ? m.status : 0))).toEqual(
      expect.arrayContaining([100, 180, 200]),
    );
    const answer = new TextDecoder().decode(ok.body);
    expect(answer).toMatch(/m=audio \d*[02468] RTP\/AVP 0 101/);
    expect(answer).toContain('a=ptime:20');
    await until(() => p.rtp.length >= 10, 5000, 'RTP from the IVR');
    expect(p.rtp.every((packet) => packet.payloadType === 0 && packet.payload.length === 160)).toBe(true);
    expect(p.rtp.some((packet) => packet.payload.some((code) => code !== 0xff && code !== 0x7f))).toBe(true);
    p.request('BYE');
    expect((await p.response((r) => r.cseq.method === 'BYE')).status).toBe(200);
  });

  it('takes digits from INFO bodies in application/dtmf-relay and application/dtmf, and never logs them', async () => {
    const p = await phone();
    await p.call();
    const keys = `123456#*${TEST_PIN}#`;
    for (const [index, key] of [...keys].entries()) {
      if (index % 2 === 0) p.request('INFO', { type: 'application/dtmf-relay', body: `Signal=${key}\r\nDuration=100\r\n` });
      else p.request('INFO', { type: 'application/dtmf', body: key });
      await new Promise((resolve) => setTimeout(resolve, 30));
    }
    await until(() => service.events.get(sessionOf(p) ?? '')?.some((e) => e.event === 'meeting-started') ?? false, 10_000, 'the meeting');
    const events = service.events.get(sessionOf(p)!)!;
    expect(heardKeys(events)).toBe(keys);
    expect(p.messages.filter((m) => m.kind === 'response' && m.cseq.method === 'INFO').every((m) => m.kind === 'response' && m.status === 200)).toBe(true);
    expect(service.lines.join('\n')).not.toContain(TEST_PIN);
    expect(service.lines.join('\n')).not.toContain('Signal=');
    p.request('BYE');
    await p.response((r) => r.cseq.method === 'BYE');
  });

  it('hears in-band keys in RTP that arrives reordered and changes SSRC, and drops a flood without ending the call', async () => {
    const p = await phone();
    await p.call();
    await until(() => sessionOf(p) !== undefined, 5000, 'the session');
    const send = (ssrc: number, seq: number, payload: Uint8Array) =>
      new Promise((resolve) => p.media.send(buildRtpPacket({ payloadType: 0, sequenceNumber: seq, timestamp: seq * 160, ssrc, payload }), service.rtpPortOf(p.callId), '127.0.0.1', resolve));
    const frames = (keys: string) => {
      const codes = encodeMulaw(synthesizeDtmf(keys, { sampleRate: 8000, onMs: 100, offMs: 100 }));
      const out: Uint8Array[] = [];
      for (let at = 0; at + 160 <= codes.length; at += 160) out.push(codes.subarray(at, at + 160));
      return out;
    };
    // First stream: every pair of packets swapped.
    const first = frames('12');
    for (let i = 0; i < first.length; i += 2) {
      if (i + 1 < first.length) await send(1, 100 + i + 1, first[i + 1]!);
      await send(1, 100 + i, first[i]!);
      await new Promise((resolve) => setTimeout(resolve, 10));
    }
    // Second stream: a new SSRC and sequence space, as after a re-INVITE or a media relay switch.
    for (const [i, frame] of frames('3').entries()) {
      await send(2, 40_000 + i, frame);
      await new Promise((resolve) => setTimeout(resolve, 10));
    }
    await until(() => heardKeys(service.events.get(sessionOf(p)!)) === '123', 5000, 'the keys 1 2 3');
    // A flood: far more packets in a second than any caller sends.
    const silence = new Uint8Array(160).fill(0xff);
    await Promise.all(Array.from({ length: 400 }, (_, i) => send(2, 41_000 + i, silence)));
    // Let the socket drain before the BYE closes it.
    await new Promise((resolve) => setTimeout(resolve, 300));
    p.request('BYE');
    expect((await p.response((r) => r.cseq.method === 'BYE')).status).toBe(200);
    await until(() => service.lines.some((l) => l.includes(`${sessionOf(p)} rtp accepted=`)), 5000, 'the rtp note');
    const note = service.lines.find((l) => l.includes(`${sessionOf(p)} rtp accepted=`))!;
    expect(Number(/flood=(\d+)/.exec(note)![1])).toBeGreaterThan(0);
    expect(Number(/foreign=(\d+)/.exec(note)![1])).toBe(0);
  });

  it('puts the call on hold with a sendonly re-INVITE: no RTP goes out, the prompt waits and the call keeps its state; UPDATE resumes it', async () => {
    const p = await phone();
    await p.call();
    const callId = await until(() => sessionOf(p) !== undefined, 5000, 'the session').then(() => sessionOf(p)!);
    await until(() => p.rtp.length > 5, 5000, 'RTP');
    const stateBefore = service.events.get(callId)!.filter((e) => e.event === 'state-entered').at(-1);
    p.request('INVITE', { body: p.sdp('sendonly', 2) });
    const ok = await p.response((r) => r.cseq.method === 'INVITE' && r.cseq.seq > 1 && r.status === 200);
    p.request('ACK', { cseq: ok.cseq.seq });
    expect(new TextDecoder().decode(ok.body)).toContain('a=recvonly');
    await new Promise((resolve) => setTimeout(resolve, 100));
    const sentBefore = p.rtp.length;
    await new Promise((resolve) => setTimeout(resolve, 300));
    expect(p.rtp.length).toBe(sentBefore);
    expect(service.events.get(callId)!.filter((e) => e.event === 'state-entered').at(-1)).toEqual(stateBefore);
    p.request('UPDATE', { body: p.sdp('sendrecv', 3) });
    expect((await p.response((r) => r.cseq.method === 'UPDATE')).status).toBe(200);
    await until(() => p.rtp.length > sentBefore + 5, 5000, 'RTP after resume');
    p.request('BYE');
    await p.response((r) => r.cseq.method === 'BYE');
  });

  it('hangs up with its own BYE when the flow ends the call (three wrong PINs)', async () => {
    const p = await phone();
    await p.call();
    const key = async (keys: string) => {
      for (const k of keys) {
        p.request('INFO', { type: 'application/dtmf-relay', body: `Signal=${k}\r\nDuration=100\r\n` });
        await new Promise((resolve) => setTimeout(resolve, 30));
      }
    };
    const states = () => (service.events.get(sessionOf(p) ?? '') ?? []).filter((e) => e.event === 'state-entered').length;
    await key('123456#*');
    for (let attempt = 0; attempt < 3; attempt++) {
      const seen = states();
      await key('13579#');
      await until(() => states() > seen, 5000, 'the PIN to be checked');
      await new Promise((resolve) => setTimeout(resolve, 200));
    }
    const bye = await p.requestFromIvr('BYE', 15_000);
    expect(bye.callId).toBe(p.callId);
    const events = service.events.get(sessionOf(p)!)!;
    expect(events.at(-1)).toMatchObject({ event: 'hung-up' });
    await until(() => service.lines.some((l) => l.includes(`${sessionOf(p)} sip call ended local-bye`)), 5000, 'the call to end');
  }, 40_000);

  it('answers a stream with a body over the size limit with 513 on the same TCP connection, then closes it', async () => {
    const socket = connect(service.tcpPort, '127.0.0.1');
    let received = '';
    socket.on('data', (chunk) => (received += chunk));
    const closed = new Promise((resolve) => socket.on('close', resolve));
    const body = 'x'.repeat(3000);
    socket.write(
      [
        'OPTIONS sip:ivr@127.0.0.1 SIP/2.0',
        `Via: SIP/2.0/TCP 127.0.0.1:${socket.localPort ?? 9};branch=z9hG4bK-big`,
        'From: <sip:phone@127.0.0.1>;tag=t1',
        'To: <sip:ivr@127.0.0.1>',
        'Call-ID: big@127.0.0.1',
        'CSeq: 1 OPTIONS',
        `Content-Length: ${body.length}`,
        '',
        body,
      ].join('\r\n'),
    );
    await closed;
    expect(received).toMatch(/^SIP\/2\.0 513 /);
  });

  it('answers a CRLF CRLF keep-alive on TCP with CRLF (RFC 5626 section 4.4.1)', async () => {
    const socket = connect(service.tcpPort, '127.0.0.1');
    let received = '';
    socket.on('data', (chunk) => (received += chunk));
    await new Promise((resolve) => socket.on('connect', resolve));
    socket.write('\r\n\r\n');
    await until(() => received === '\r\n', 5000, 'the pong');
    socket.destroy();
  });

  it('refuses options out of range with a one-line error naming the option', async () => {
    const deps = { createSession: () => { throw new Error('unused'); }, log: { event() {}, note() {}, server() {} } };
    await expect(startSipService({ maxCalls: 0 }, deps)).rejects.toThrow(SipServiceOptionsError);
    await expect(startSipService({ port: 70000 }, deps)).rejects.toMatchObject({ code: 'E_SIP_OPTIONS', message: expect.stringContaining('port') });
    await expect(startSipService({ shutdownGraceMs: 5000 }, deps)).rejects.toMatchObject({ code: 'E_SIP_OPTIONS' });
  });
});

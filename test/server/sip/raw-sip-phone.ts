/**
 * A bare SIP phone over UDP for the service tests that SIPp scenarios do
 * not cover: it writes requests as text, records every message and RTP
 * packet it gets back, and answers the IVR's BYE.
 */
import { createSocket, type Socket } from 'node:dgram';
import { parseSipMessage } from '../../../src/sip/message/message-parser.ts';
import { type SipMessage, type SipRequest, type SipResponse } from '../../../src/sip/message/sip-message.ts';
import { addressTag } from '../../../src/sip/message/name-addr.ts';
import { parseRtpPacket, type RtpPacket } from '../../../src/rtp/rtp-packet.ts';
import { until } from './sipp.ts';

const encoder = new TextEncoder();

export class RawSipPhone {
  readonly messages: SipMessage[] = [];
  readonly rtp: RtpPacket[] = [];
  readonly callId = `raw-${Math.random().toString(36).slice(2)}@127.0.0.1`;
  private cseq = 1;
  private branchCounter = 0;
  private remoteTag: string | undefined;

  private constructor(
    private readonly sip: Socket,
    readonly media: Socket,
    private readonly servicePort: number,
  ) {
    sip.on('message', (bytes) => {
      const message = parseSipMessage(bytes, { framing: 'datagram' });
      this.messages.push(message);
      // Answer the IVR's BYE as any phone would.
      if (message.kind === 'request' && message.method === 'BYE') this.reply(message, 200);
    });
    media.on('message', (bytes) => this.rtp.push(parseRtpPacket(bytes)));
  }

  static async open(servicePort: number, host = '127.0.0.1'): Promise<RawSipPhone> {
    const bind = async () => {
      const socket = createSocket('udp4');
      await new Promise<void>((resolve) => socket.bind(0, host, resolve));
      return socket;
    };
    return new RawSipPhone(await bind(), await bind(), servicePort);
  }

  get port(): number {
    return this.sip.address().port;
  }

  send(text: string): void {
    this.sip.send(encoder.encode(text), this.servicePort, '127.0.0.1');
  }

  /** A request of this phone's call; in-dialog once the IVR's tag is known. */
  request(method: string, options: { body?: string; type?: string; cseq?: number; toTag?: boolean; branch?: string } = {}): string {
    const body = options.body ?? '';
    const cseq = options.cseq ?? this.cseq++;
    const to = options.toTag === false || !this.remoteTag ? '<sip:ivr@127.0.0.1>' : `<sip:ivr@127.0.0.1>;tag=${this.remoteTag}`;
    const text = [
      `${method} sip:ivr@127.0.0.1:${this.servicePort} SIP/2.0`,
      `Via: SIP/2.0/UDP 127.0.0.1:${this.port};branch=${options.branch ?? `z9hG4bK-raw${++this.branchCounter}`};rport`,
      'Max-Forwards: 70',
      `From: <sip:phone@127.0.0.1>;tag=phone1`,
      `To: ${to}`,
      `Call-ID: ${this.callId}`,
      `CSeq: ${cseq} ${method}`,
      `Contact: <sip:phone@127.0.0.1:${this.port}>`,
      ...(body ? [`Content-Type: ${options.type ?? 'application/sdp'}`] : []),
      `Content-Length: ${encoder.encode(body).length}`,
      '',
      body,
    ].join('\r\n');
    this.send(text);
    return text;
  }

  sdp(direction = 'sendrecv', version = 1): string {
    return [
      'v=0',
      `o=phone 1 ${version} IN IP4 127.0.0.1`,
      's=-',
      'c=IN IP4 127.0.0.1',
      't=0 0',
      `m=audio ${this.media.address().port} RTP/AVP 0 101`,
      'a=rtpmap:0 PCMU/8000',
      'a=rtpmap:101 telephone-event/8000',
      `a=${direction}`,
      '',
    ].join('\r\n');
  }

  /** INVITE, wait for the 200, ACK it. */
  async call(): Promise<SipResponse> {
    this.request('INVITE', { body: this.sdp() });
    const ok = await this.response((r) => r.cseq.method === 'INVITE' && r.status === 200);
    this.remoteTag = addressTag(ok.to);
    this.request('ACK', { cseq: ok.cseq.seq });
    return ok;
  }

  async response(match: (response: SipResponse) => boolean, timeoutMs = 10_000): Promise<SipResponse> {
    let found: SipResponse | undefined;
    await until(() => (found = this.messages.find((m): m is SipResponse => m.kind === 'response' && match(m))) !== undefined, timeoutMs, 'a response');
    return found!;
  }

  async requestFromIvr(method: string, timeoutMs = 10_000): Promise<SipRequest> {
    let found: SipRequest | undefined;
    await until(() => (found = this.messages.find((m): m is SipRequest => m.kind === 'request' && m.method === method)) !== undefined, timeoutMs, `a ${method}`);
    return found!;
  }

  private reply(request: SipRequest, status: number): void {
    const lines = request.headers.filter((h) => ['Via', 'From', 'To', 'Call-ID', 'CSeq'].includes(h.name)).map((h) => `${h.name}: ${h.value}`);
    this.send([`SIP/2.0 ${status} OK`, ...lines, 'Content-Length: 0', '', ''].join('\r\n'));
  }

  close(): void {
    this.sip.close();
    this.media.close();
  }
}


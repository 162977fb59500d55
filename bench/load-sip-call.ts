/**
 * A load caller over SIP (UDP) with RTP media, as a plain SIP phone:
 *
 *   INVITE + SDP offer (PCMU 0, telephone-event 101) ─► 100 / 180 ─► 200 + answer ─► ACK
 *   20 ms PCMU RTP both ways (keys in-band, µ-law coded like the voice)
 *   hang-up: BYE ─► 200; the IVR's own BYE is answered with 200
 *
 * INVITE and BYE are sent again on RFC 3261 timers A and E until answered
 * (section 17.1), and counted. SIP carries no call events, so the server's
 * process reports this call's (by its Call-ID, from the call log) through
 * the bench; a digit's time is the moment the server logged digit-heard,
 * which has no return trip in it (a WebSocket call's has).
 */
import { randomBytes, randomInt } from 'node:crypto';
import { createSocket, type Socket } from 'node:dgram';
import { decodeMulaw, encodeMulaw } from '../src/dsp/g711.ts';
import { buildRtpPacket } from '../src/rtp/rtp-packet.ts';
import { parseSdp } from '../src/sdp/sdp-parser.ts';
import { headerValue, type SipMessage, type SipRequest, type SipResponse } from '../src/sip/message/sip-message.ts';
import { addressTag } from '../src/sip/message/name-addr.ts';
import { DEFAULT_TIMERS } from '../src/sip/sip-constants.ts';
import { LoadCall, type LoadEvent } from './load-call.ts';
import type { SipPhoneSocket } from './load-sip-phones.ts';

/** A call event the server's process reported for a SIP call. */
export interface SipCallEvent extends LoadEvent {
  /** The SIP Call-ID of the call. */
  callId: string;
  /** performance.timeOrigin + performance.now() in the server's process when it was logged, ms. */
  at: number;
}

const SAMPLE_RATE = 8000;
/** RFC 3551 section 6: static payload type 0 is PCMU. */
const PCMU = 0;
/** A dynamic payload type for RFC 4733 telephone-event, as most phones offer it. */
const TELEPHONE_EVENT = 101;
const { T1, T2 } = DEFAULT_TIMERS;
/** Timer B / F: a transaction gives up after 64 x T1 (RFC 3261 section 17.1.1.2, 17.1.2.2). */
const TRANSACTION_TIMEOUT_MS = 64 * T1;
/** µ-law code of silence (G.711: 0xFF is +0). */
const SILENT_FRAME = new Uint8Array(160).fill(0xff);

/** Every SIP call of this process by Call-ID, for the events the server reports. */
const byCallId = new Map<string, LoadSipCall>();

/** Hands reported events to their calls; times are moved onto this process's performance.now clock. */
export function deliverSipEvents(events: readonly SipCallEvent[]): void {
  for (const event of events) byCallId.get(event.callId)?.serverEvent(event, event.at - performance.timeOrigin);
}

export class LoadSipCall extends LoadCall {
  readonly protocol = 'sip' as const;
  private readonly callId: string;
  private readonly localTag = randomBytes(4).toString('hex');
  private readonly number: string;
  private signalling: SipPhoneSocket | undefined;
  private rtp: Socket | undefined;
  private remoteTag: string | undefined;
  private remoteTarget = '';
  private media: { address: string; port: number } | undefined;
  private branches = 0;
  private inviteBranch = '';
  private ack = '';
  private retransmit: ReturnType<typeof setTimeout> | undefined;
  /** Events reported before the 200 reached this process (the report can overtake it). */
  private early: [LoadEvent, number][] = [];
  private sentAgain = 0;
  private byeSent = false;
  // RFC 3550 section 5.1: sequence number and timestamp start random.
  private readonly ssrc = randomInt(0, 2 ** 32);
  private sequence = randomInt(0, 2 ** 16);
  private timestamp = randomInt(0, 2 ** 32);

  constructor(
    private readonly service: { host: string; port: number },
    signalling: Promise<SipPhoneSocket>,
    index: number,
    conference: string,
    organizer: boolean,
    pin: string,
    onDone: () => void,
  ) {
    super(SAMPLE_RATE, conference, organizer, pin, onDone);
    this.number = `+1555${String(index).padStart(7, '0')}`;
    this.callId = `load${index}-${randomBytes(4).toString('hex')}`;
    byCallId.set(this.callId, this);
    this.begin(signalling).catch((error: Error) => {
      this.error ??= error.message;
      this.ended('no SIP or RTP socket');
    });
  }

  private async begin(signalling: Promise<SipPhoneSocket>): Promise<void> {
    const sip = (this.signalling = await signalling);
    sip.add(this.callId, this);
    const rtp = (this.rtp = createSocket('udp4'));
    await new Promise<void>((resolve, reject) => {
      rtp.once('error', reject);
      rtp.bind(0, sip.address, () => {
        rtp.off('error', reject);
        resolve();
      });
    });
    rtp.on('error', () => {});
    rtp.on('message', (bytes) => {
      // Byte 1 holds the marker bit and the payload type (RFC 3550 section 5.1).
      if (bytes.length > 12 && (bytes[1]! & 0x7f) === PCMU) this.arrived(performance.now());
    });
    const sdp = [
      'v=0',
      `o=load ${randomInt(1, 2 ** 31)} 1 IN IP4 ${sip.address}`,
      's=-',
      `c=IN IP4 ${sip.address}`,
      't=0 0',
      `m=audio ${rtp.address().port} RTP/AVP ${PCMU} ${TELEPHONE_EVENT}`,
      `a=rtpmap:${PCMU} PCMU/8000`,
      `a=rtpmap:${TELEPHONE_EVENT} telephone-event/8000`,
      `a=fmtp:${TELEPHONE_EVENT} 0-16`,
      'a=ptime:20',
      'a=sendrecv',
      '',
    ].join('\r\n');
    this.remoteTarget = `sip:ivr@${this.service.host}:${this.service.port}`;
    this.inviteBranch = this.branch();
    this.sendReliably(this.request('INVITE', 1, this.inviteBranch, sdp), false);
  }

  private branch(): string {
    // RFC 3261 section 8.1.1.7: the magic cookie marks a unique branch.
    return `z9hG4bK-${this.callId}-${++this.branches}`;
  }

  private request(method: string, cseq: number, branch: string, body = ''): string {
    const sip = this.signalling!;
    const to = `<sip:ivr@${this.service.host}>${this.remoteTag ? `;tag=${this.remoteTag}` : ''}`;
    return [
      `${method} ${this.remoteTarget} SIP/2.0`,
      `Via: SIP/2.0/UDP ${sip.address}:${sip.port};branch=${branch};rport`,
      'Max-Forwards: 70',
      `From: <sip:${this.number}@${sip.address}>;tag=${this.localTag}`,
      `To: ${to}`,
      `Call-ID: ${this.callId}`,
      `CSeq: ${cseq} ${method}`,
      `Contact: <sip:load@${sip.address}:${sip.port}>`,
      ...(body ? ['Content-Type: application/sdp'] : []),
      `Content-Length: ${Buffer.byteLength(body)}`,
      '',
      body,
    ].join('\r\n');
  }

  /**
   * Sends `text`, then again after T1, 2 x T1, ... until stopped or 64 x T1
   * have passed (section 17.1.1.2 timer A for INVITE; 17.1.2.2 timer E,
   * capped at T2, for BYE).
   */
  private sendReliably(text: string, capAtT2: boolean): void {
    this.stopRetransmitting();
    this.signalling!.send(text);
    const deadline = performance.now() + TRANSACTION_TIMEOUT_MS;
    const again = (interval: number) => {
      this.retransmit = setTimeout(() => {
        if (performance.now() >= deadline) {
          this.retransmit = undefined;
          this.error ??= `no answer to ${text.slice(0, text.indexOf(' '))} within ${TRANSACTION_TIMEOUT_MS} ms`;
          this.close();
          return;
        }
        this.sentAgain++;
        this.signalling!.send(text);
        again(capAtT2 ? Math.min(2 * interval, T2) : 2 * interval);
      }, interval);
    };
    again(T1);
  }

  private stopRetransmitting(): void {
    clearTimeout(this.retransmit);
    this.retransmit = undefined;
  }

  receive(message: SipMessage): void {
    if (message.kind === 'request') return this.serverRequest(message);
    if (message.cseq.method === 'INVITE') this.inviteResponse(message);
    else if (message.cseq.method === 'BYE' && message.status >= 200) this.close();
  }

  private inviteResponse(response: SipResponse): void {
    if (response.status < 200) {
      // A provisional response stops timer A (section 17.1.1.2).
      if (!this.ack) this.stopRetransmitting();
      return;
    }
    this.stopRetransmitting();
    if (response.status >= 300) {
      // Section 17.1.1.3: a non-2xx final response is ACKed in its own transaction (same branch, its To tag).
      this.remoteTag = addressTag(response.to);
      this.signalling!.send(this.request('ACK', 1, this.inviteBranch));
      this.error ??= `INVITE answered ${response.status} ${response.reason}`;
      this.close();
      return;
    }
    if (this.ack) {
      // A retransmitted 200: our ACK was lost (section 13.2.2.4).
      this.signalling!.send(this.ack);
      return;
    }
    this.remoteTag = addressTag(response.to);
    const contact = /<([^>]+)>/.exec(headerValue(response, 'Contact') ?? '')?.[1];
    try {
      const answer = parseSdp(new TextDecoder().decode(response.body));
      const audio = answer.media.find((m) => m.media === 'audio');
      const address = audio?.connection?.address ?? answer.connection?.address;
      if (!audio || !address || audio.port === 0) throw new Error('no audio in the answer');
      this.media = { address, port: audio.port };
    } catch (error) {
      this.error ??= `bad SDP answer: ${(error as Error).message}`;
    }
    if (contact) this.remoteTarget = contact;
    this.ack = this.request('ACK', 1, this.branch());
    this.signalling!.send(this.ack);
    if (!this.media) return this.hangup();
    this.startStream();
    for (const [event, at] of this.early) this.callEvent(event, at);
    this.early = [];
  }

  private serverRequest(request: SipRequest): void {
    // Section 8.2.6.2: a response copies these from the request.
    const lines = request.headers.filter((h) => ['Via', 'From', 'To', 'Call-ID', 'CSeq'].includes(h.name)).map((h) => `${h.name}: ${h.value}`);
    const status = request.method === 'BYE' ? '200 OK' : '501 Not Implemented';
    this.signalling!.send([`SIP/2.0 ${status}`, ...lines, 'Content-Length: 0', '', ''].join('\r\n'));
    if (request.method === 'BYE') this.close();
  }

  /** A call event the server's process reported for this call, at `at` on this process's clock. */
  serverEvent(event: LoadEvent, at: number): void {
    if (this.ack) this.callEvent(event, at);
    else this.early.push([event, at]);
  }

  protected override get digitsMasked(): boolean {
    return true;
  }

  protected override heardAs(pcm: Int16Array): Int16Array {
    return decodeMulaw(encodeMulaw(pcm));
  }

  protected override get retransmissions(): number {
    return this.sentAgain;
  }

  protected transmit(frame: Int16Array | undefined): void {
    if (!this.media || !this.rtp) return;
    const packet = buildRtpPacket({
      payloadType: PCMU,
      sequenceNumber: this.sequence,
      timestamp: this.timestamp,
      ssrc: this.ssrc,
      marker: this.framesSent === 1,
      payload: frame ? encodeMulaw(frame) : SILENT_FRAME,
    });
    this.sequence = (this.sequence + 1) & 0xffff;
    this.timestamp = (this.timestamp + this.frameSamples) >>> 0;
    this.rtp.send(packet, this.media.port, this.media.address);
  }

  hangup(): void {
    if (this.byeSent || this.closed) return;
    // Not answered yet: nothing to end but this side (the IVR's INVITE transaction times out).
    if (!this.ack) return this.close();
    this.byeSent = true;
    this.sendReliably(this.request('BYE', 2, this.branch()), true);
  }

  private close(): void {
    if (this.closed) return;
    this.stopRetransmitting();
    this.signalling?.remove(this.callId);
    byCallId.delete(this.callId);
    this.rtp?.close();
    this.ended('the call ended');
  }
}

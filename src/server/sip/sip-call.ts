/**
 * One inbound SIP call as one IVR call: the UAS call (signalling), its media
 * leg and, once answered, the CallSession every protocol uses. The offer
 * picks the leg: UDP/TLS/RTP/SAVPF (a browser) gets WebRTC, whose answers
 * werift writes; RTP/AVP gets an RTP port, answered by the SIP core.
 *
 *   INVITE ─► media leg open ─► 180 ─(ringMs)─► 200 + SDP answer ─► session starts
 *   caller BYE / CANCEL / ACK timeout ─► session hangs up, media closes
 *   the flow hangs up (after goodbye) or WebRTC media fails ─► BYE ─► media closes
 *
 * SIP INFO DTMF and RFC 4733 events reach the session as out-of-band
 * digits; neither their bodies nor their keys are logged here (the call log
 * masks every digit of the session's own events).
 */
import { advertisedAddress } from './advertised-address.ts';
import { randomBytes } from 'node:crypto';
import { headerValue, type SipRequest } from '../../sip/message/sip-message.ts';
import { parseDtmfInfo } from '../../sip/message/dtmf-info-body.ts';
import type { NegotiatedAudio } from '../../sdp/audio-answer.ts';
import { UasCall, type UasCallEvent, type UasCallStep } from '../../sip/dialog/uas-call.ts';
import type { CoreOutput } from '../../sip/transaction/core-output.ts';
import type { Peer } from '../../sip/transaction/peer.ts';
import type { TransactionLayer } from '../../sip/transaction/transaction-layer.ts';
import type { CallEvent } from '../../session/call-events.ts';
import type { CallSession, SessionSink } from '../../session/call-session.ts';
import { logValue } from '../call-log.ts';
import { WebRtcOfferError, type CloseReason } from '../webrtc/webrtc-errors.ts';
import type { CallMediaLeg } from './call-media-leg.ts';
import { RtpChannel } from './rtp-channel.ts';
import { isWebRtcOffer, WebRtcCallMedia } from './webrtc-call-media.ts';

export type SipProtocolName = 'sip-udp' | 'sip-tcp' | 'sip-ws';

const VIA_TRANSPORT: Record<Peer['transport'], string> = { udp: 'UDP', tcp: 'TCP', tls: 'TLS', ws: 'WS', wss: 'WSS' };
const decoder = new TextDecoder();
const encoder = new TextEncoder();

export interface SipCallContext {
  readonly layer: TransactionLayer;
  /** The address this service is reached at, for Contact, Via and the SDP c= line. */
  readonly host: string;
  /** The local port `source` reached this service on: the SIP port, or the HTTP port for SIP over WebSocket. */
  localPort(source: Peer): number;
  /** The IPv4 address WebRTC media binds and advertises; undefined when the host has none (WebRTC offers get 488). */
  readonly webRtcHost: string | undefined;
  readonly ringMs: number;
  readonly maxRtpPacketsPerSecond: number;
  createSession(protocol: SipProtocolName, from: string | undefined, sink: SessionSink, startedAt: number): CallSession;
  /** Core outputs the call produced outside a layer input (its BYE, its answer). */
  run(outputs: CoreOutput[]): void;
  event(callId: string, event: CallEvent): void;
  note(label: string, message: string): void;
  /** The call is over: free its slot. */
  ended(call: SipCall): void;
}

export function randomToken(bytes = 8): string {
  return randomBytes(bytes).toString('hex');
}

export class SipCall {
  readonly callId: string;
  readonly protocol: SipProtocolName;
  private readonly context: SipCallContext;
  private readonly invite: SipRequest;
  private readonly source: Peer;
  private readonly transactionId: string;
  private label: string;
  private uas: UasCall | undefined;
  private media: CallMediaLeg | undefined;
  private session: CallSession | undefined;
  private ringTimer: ReturnType<typeof setTimeout> | undefined;
  private finished = false;
  /** The call ended with the IVR's own BYE, whose answer is still to come. */
  byePending = false;
  /** A CANCEL or shutdown that came before the media leg was open. */
  private pendingOutputs: CoreOutput[] = [];

  constructor(context: SipCallContext, invite: SipRequest, source: Peer, transactionId: string, label: string) {
    this.context = context;
    this.invite = invite;
    this.source = source;
    this.transactionId = transactionId;
    this.callId = invite.callId;
    this.label = label;
    this.protocol = source.transport === 'tcp' ? 'sip-tcp' : source.transport === 'ws' ? 'sip-ws' : 'sip-udp';
  }

  /** Opens the media leg, then rings and answers after ringMs. */
  async begin(): Promise<void> {
    const opened = await this.openMedia();
    if (typeof opened !== 'number') this.media = opened;
    if (this.finished) return void this.media?.close();
    const transport = VIA_TRANSPORT[this.source.transport];
    const address = advertisedAddress(this.context.host, this.invite.uri);
    const host = address.includes(':') ? `[${address}]` : address;
    const port = this.context.localPort(this.source);
    const own = this.media?.ownAnswers;
    this.uas = new UasCall(this.context.layer, this.invite, this.source, this.transactionId, {
      localTag: randomToken(),
      contact: `sip:ivr@${host}:${port}${transport === 'UDP' ? '' : `;transport=${transport.toLowerCase()}`}`,
      via: { transport, host, port },
      newBranch: () => randomToken(),
      media: {
        address,
        addressType: address.includes(':') ? 'IP6' : 'IP4',
        port: this.media?.port ?? 0,
        sessionId: String(Date.now()),
        sessionVersion: 1,
      },
      answeredBy: own ? 'owner' : 'core',
    });
    // Outputs that arrived while the port was being bound (a CANCEL) come first.
    const early = this.pendingOutputs;
    this.pendingOutputs = [];
    if (early.length > 0) this.context.run(this.handle(early));
    if (this.finished) return;
    if (typeof opened === 'number') return this.apply(this.uas.reject(opened));
    this.apply(this.uas.ring());
    this.ringTimer = setTimeout(() => this.apply(this.uas!.answer(own ? encoder.encode(own.answer) : undefined)), this.context.ringMs);
  }

  /** The leg the offer asks for, or the status that refuses the call: 488 for a WebRTC offer that cannot be served, 503 when no port is free. */
  private async openMedia(): Promise<CallMediaLeg | number> {
    const type = headerValue(this.invite, 'Content-Type')?.split(';')[0]?.trim().toLowerCase();
    const offer = type === 'application/sdp' ? decoder.decode(this.invite.body) : '';
    try {
      if (!isWebRtcOffer(offer)) return await RtpChannel.open(this.context.host, this.context.maxRtpPacketsPerSecond);
      if (this.context.webRtcHost === undefined) {
        this.context.note(this.label, `webrtc offer refused: host ${this.context.host} is not an IPv4 address`);
        return 488;
      }
      return await WebRtcCallMedia.open(offer, this.context.webRtcHost, (reason) => this.mediaFailed(reason));
    } catch (error) {
      this.context.note(this.label, `no media: ${(error as Error).message}`);
      return error instanceof WebRtcOfferError ? 488 : 503;
    }
  }

  /** ICE or DTLS failed, or the browser never connected: the call cannot be heard, so it ends. */
  private mediaFailed(reason: CloseReason): void {
    this.context.note(this.label, `webrtc media ${reason}`);
    if (this.session) this.session.hangup('error');
    else if (this.uas) this.apply(this.uas.reject(503));
  }

  /** The owner-answered leg answers a re-INVITE's offer; an offer it cannot serve gets 488. */
  private async reoffer(transactionId: string, sdp: string): Promise<void> {
    let answer: Uint8Array | undefined;
    try {
      answer = encoder.encode(await this.media!.ownAnswers!.reoffer(sdp));
    } catch (error) {
      this.context.note(this.label, `sip re-offer refused: ${(error as Error).message}`);
    }
    if (this.uas) this.apply(this.uas.answerOffer(transactionId, answer));
  }

  /** Takes this call's share of a layer input's outputs; returns the rest. */
  handle(outputs: CoreOutput[]): CoreOutput[] {
    if (!this.uas) {
      if (this.finished) return outputs;
      // Not yet set up: keep what names this call for begin().
      const mine = outputs.filter((output) => 'request' in output && output.request.callId === this.callId);
      this.pendingOutputs.push(...mine);
      return outputs.filter((output) => !mine.includes(output));
    }
    for (const output of outputs) {
      if (output.type === 'request' && output.request.method === 'INFO' && this.uas.dialog?.matches(output.request)) this.info(output.request);
    }
    const step = this.uas.handle(outputs);
    this.events(step.events);
    return step.outputs;
  }

  /**
   * One frame of the shared clock. On hold nothing is rendered, so a prompt
   * resumes where it stopped instead of finishing unheard (the flow's own
   * timeouts still run).
   */
  tick(): void {
    if (!this.media?.onHold) this.session?.renderFrame();
  }

  /** Service shutdown: BYE an answered call, 503 one still ringing. */
  shutdown(): void {
    if (this.session) this.session.hangup('server-shutdown');
    else if (this.uas) this.apply(this.uas.reject(503));
    else this.finish();
  }

  private apply(step: UasCallStep): void {
    this.context.run(step.outputs);
    this.events(step.events);
  }

  private events(events: readonly UasCallEvent[]): void {
    for (const event of events) {
      switch (event.type) {
        case 'answered':
          this.answered(event.audio);
          break;
        case 'offer':
          void this.reoffer(event.transactionId, event.sdp);
          break;
        case 'media-changed':
          this.media?.update(event.audio);
          this.context.note(this.label, `sip media ${event.audio.onHold ? 'on hold' : 'resumed'} ${event.audio.codec.name}`);
          break;
        case 'ended':
          this.context.note(this.label, `sip call ended ${event.reason}`);
          if (event.reason === 'local-bye' || event.reason === 'ack-timeout') this.byePending = true;
          this.session?.hangup(event.reason === 'remote-bye' ? 'caller' : event.reason === 'ack-timeout' ? 'error' : 'server-shutdown');
          this.finish();
          break;
        case 'confirmed':
          break;
      }
    }
  }

  private answered(audio: NegotiatedAudio): void {
    const from = this.invite.from.uri;
    const sink: SessionSink = {
      audio: (frame, _silent, shared) => this.media?.send(frame, shared),
      event: (event) => {
        this.context.event(this.label, event);
        // The flow ended the call (goodbye, locked out): the IVR hangs up with BYE.
        if (event.event === 'hung-up' && this.uas && this.uas.state !== 'ended') this.apply(this.uas.hangup());
      },
    };
    const session = this.context.createSession(this.protocol, from, sink, performance.now());
    this.session = session;
    const previous = this.label;
    this.label = session.callId;
    this.context.note(this.label, `sip ${previous} Call-ID ${logValue(this.callId)} answered ${audio.codec.name}${audio.telephoneEvent ? ' telephone-event' : ''} ${this.media!.summary}`);
    this.media!.start(audio, this.source.host, {
      audio: (samples) => session.pushAudio(samples),
      digit: (key, durationMs) => session.outOfBandDigit(key, durationMs),
    });
    session.start();
  }

  private info(request: SipRequest): void {
    const digit = parseDtmfInfo(headerValue(request, 'Content-Type'), request.body);
    if (digit && this.session && !(this.media?.onHold ?? false)) this.session.outOfBandDigit(digit.key, digit.durationMs);
  }

  private finish(): void {
    if (this.finished) return;
    this.finished = true;
    clearTimeout(this.ringTimer);
    if (this.media) this.context.note(this.label, this.media.close());
    this.context.ended(this);
  }
}

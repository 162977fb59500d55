/**
 * One inbound SIP call as one IVR call: the UAS call (signalling), its RTP
 * channel (media) and, once answered, the CallSession every protocol uses.
 *
 *   INVITE ─► RTP port bound ─► 180 ─(ringMs)─► 200 + SDP answer ─► session starts
 *   caller BYE / CANCEL / ACK timeout ─► session hangs up, RTP closes
 *   the flow hangs up (after goodbye) ─► BYE ─► RTP closes
 *
 * SIP INFO DTMF and RFC 4733 events reach the session as out-of-band
 * digits; neither their bodies nor their keys are logged here (the call log
 * masks every digit of the session's own events).
 */
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
import { RtpChannel } from './rtp-channel.ts';

export type SipProtocolName = 'sip-udp' | 'sip-tcp';

export interface SipCallContext {
  readonly layer: TransactionLayer;
  /** The address this service is reached at, for Contact, Via and the SDP c= line. */
  readonly host: string;
  readonly port: number;
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
  private rtp: RtpChannel | undefined;
  private session: CallSession | undefined;
  private ringTimer: ReturnType<typeof setTimeout> | undefined;
  private finished = false;
  /** The call ended with the IVR's own BYE, whose answer is still to come. */
  byePending = false;
  /** A CANCEL or shutdown that came before the RTP port was bound. */
  private pendingOutputs: CoreOutput[] = [];

  constructor(context: SipCallContext, invite: SipRequest, source: Peer, transactionId: string, label: string) {
    this.context = context;
    this.invite = invite;
    this.source = source;
    this.transactionId = transactionId;
    this.callId = invite.callId;
    this.label = label;
    this.protocol = source.transport === 'tcp' ? 'sip-tcp' : 'sip-udp';
  }

  /** Binds the RTP port, then rings and answers after ringMs. */
  async begin(): Promise<void> {
    try {
      this.rtp = await RtpChannel.open(this.context.host, this.context.maxRtpPacketsPerSecond);
    } catch (error) {
      this.context.note(this.label, `no RTP port: ${(error as Error).message}`);
    }
    if (this.finished) return this.rtp?.close();
    const transport = this.source.transport === 'tcp' ? 'TCP' : 'UDP';
    const host = this.context.host.includes(':') ? `[${this.context.host}]` : this.context.host;
    this.uas = new UasCall(this.context.layer, this.invite, this.source, this.transactionId, {
      localTag: randomToken(),
      contact: `sip:ivr@${host}:${this.context.port}${transport === 'TCP' ? ';transport=tcp' : ''}`,
      via: { transport, host, port: this.context.port },
      newBranch: () => randomToken(),
      media: {
        address: this.context.host,
        addressType: this.context.host.includes(':') ? 'IP6' : 'IP4',
        port: this.rtp?.port ?? 0,
        sessionId: String(Date.now()),
        sessionVersion: 1,
      },
    });
    // Outputs that arrived while the port was being bound (a CANCEL) come first.
    const early = this.pendingOutputs;
    this.pendingOutputs = [];
    if (early.length > 0) this.context.run(this.handle(early));
    if (this.finished) return;
    if (!this.rtp) return this.apply(this.uas.reject(503));
    this.apply(this.uas.ring());
    this.ringTimer = setTimeout(() => this.apply(this.uas!.answer()), this.context.ringMs);
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
    if (!this.rtp?.onHold) this.session?.renderFrame();
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
        case 'media-changed':
          this.rtp?.update(event.audio);
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
      audio: (frame) => this.rtp?.send(frame),
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
    this.context.note(this.label, `sip ${previous} Call-ID ${logValue(this.callId)} answered ${audio.codec.name}${audio.telephoneEvent ? ' telephone-event' : ''} rtp port ${this.rtp!.port}`);
    this.rtp!.start(audio, this.source.host, {
      audio: (samples) => session.pushAudio(samples),
      digit: (key, durationMs) => session.outOfBandDigit(key, durationMs),
    });
    session.start();
  }

  private info(request: SipRequest): void {
    const digit = parseDtmfInfo(headerValue(request, 'Content-Type'), request.body);
    if (digit && this.session && !(this.rtp?.onHold ?? false)) this.session.outOfBandDigit(digit.key, digit.durationMs);
  }

  private finish(): void {
    if (this.finished) return;
    this.finished = true;
    clearTimeout(this.ringTimer);
    if (this.rtp) {
      this.rtp.close();
      const s = this.rtp.stats;
      this.context.note(
        this.label,
        `rtp accepted=${s.accepted} dropped foreign=${s.foreign} payload-type=${s.payloadType} malformed=${s.malformed} flood=${s.flood} idle=${s.idle}`,
      );
    }
    this.context.ended(this);
  }
}

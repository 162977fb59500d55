/**
 * One incoming call from the UAS side, tying the transaction layer, the
 * dialog and the SDP answer together so a transport only moves bytes and
 * runs timers:
 *
 *   offered ──ring()──▶ early ──answer()──▶ answered ──ACK──▶ confirmed
 *      │                  │                    │                  │
 *      ├──reject()/CANCEL─┴──────▶ ended ◀─────┴─ BYE / hangup() ─┘
 *      └──answer() with no usable offer: 488 ──▶ ended
 *
 * The call reads every CoreOutput the layer produces (`handle`) and takes
 * those that belong to it. Its own BYE goes back the way the INVITE came
 * (same connection, or the UDP source address), which WebSocket clients
 * need (RFC 7118 section 5) and NATed phones expect. An offer-less INVITE
 * (offer in the 200, answer in the ACK) is answered 488: the core only
 * answers offers.
 *
 * Answers are written by the core from `media` (plain RTP), or, with
 * `answeredBy: 'owner'`, by the owner (a WebRTC stack writes its own ICE and
 * DTLS lines): the first through answer(body), a re-INVITE's through an
 * `offer` event and answerOffer(), since the owner may need time.
 */
import { answerAudioOffer, type LocalMedia, type NegotiatedAudio } from '../../sdp/audio-answer.ts';
import { SdpParseError } from '../../sdp/sdp-error.ts';
import { parseSdp } from '../../sdp/sdp-parser.ts';
import { serializeSdp } from '../../sdp/sdp-serializer.ts';
import type { CoreOutput } from '../transaction/core-output.ts';
import { Dialog, SipDialogError, type LocalAddress } from './dialog.ts';
import type { Peer } from '../transaction/peer.ts';
import { buildResponse } from '../message/response-builder.ts';
import { headerValue, headerValues, type SipHeader, type SipRequest } from '../message/sip-message.ts';
import type { TransactionLayer } from '../transaction/transaction-layer.ts';

export type UasCallState = 'offered' | 'early' | 'answered' | 'confirmed' | 'ended';

export type UasCallEndReason = 'rejected' | 'bad-request' | 'bad-extension' | 'not-acceptable' | 'cancelled' | 'remote-bye' | 'local-bye' | 'ack-timeout';

export type UasCallEvent =
  | { readonly type: 'answered'; readonly audio: NegotiatedAudio }
  | { readonly type: 'confirmed' }
  | { readonly type: 'media-changed'; readonly audio: NegotiatedAudio }
  /** A re-INVITE or UPDATE offer for the owner to answer with answerOffer() (owner-answered calls only). */
  | { readonly type: 'offer'; readonly transactionId: string; readonly sdp: string }
  | { readonly type: 'ended'; readonly reason: UasCallEndReason };

export interface UasCallStep {
  readonly outputs: CoreOutput[];
  readonly events: UasCallEvent[];
}

export interface UasCallOptions {
  /** The To tag this UAS uses for the call. */
  readonly localTag: string;
  /** The Contact URI of this UA (section 8.1.1.8). */
  readonly contact: string;
  /** Transport, host and port for the Via of the call's own requests. */
  readonly via: LocalAddress;
  /** Fresh branch values (without the magic cookie) for those requests. */
  readonly newBranch: () => string;
  /** Where this side receives RTP. The session version starts here and rises with each new answer. */
  readonly media: Omit<LocalMedia, 'sessionVersion'> & { readonly sessionVersion: number };
  /** Who writes the SDP answers; 'core' by default. */
  readonly answeredBy?: 'core' | 'owner';
}

interface PendingOffer {
  readonly request: SipRequest;
  readonly transactionId: string;
  readonly audio: NegotiatedAudio;
}

const decoder = new TextDecoder();
const encoder = new TextEncoder();

export class UasCall {
  state: UasCallState = 'offered';
  dialog: Dialog | undefined;
  audio: NegotiatedAudio | undefined;
  private sessionVersion: number;
  private byeTransaction: string | undefined;
  private hangupPending = false;
  private pendingOffer: PendingOffer | undefined;

  constructor(
    private readonly layer: TransactionLayer,
    readonly invite: SipRequest,
    readonly source: Peer,
    readonly transactionId: string,
    private readonly options: UasCallOptions,
  ) {
    this.sessionVersion = options.media.sessionVersion;
  }

  /** 180 Ringing, creating the early dialog's To tag (section 13.3.1.1). */
  ring(): UasCallStep {
    if (this.state !== 'offered') return none();
    this.state = 'early';
    return { outputs: this.layer.respond(this.transactionId, this.response(this.invite, 180)), events: [] };
  }

  /**
   * 200 with the SDP answer, or 488 when the offer has nothing the core can
   * use (section 13.3.1.3). An owner-answered call passes its own answer.
   */
  answer(ownAnswer?: Uint8Array): UasCallStep {
    if (this.state !== 'offered' && this.state !== 'early') return none();
    const required = headerValues(this.invite, 'Require');
    if (required.length > 0) {
      this.state = 'ended';
      return { outputs: this.layer.respond(this.transactionId, this.badExtension(this.invite, required)), events: [{ type: 'ended', reason: 'bad-extension' }] };
    }
    const result = this.negotiate(this.invite);
    if (!result) {
      this.state = 'ended';
      return { outputs: this.layer.respond(this.transactionId, this.response(this.invite, 488)), events: [{ type: 'ended', reason: 'not-acceptable' }] };
    }
    const ok = this.response(this.invite, 200, this.options.answeredBy === 'owner' && ownAnswer ? ownAnswer : result.body);
    try {
      this.dialog = Dialog.fromInvite(this.invite, ok, this.options.contact);
    } catch (error) {
      if (!(error instanceof SipDialogError)) throw error;
      this.state = 'ended';
      return { outputs: this.layer.respond(this.transactionId, this.response(this.invite, 400)), events: [{ type: 'ended', reason: 'bad-request' }] };
    }
    this.audio = result.audio;
    this.state = 'answered';
    return { outputs: this.layer.respond(this.transactionId, ok), events: [{ type: 'answered', audio: result.audio }] };
  }

  reject(status: number): UasCallStep {
    if (this.state !== 'offered' && this.state !== 'early') return none();
    if (status < 300 || status > 699) throw new RangeError('a rejection is a 3xx-6xx status');
    this.state = 'ended';
    return { outputs: this.layer.respond(this.transactionId, this.response(this.invite, status)), events: [{ type: 'ended', reason: 'rejected' }] };
  }

  /**
   * Sends BYE on an answered call (section 15.1.1). Before the ACK of the
   * 2xx the BYE waits for it (section 15: the callee MUST NOT send BYE on a
   * dialog until the ACK arrives or the 2xx times out).
   */
  hangup(): UasCallStep {
    if (this.state === 'answered') {
      this.hangupPending = true;
      return none();
    }
    return this.state === 'confirmed' ? this.sendBye('local-bye') : none();
  }

  /**
   * The owner's answer to the offer of an `offer` event: 200 with it, 488
   * without one, 487 when the call ended meanwhile (section 15.1.2: pending
   * requests of a dialog a BYE ended are still answered).
   */
  answerOffer(transactionId: string, ownAnswer: Uint8Array | undefined): UasCallStep {
    const pending = this.pendingOffer;
    if (!pending || pending.transactionId !== transactionId) return none();
    this.pendingOffer = undefined;
    const respond = (status: number, body?: Uint8Array) => this.layer.respond(transactionId, this.response(pending.request, status, body));
    if (this.state === 'ended') return { outputs: respond(487), events: [] };
    if (!ownAnswer) return { outputs: respond(488), events: [] };
    this.audio = pending.audio;
    return { outputs: respond(200, ownAnswer), events: [{ type: 'media-changed', audio: pending.audio }] };
  }

  /** Takes the layer outputs that belong to this call; the rest are returned in `outputs` untouched. */
  handle(outputs: readonly CoreOutput[]): UasCallStep {
    const step: UasCallStep = { outputs: [], events: [] };
    for (const output of outputs) {
      const taken = this.take(output);
      if (taken) {
        step.outputs.push(...taken.outputs);
        step.events.push(...taken.events);
      } else step.outputs.push(output);
    }
    return step;
  }

  private take(output: CoreOutput): UasCallStep | undefined {
    const dialog = this.dialog;
    switch (output.type) {
      case 'cancelled':
        if (output.transactionId !== this.transactionId || this.state === 'ended') return undefined;
        this.state = 'ended';
        return { outputs: [], events: [{ type: 'ended', reason: 'cancelled' }] };
      case 'ack':
        if (!dialog || !dialog.matches(output.request)) return undefined;
        // The ACK of a re-INVITE's 200 changes nothing.
        if (this.state !== 'answered') return none();
        this.state = 'confirmed';
        if (this.hangupPending) return this.sendBye('local-bye');
        return { outputs: [], events: [{ type: 'confirmed' }] };
      case 'ack-timeout':
        // Section 13.3.1.4: a 2xx never acknowledged, to the INVITE or a re-INVITE, ends the session.
        if (output.callId !== this.invite.callId) return undefined;
        return this.state === 'answered' || this.state === 'confirmed' ? this.sendBye('ack-timeout') : none();
      case 'request':
        return dialog && dialog.matches(output.request) ? this.inDialog(output.request, output.transactionId) : undefined;
      case 'response':
      case 'request-timeout':
        // The BYE's outcome changes nothing: the call ended when it was sent (section 15.1.1).
        return output.transactionId === this.byeTransaction ? none() : undefined;
      default:
        return undefined;
    }
  }

  private inDialog(request: SipRequest, transactionId: string): UasCallStep {
    const respond = (status: number, body?: Uint8Array) => this.layer.respond(transactionId, this.response(request, status, body));
    if (this.dialog!.receiveRequest(request) === 'out-of-order') return { outputs: respond(500), events: [] };
    const required = headerValues(request, 'Require');
    if (required.length > 0) return { outputs: this.layer.respond(transactionId, this.badExtension(request, required)), events: [] };
    // A BYE crossing the IVR's own BYE still gets its 200; anything else on an ended call gets 481 (section 15.1.2).
    if (this.state === 'ended') return { outputs: respond(request.method === 'BYE' ? 200 : 481), events: [] };
    switch (request.method) {
      case 'BYE':
        this.state = 'ended';
        return { outputs: respond(200), events: [{ type: 'ended', reason: 'remote-bye' }] };
      case 'UPDATE':
        // RFC 3311 section 5.2: an UPDATE without a body only refreshes the target; with an offer it is answered like a re-INVITE.
        if (request.body.length === 0) return { outputs: respond(200), events: [] };
      // falls through
      case 'INVITE': {
        // A re-INVITE (hold, resume, new address): a new answer with a higher session version (RFC 3264 section 8).
        const result = this.negotiate(request, this.sessionVersion + 1);
        if (!result) return { outputs: respond(488), events: [] };
        if (this.options.answeredBy === 'owner') return this.deferOffer(request, transactionId, result.audio);
        this.sessionVersion++;
        this.audio = result.audio;
        return { outputs: respond(200, result.body), events: [{ type: 'media-changed', audio: result.audio }] };
      }
      case 'OPTIONS':
      case 'INFO':
        return { outputs: respond(200), events: [] };
      default:
        return { outputs: respond(501), events: [] };
    }
  }

  private deferOffer(request: SipRequest, transactionId: string, audio: NegotiatedAudio): UasCallStep {
    if (this.pendingOffer) {
      // Section 14.2: an INVITE while another is unanswered gets 500 with a Retry-After of 0 to 10 s, chosen at random.
      const retryAfter = String(Number.parseInt(this.options.newBranch().slice(-4), 16) % 11 || 0);
      const busy = buildResponse(request, 500, { toTag: this.options.localTag, headers: [{ name: 'Retry-After', value: retryAfter }] });
      return { outputs: this.layer.respond(transactionId, busy), events: [] };
    }
    this.pendingOffer = { request, transactionId, audio };
    return { outputs: [], events: [{ type: 'offer', transactionId, sdp: decoder.decode(request.body) }] };
  }

  private sendBye(reason: UasCallEndReason): UasCallStep {
    const bye = this.dialog!.createRequest('BYE', { branch: this.options.newBranch(), via: this.options.via });
    const { transactionId, outputs } = this.layer.sendRequest(bye, this.source);
    this.byeTransaction = transactionId;
    this.state = 'ended';
    return { outputs, events: [{ type: 'ended', reason }] };
  }

  private negotiate(request: SipRequest, sessionVersion = this.sessionVersion): { body: Uint8Array; audio: NegotiatedAudio } | undefined {
    const type = headerValue(request, 'Content-Type')?.split(';')[0]?.trim().toLowerCase();
    if (type !== 'application/sdp' || request.body.length === 0) return undefined;
    let offer;
    try {
      offer = parseSdp(decoder.decode(request.body));
    } catch (error) {
      if (error instanceof SdpParseError) return undefined;
      throw error;
    }
    const result = answerAudioOffer(offer, { ...this.options.media, sessionVersion: String(sessionVersion) });
    return result.ok ? { body: encoder.encode(serializeSdp(result.answer)), audio: result.audio } : undefined;
  }

  /** Section 8.2.2.3: the core supports no extensions, so any Require gets 420 listing them as Unsupported. */
  private badExtension(request: SipRequest, required: readonly string[]) {
    return buildResponse(request, 420, { toTag: this.options.localTag, headers: [{ name: 'Unsupported', value: required.join(', ') }] });
  }

  private response(request: SipRequest, status: number, body?: Uint8Array) {
    const headers: SipHeader[] = [];
    if (status < 300 && request.method === 'INVITE') headers.push({ name: 'Contact', value: `<${this.options.contact}>` });
    if (status === 488 || status === 501) headers.push({ name: 'Allow', value: 'INVITE, ACK, CANCEL, BYE, OPTIONS, INFO, UPDATE' });
    if (body) headers.push({ name: 'Content-Type', value: 'application/sdp' });
    return buildResponse(request, status, { toTag: this.options.localTag, headers, body });
  }
}

function none(): UasCallStep {
  return { outputs: [], events: [] };
}

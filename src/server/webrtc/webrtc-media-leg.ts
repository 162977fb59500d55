/**
 * One call's WebRTC media (ICE-lite host candidates, DTLS-SRTP, rtcp-mux,
 * G.711) on werift. This is the only file that imports werift: the SIP layer
 * hands in the INVITE's SDP offer and gets back the answer plus a leg that
 * delivers the caller's audio frames and RFC 4733 keys and sends what the
 * caller hears.
 *
 *   offer ─► checkWebRtcOffer ─► RTCPeerConnection ─► answer (own candidates only)
 *   SRTP in ─► AudioReceiver ─► events.audio(frame) / events.key(press)
 *   sendAudio(frame) ─► µ-law/A-law ─► RTP ─► SRTP out (paced by the caller)
 *
 * Each leg owns one peer connection and ends exactly once, with a reason:
 * its owner closed it, ICE or DTLS failed, or it did not connect within
 * connectTimeoutMs.
 */
import { isIP } from 'node:net';
import { RTCPeerConnection, RTCRtpCodecParameters, type RTCRtpTransceiver } from 'werift';
import { encodeAlaw, encodeMulaw } from '../../dsp/g711.ts';
import { UsageError } from '../../errors.ts';
import type { NegotiatedAudio } from '../../sdp/audio-answer.ts';
import type { MediaDirection } from '../../sdp/media-attributes.ts';
import { parseSdp } from '../../sdp/sdp-parser.ts';
import { serializeSdp } from '../../sdp/sdp-serializer.ts';
import { buildRtpPacket } from '../../rtp/rtp-packet.ts';
import type { TelephoneKeyPress } from '../../rtp/telephone-event-tracker.ts';
import { candidateCount, keepCandidatesOn, keepPayloadTypes } from './trim-answer.ts';
import { AudioReceiver, FRAME_SAMPLES } from './audio-receiver.ts';
import { WebRtcOfferError, type CloseReason } from './webrtc-errors.ts';
import { checkWebRtcOffer } from './webrtc-offer.ts';

export interface WebRtcMediaOptions {
  /** IP address the leg's one host candidate binds and advertises (the server's --host). */
  readonly hostAddress: string;
  /** Ms from the answer until ICE and DTLS must be connected, else the leg closes with 'connect-timeout'. */
  readonly connectTimeoutMs: number;
  /** Ms to wait for werift to gather its host candidate before answering. */
  readonly gatherTimeoutMs: number;
}

export const WEBRTC_MEDIA_DEFAULTS: WebRtcMediaOptions = { hostAddress: '127.0.0.1', connectTimeoutMs: 10_000, gatherTimeoutMs: 2_000 };

export interface WebRtcMediaEvents {
  /** 20 ms of the caller's audio at 8000 Hz. */
  audio(frame: Int16Array): void;
  /** One RFC 4733 key press, once per event. */
  key(press: TelephoneKeyPress): void;
  /** The leg ended; called once, not for a leg whose offer was refused. */
  closed(reason: CloseReason): void;
}

export interface WebRtcMediaLeg {
  /** The SDP answer for the SIP response. */
  readonly answer: string;
  readonly codec: NegotiatedAudio['codec'];
  /** The direction of the last answer, seen from this side (RFC 3264 section 6.1). */
  readonly direction: MediaDirection;
  /** The caller put the call on hold in the last offer. */
  readonly onHold: boolean;
  readonly connected: boolean;
  /** Sends FRAME_SAMPLES samples of 8 kHz PCM; false (nothing sent) before connecting, on hold, or after close. */
  sendAudio(frame: Int16Array): boolean;
  /** Answers a re-INVITE's offer (hold, resume, ICE restart) on the same connection. */
  reoffer(sdp: string): Promise<string>;
  close(): Promise<void>;
}

/** Throws WebRtcOfferError when the offer cannot be served (answer 488); the leg is then never opened. */
export async function openWebRtcMedia(offer: string, events: WebRtcMediaEvents, options: Partial<WebRtcMediaOptions> = {}): Promise<WebRtcMediaLeg> {
  const settings = { ...WEBRTC_MEDIA_DEFAULTS, ...options };
  // A candidate names one reachable address (RFC 8839 section 5.1), so 0.0.0.0 will not do.
  if (isIP(settings.hostAddress) !== 4 || settings.hostAddress === '0.0.0.0') {
    throw new UsageError(`webrtc hostAddress '${settings.hostAddress}' is not a concrete IPv4 address`);
  }
  const checked = checkWebRtcOffer(offer);
  const leg = new WeriftMediaLeg(checked.audio, events, settings);
  try {
    await leg.start(offer);
  } catch (error) {
    await leg.dispose();
    throw error;
  }
  return leg;
}

class WeriftMediaLeg implements WebRtcMediaLeg {
  answer = '';
  readonly codec: NegotiatedAudio['codec'];
  direction: MediaDirection;
  onHold: boolean;
  connected = false;
  private readonly pc: RTCPeerConnection;
  private readonly receiver: AudioReceiver;
  private readonly events: WebRtcMediaEvents;
  private readonly settings: WebRtcMediaOptions;
  private readonly telephoneEventPayloadType: number | undefined;
  private transceiver: RTCRtpTransceiver | undefined;
  private connectTimer: NodeJS.Timeout | undefined;
  private ended = false;
  private sequenceNumber = Math.floor(Math.random() * 0x10000);
  private timestamp = Math.floor(Math.random() * 0x1_0000_0000);
  private talkspurtStart = true;

  constructor(audio: NegotiatedAudio, events: WebRtcMediaEvents, settings: WebRtcMediaOptions) {
    this.codec = audio.codec;
    this.direction = audio.answerDirection;
    this.onHold = audio.onHold;
    this.events = events;
    this.settings = settings;
    this.telephoneEventPayloadType = audio.telephoneEvent?.payloadType;
    this.receiver = new AudioReceiver({ codec: audio.codec, telephoneEventPayloadType: this.telephoneEventPayloadType });
    // The payload types are the offer's, so werift's answer keeps them (RFC 3264 section 6.1).
    const codecs = [new RTCRtpCodecParameters({ mimeType: `audio/${audio.codec.name}`, clockRate: 8000, channels: 1, payloadType: audio.codec.payloadType })];
    if (audio.telephoneEvent) {
      codecs.push(new RTCRtpCodecParameters({ mimeType: 'audio/telephone-event', clockRate: 8000, channels: 1, payloadType: audio.telephoneEvent.payloadType }));
    }
    this.pc = new RTCPeerConnection({
      codecs: { audio: codecs, video: [] },
      headerExtensions: { audio: [], video: [] },
      // No STUN or TURN: werift's default STUN server is on the public internet.
      iceServers: [],
      iceLite: true,
      iceUseIpv4: true,
      iceUseIpv6: false,
      iceInterfaceAddresses: { udp4: settings.hostAddress },
      iceAdditionalHostAddresses: [settings.hostAddress],
    });
  }

  async start(offer: string): Promise<void> {
    this.pc.iceConnectionStateChange.subscribe((state) => {
      if (state === 'failed') this.finish('ice-failed');
    });
    this.pc.connectionStateChange.subscribe((state) => {
      if (state === 'connected') {
        this.connected = true;
        clearTimeout(this.connectTimer);
      } else if (state === 'failed') {
        this.finish(this.pc.iceConnectionState === 'failed' ? 'ice-failed' : 'dtls-failed');
      }
    });
    this.pc.onTrack.subscribe((track) => {
      track.onReceiveRtp.subscribe((rtp) => this.receive(rtp.serialize()));
    });
    this.answer = await this.negotiate(offer);
    this.transceiver = this.pc.getTransceivers().find((transceiver) => transceiver.kind === 'audio');
    if (!this.ended) this.connectTimer = setTimeout(() => this.finish('connect-timeout'), this.settings.connectTimeoutMs);
  }

  sendAudio(frame: Int16Array): boolean {
    if (frame.length !== FRAME_SAMPLES) throw new RangeError(`a frame is ${FRAME_SAMPLES} samples, got ${frame.length}`);
    const sender = this.transceiver?.sender;
    if (!sender || !this.connected || this.ended) return false;
    const timestamp = this.timestamp;
    // The timestamp follows the caller's frame clock even on hold, so the far end sees the pause (RFC 3550 section 5.1).
    this.timestamp = (this.timestamp + FRAME_SAMPLES) >>> 0;
    if (this.direction !== 'sendrecv' && this.direction !== 'sendonly') {
      this.talkspurtStart = true;
      return false;
    }
    const payload = this.codec.name === 'PCMU' ? encodeMulaw(frame) : encodeAlaw(frame);
    // werift replaces SSRC and payload type with the negotiated ones; sequence and timestamp are ours.
    // RFC 3551 section 4.1: the marker bit flags the first packet after a pause.
    const packet = buildRtpPacket({ payloadType: this.codec.payloadType, sequenceNumber: this.sequenceNumber, timestamp, ssrc: sender.ssrc, payload, marker: this.talkspurtStart });
    this.sequenceNumber = (this.sequenceNumber + 1) & 0xffff;
    this.talkspurtStart = false;
    // A datagram that cannot go out is lost like any other over UDP; the call goes on.
    sender.sendRtp(Buffer.from(packet.buffer, packet.byteOffset, packet.byteLength)).catch(() => undefined);
    return true;
  }

  async reoffer(sdp: string): Promise<string> {
    if (this.ended) throw new WebRtcOfferError('rejected', 'the media leg is closed');
    const { audio } = checkWebRtcOffer(sdp);
    if (audio.codec.payloadType !== this.codec.payloadType || audio.telephoneEvent?.payloadType !== this.telephoneEventPayloadType) {
      throw new WebRtcOfferError('rejected', 're-offer changes the negotiated payload types');
    }
    const answer = await this.negotiate(sdp);
    this.direction = audio.answerDirection;
    this.onHold = audio.onHold;
    return answer;
  }

  async close(): Promise<void> {
    this.finish('closed');
    await this.dispose();
  }

  async dispose(): Promise<void> {
    clearTimeout(this.connectTimer);
    await this.pc.close();
  }

  private async negotiate(offer: string): Promise<string> {
    try {
      await this.pc.setRemoteDescription({ type: 'offer', sdp: offer });
    } catch (error) {
      throw new WebRtcOfferError('rejected', `werift refused the offer: ${error instanceof Error ? error.message : String(error)}`, { cause: error });
    }
    for (const transceiver of this.pc.getTransceivers()) transceiver.setDirection('sendrecv');
    await this.pc.setLocalDescription(await this.pc.createAnswer());
    await this.gathered();
    const local = this.pc.localDescription;
    if (!local) throw new Error('werift set no local description');
    const payloadTypes = [this.codec.payloadType, ...(this.telephoneEventPayloadType === undefined ? [] : [this.telephoneEventPayloadType])];
    const answer = keepPayloadTypes(keepCandidatesOn(parseSdp(local.sdp), this.settings.hostAddress), payloadTypes);
    if (!answer.media.some((media) => media.media === 'audio' && media.formats.includes(String(this.codec.payloadType)))) {
      throw new WebRtcOfferError('rejected', `werift's answer does not carry ${this.codec.name}`);
    }
    if (candidateCount(answer) === 0) throw new Error(`werift gathered no ICE candidate on ${this.settings.hostAddress}`);
    return serializeSdp(answer);
  }

  private gathered(): Promise<void> {
    if (this.pc.iceGatheringState === 'complete') return Promise.resolve();
    return new Promise((resolve, reject) => {
      const timer = setTimeout(() => {
        subscription.unSubscribe();
        reject(new Error(`werift gathered no candidates within ${this.settings.gatherTimeoutMs} ms`));
      }, this.settings.gatherTimeoutMs);
      const subscription = this.pc.iceGatheringStateChange.subscribe((state) => {
        if (state !== 'complete') return;
        clearTimeout(timer);
        subscription.unSubscribe();
        resolve();
      });
    });
  }

  private receive(bytes: Uint8Array): void {
    if (this.ended) return;
    const media = this.receiver.push(bytes);
    for (const frame of media.frames) this.events.audio(frame);
    for (const press of media.keys) this.events.key(press);
  }

  private finish(reason: CloseReason): void {
    if (this.ended) return;
    this.ended = true;
    clearTimeout(this.connectTimer);
    const rest = this.receiver.flush();
    for (const frame of rest.frames) this.events.audio(frame);
    for (const press of rest.keys) this.events.key(press);
    this.events.closed(reason);
    // A failed leg tears itself down; an error while closing a dead connection changes nothing for the call.
    if (reason !== 'closed') this.dispose().catch(() => undefined);
  }
}

/**
 * The WebRTC media leg (../webrtc) as a SIP call's CallMediaLeg: werift
 * writes the SDP answers, the caller's frames and RFC 4733 keys go to the
 * call's sink once it is answered (before that they are dropped and
 * counted), and what the caller hears is cut into the 20 ms frames the leg
 * sends, whatever the service's frame length.
 */
import { AUDIO_CLOCK_HZ } from '../../rtp/rtp-constants.ts';
import type { NegotiatedAudio } from '../../sdp/audio-answer.ts';
import { parseSdp } from '../../sdp/sdp-parser.ts';
import { FRAME_SAMPLES } from '../webrtc/audio-receiver.ts';
import type { CloseReason } from '../webrtc/webrtc-errors.ts';
import { openWebRtcMedia, type WebRtcMediaLeg } from '../webrtc/webrtc-media-leg.ts';
import { WEBRTC_PROFILE } from '../webrtc/webrtc-offer.ts';
import type { CallMediaLeg, MediaSink, OwnAnswers } from './call-media-leg.ts';

/** Whether an SDP offer asks for WebRTC media: an audio stream on UDP/TLS/RTP/SAVPF (RFC 8827 section 6.5). */
export function isWebRtcOffer(sdp: string): boolean {
  try {
    return parseSdp(sdp).media.some((media) => media.media === 'audio' && media.proto === WEBRTC_PROFILE);
  } catch {
    // Not SDP at all: the SIP core answers it (488).
    return false;
  }
}

export class WebRtcCallMedia implements CallMediaLeg {
  readonly port = 0;
  readonly ownAnswers: OwnAnswers;
  private readonly leg: WebRtcMediaLeg;
  private readonly pending = new Int16Array(FRAME_SAMPLES);
  private filled = 0;
  private sink: MediaSink | undefined;
  private readonly counts = { frames: 0, keys: 0, idle: 0, sent: 0 };

  private constructor(leg: WebRtcMediaLeg) {
    this.leg = leg;
    this.ownAnswers = { answer: leg.answer, reoffer: (sdp) => leg.reoffer(sdp) };
  }

  /**
   * Opens the leg on `hostAddress` (throws WebRtcOfferError for an offer it
   * cannot serve); `failed` hears an ICE or DTLS failure or a connect timeout.
   */
  static async open(offer: string, hostAddress: string, failed: (reason: CloseReason) => void): Promise<WebRtcCallMedia> {
    let media: WebRtcCallMedia | undefined;
    const leg = await openWebRtcMedia(
      offer,
      {
        audio: (frame) => media?.take((sink) => sink.audio(frame), 'frames'),
        key: (press) => media?.take((sink) => sink.digit(press.key, press.duration / (AUDIO_CLOCK_HZ / 1000)), 'keys'),
        closed: (reason) => {
          if (reason !== 'closed') failed(reason);
        },
      },
      { hostAddress },
    );
    media = new WebRtcCallMedia(leg);
    return media;
  }

  get summary(): string {
    return 'webrtc';
  }

  get onHold(): boolean {
    return this.leg.onHold;
  }

  start(_audio: NegotiatedAudio, _signallingHost: string, sink: MediaSink): void {
    this.sink = sink;
  }

  /** The leg learnt the new direction when it answered the re-offer. */
  update(): void {}

  send(frame: Int16Array): void {
    let offset = 0;
    while (offset < frame.length) {
      const take = Math.min(FRAME_SAMPLES - this.filled, frame.length - offset);
      this.pending.set(frame.subarray(offset, offset + take), this.filled);
      this.filled += take;
      offset += take;
      if (this.filled === FRAME_SAMPLES) {
        this.filled = 0;
        if (this.leg.sendAudio(this.pending)) this.counts.sent++;
      }
    }
  }

  close(): string {
    // The leg flushes its receiver into the sink before it closes.
    void this.leg.close().catch(() => undefined);
    const c = this.counts;
    return `webrtc frames=${c.frames} keys=${c.keys} sent=${c.sent} dropped idle=${c.idle}`;
  }

  private take(deliver: (sink: MediaSink) => void, what: 'frames' | 'keys'): void {
    const sink = this.sink;
    if (!sink || this.leg.onHold) {
      this.counts.idle++;
      return;
    }
    this.counts[what]++;
    deliver(sink);
  }
}

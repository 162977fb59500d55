/**
 * One SIP call's media, whichever way it flows: plain RTP on a UDP port of
 * ours (rtp-channel.ts) or WebRTC with ICE and DTLS-SRTP (webrtc-call-media.ts).
 * The call asks for audio and keys through one sink and sends what the
 * caller hears through `send`; only the SDP answers differ, and the leg says
 * who writes them.
 */
import type { DtmfKey } from '../../dsp/dtmf-keys.ts';
import type { NegotiatedAudio } from '../../sdp/audio-answer.ts';

export interface MediaSink {
  /** Decoded caller audio at 8 kHz, in sequence order; the array may be reused once this returns. */
  audio(samples: Int16Array): void;
  /** A telephone-event key press, counted once. */
  digit(key: DtmfKey, durationMs: number): void;
}

/** A leg that writes its own SDP answers (WebRTC: werift writes the ICE and DTLS lines). */
export interface OwnAnswers {
  /** The answer to the INVITE's offer. */
  readonly answer: string;
  /** The answer to a re-INVITE's offer (hold, resume, ICE restart); rejects when the offer cannot be served (488). */
  reoffer(sdp: string): Promise<string>;
}

export interface CallMediaLeg {
  /** How the media flows, for the call log: `rtp port 40000`, `webrtc`. */
  readonly summary: string;
  /** The UDP port the SIP core's answers name; 0 for a leg with its own answers. */
  readonly port: number;
  /** Set when the leg writes the SDP answers; undefined when the SIP core does from `port`. */
  readonly ownAnswers: OwnAnswers | undefined;
  /** Whether the caller has put the call on hold (RFC 3264 section 8.4). */
  readonly onHold: boolean;
  /** The answer is sent: deliver the caller's audio and keys to `sink`. */
  start(audio: NegotiatedAudio, signallingHost: string, sink: MediaSink): void;
  /** A re-INVITE or UPDATE changed the media. */
  update(audio: NegotiatedAudio): void;
  /**
   * One frame of what the caller hears; `shared` is the same samples in
   * memory never modified, when the session has them (SessionSink.audio).
   */
  send(frame: Int16Array, shared?: Int16Array): void;
  /** Ends the media: what is still buffered is delivered; returns a line of counts for the call log. */
  close(): string;
}

/**
 * Decides whether a remote SDP offer can become a WebRTC audio leg before
 * any socket is opened: one audio stream on UDP/TLS/RTP/SAVPF (RFC 8827
 * section 6.5) with G.711, ICE credentials (RFC 8839 section 5.4), a DTLS
 * fingerprint (RFC 8122 section 5) and rtcp-mux (RFC 8834 section 5.1.1).
 * Anything else is a WebRtcOfferError, so the SIP layer can answer 488.
 */
import { answerAudioOffer, type NegotiatedAudio } from '../../sdp/audio-answer.ts';
import { parseSdp } from '../../sdp/sdp-parser.ts';
import type { SessionDescription } from '../../sdp/session-description.ts';
import { WebRtcOfferError } from './webrtc-errors.ts';

export const WEBRTC_PROFILE = 'UDP/TLS/RTP/SAVPF';

export interface CheckedOffer {
  readonly description: SessionDescription;
  readonly audio: NegotiatedAudio;
}

/** The answer's own address lines come from werift, so these placeholders only satisfy answerAudioOffer. */
const PLACEHOLDER_LOCAL = { address: '0.0.0.0', port: 9, sessionId: '0', sessionVersion: '0' };

export function checkWebRtcOffer(sdp: string): CheckedOffer {
  let description: SessionDescription;
  try {
    description = parseSdp(sdp);
  } catch (error) {
    throw new WebRtcOfferError('malformed', error instanceof Error ? error.message : String(error), { cause: error });
  }
  const result = answerAudioOffer(description, PLACEHOLDER_LOCAL);
  if (!result.ok) {
    const detail = { 'no-audio': 'no audio stream', 'no-common-codec': 'no PCMU or PCMA at 8000 Hz in the audio stream', 'no-connection': 'no c= line for the audio stream' }[result.reason];
    throw new WebRtcOfferError(result.reason, detail);
  }
  const audio = result.audio;
  if (audio.proto !== WEBRTC_PROFILE) throw new WebRtcOfferError('not-webrtc', `audio stream uses ${audio.proto}, expected ${WEBRTC_PROFILE}`);
  if (!audio.iceDtls.iceUfrag || !audio.iceDtls.icePwd) throw new WebRtcOfferError('no-ice', 'audio stream has no a=ice-ufrag/a=ice-pwd');
  if (!audio.iceDtls.fingerprint) throw new WebRtcOfferError('no-fingerprint', 'audio stream has no a=fingerprint');
  if (!audio.rtcpMux) throw new WebRtcOfferError('no-rtcp-mux', 'audio stream has no a=rtcp-mux');
  return { description, audio };
}

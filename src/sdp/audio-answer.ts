/**
 * The answer to an audio offer (RFC 3264 section 6): the first usable audio
 * stream is accepted with PCMU or PCMA, whichever the offer lists first
 * (section 6.1: the answerer SHOULD keep the offerer's order), plus
 * telephone-event/8000 when offered (RFC 4733 section 7.1.1), ptime 20 and
 * the mirrored direction; every other m= line is rejected with port 0 and
 * the answer keeps the offer's m= lines in order (section 6).
 */
import { fmtp, iceDtlsParameters, mediaDirection, ptime, rtpMap, type IceDtlsParameters, type MediaDirection } from './media-attributes.ts';
import { hasAttribute, type SdpAttribute, type SdpMedia, type SessionDescription } from './session-description.ts';
import { intersectEvents, SUPPORTED_EVENTS } from './telephone-event-range.ts';

/** Profiles an audio stream may use: plain RTP (RFC 3551), AVPF (RFC 4585), and WebRTC's DTLS-SRTP (RFC 5764). */
const AUDIO_PROFILES = ['RTP/AVP', 'RTP/AVPF', 'UDP/TLS/RTP/SAVPF'];
/** RFC 3551 section 4.5: 20 ms is the default packetization for G.711 (and what the media layer sends). */
export const ANSWER_PTIME_MS = 20;

export interface LocalMedia {
  /** Address RTP should be sent to (c= line). */
  readonly address: string;
  readonly addressType?: 'IP4' | 'IP6';
  readonly port: number;
  /** o= session id and version (RFC 4566 section 5.2); the caller keeps them per dialog. */
  readonly sessionId: string;
  readonly sessionVersion: string;
  /** Extra media attributes for the accepted stream, e.g. the WebRTC layer's ICE and DTLS lines. */
  readonly mediaAttributes?: readonly SdpAttribute[];
}

export type G711Codec = 'PCMU' | 'PCMA';

export interface NegotiatedAudio {
  /** Index of the accepted m= line. */
  readonly mediaIndex: number;
  readonly proto: string;
  readonly codec: { readonly name: G711Codec; readonly payloadType: number };
  readonly telephoneEvent: { readonly payloadType: number; readonly events: string } | undefined;
  /** Where to send RTP; address 0.0.0.0 means do not send (RFC 3264 section 8.4). */
  readonly remote: { readonly address: string; readonly port: number };
  readonly offerDirection: MediaDirection;
  readonly answerDirection: MediaDirection;
  /** The offerer put the call on hold: sendonly or inactive, or the old c=0.0.0.0 form (RFC 3264 section 8.4). */
  readonly onHold: boolean;
  readonly rtcpMux: boolean;
  readonly ptimeMs: number;
  /** The offer's requested ptime, if any. */
  readonly offerPtimeMs: number | undefined;
  readonly iceDtls: IceDtlsParameters;
}

export type AudioAnswer =
  | { readonly ok: true; readonly answer: SessionDescription; readonly audio: NegotiatedAudio }
  /** The caller answers 488 Not Acceptable Here (RFC 3261 section 13.3.1.3). */
  | { readonly ok: false; readonly reason: 'no-audio' | 'no-common-codec' | 'no-connection' };

/** RFC 3264 section 6.1 direction mirroring. */
const ANSWER_DIRECTION: Record<MediaDirection, MediaDirection> = {
  sendrecv: 'sendrecv',
  sendonly: 'recvonly',
  recvonly: 'sendonly',
  inactive: 'inactive',
};

export function answerAudioOffer(offer: SessionDescription, local: LocalMedia): AudioAnswer {
  const candidates = offer.media.map((media, index) => ({ media, index })).filter(({ media }) => media.media === 'audio' && media.port !== 0 && AUDIO_PROFILES.includes(media.proto));
  if (candidates.length === 0) return { ok: false, reason: 'no-audio' };
  for (const { media, index } of candidates) {
    const codec = pickCodec(media);
    if (!codec) continue;
    const connection = media.connection ?? offer.connection;
    if (!connection) return { ok: false, reason: 'no-connection' };
    const telephoneEvent = pickTelephoneEvent(media);
    const offerDirection = mediaDirection(offer, media);
    const answerDirection = ANSWER_DIRECTION[offerDirection];
    const rtcpMux = hasAttribute(media.attributes, 'rtcp-mux');
    const audio: NegotiatedAudio = {
      mediaIndex: index,
      proto: media.proto,
      codec,
      telephoneEvent,
      remote: { address: connection.address, port: media.port },
      offerDirection,
      answerDirection,
      onHold: offerDirection === 'sendonly' || offerDirection === 'inactive' || connection.address === '0.0.0.0',
      rtcpMux,
      ptimeMs: ANSWER_PTIME_MS,
      offerPtimeMs: ptime(media),
      iceDtls: iceDtlsParameters(offer, media),
    };
    return { ok: true, answer: buildAnswer(offer, local, audio), audio };
  }
  return { ok: false, reason: 'no-common-codec' };
}

function pickCodec(media: SdpMedia): NegotiatedAudio['codec'] | undefined {
  for (const format of media.formats) {
    const map = rtpMap(media, format);
    const name = map?.encoding.toUpperCase();
    if ((name === 'PCMU' || name === 'PCMA') && map!.clockRate === 8000 && (map!.channels ?? 1) === 1) {
      return { name, payloadType: Number(format) };
    }
  }
  return undefined;
}

function pickTelephoneEvent(media: SdpMedia): NegotiatedAudio['telephoneEvent'] {
  for (const format of media.formats) {
    const map = rtpMap(media, format);
    if (map?.encoding.toLowerCase() !== 'telephone-event' || map.clockRate !== 8000) continue;
    // RFC 4733 section 7.1.1: no fmtp means events 0-15.
    const events = intersectEvents(fmtp(media, format) ?? SUPPORTED_EVENTS);
    if (events) return { payloadType: Number(format), events };
  }
  return undefined;
}

function buildAnswer(offer: SessionDescription, local: LocalMedia, audio: NegotiatedAudio): SessionDescription {
  const addressType = local.addressType ?? (local.address.includes(':') ? 'IP6' : 'IP4');
  const media = offer.media.map((offered, index): SdpMedia => {
    if (index !== audio.mediaIndex) {
      // RFC 3264 section 6: a rejected stream keeps its formats with port 0.
      return { media: offered.media, port: 0, portCount: undefined, proto: offered.proto, formats: offered.formats, connection: undefined, otherLines: [], attributes: [] };
    }
    const formats = [String(audio.codec.payloadType)];
    const attributes: SdpAttribute[] = [{ name: 'rtpmap', value: `${audio.codec.payloadType} ${audio.codec.name}/8000` }];
    if (audio.telephoneEvent) {
      const pt = audio.telephoneEvent.payloadType;
      formats.push(String(pt));
      attributes.push({ name: 'rtpmap', value: `${pt} telephone-event/8000` }, { name: 'fmtp', value: `${pt} ${audio.telephoneEvent.events}` });
    }
    attributes.push({ name: 'ptime', value: String(ANSWER_PTIME_MS) }, { name: audio.answerDirection, value: undefined });
    // RFC 5761 section 5.1.1: rtcp-mux in the answer only when the offer had it.
    if (audio.rtcpMux) attributes.push({ name: 'rtcp-mux', value: undefined });
    attributes.push(...(local.mediaAttributes ?? []));
    return { media: 'audio', port: local.port, portCount: undefined, proto: offered.proto, formats, connection: undefined, otherLines: [], attributes };
  });
  return {
    origin: { username: '-', sessionId: local.sessionId, sessionVersion: local.sessionVersion, addressType, address: local.address },
    sessionName: '-',
    connection: { addressType, address: local.address },
    // RFC 3264 section 6: the answer's t= line equals the offer's.
    otherLines: [offer.otherLines.find((line) => line.type === 't') ?? { type: 't', value: '0 0' }],
    attributes: [],
    media,
  };
}

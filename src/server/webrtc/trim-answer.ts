/**
 * Trims werift's SDP answer to what the leg really serves.
 *
 * Candidates: werift lists a host candidate for every interface it finds but
 * binds its sockets to one address (iceInterfaceAddresses), so candidates on
 * other addresses would send the browser's checks to a port nothing
 * listens on.
 *
 * Payload types: werift matches codecs by name, so it also accepts the
 * offer's telephone-event/48000 next to telephone-event/8000; the answer
 * keeps only the negotiated G.711 type and telephone-event/8000 (RFC 3264
 * section 6.1: the answer lists the formats the answerer will use).
 */
import type { SdpAttribute, SessionDescription } from '../../sdp/session-description.ts';

/** RFC 8839 section 5.1: foundation component transport priority address port "typ" type ... */
const CANDIDATE_ADDRESS_FIELD = 4;
/** Attributes whose value starts with the payload type they describe (RFC 4566 section 6, RFC 4585 section 4.2). */
const PER_FORMAT_ATTRIBUTES = ['rtpmap', 'fmtp', 'rtcp-fb'];

export function keepCandidatesOn(description: SessionDescription, address: string): SessionDescription {
  return mapAttributes(description, (attribute) => attribute.name !== 'candidate' || attribute.value?.split(' ')[CANDIDATE_ADDRESS_FIELD] === address);
}

export function candidateCount(description: SessionDescription): number {
  return description.media.reduce((count, media) => count + media.attributes.filter((attribute) => attribute.name === 'candidate').length, 0);
}

/** Keeps only `payloadTypes` on the audio m= line(s), with their rtpmap, fmtp and rtcp-fb lines. */
export function keepPayloadTypes(description: SessionDescription, payloadTypes: readonly number[]): SessionDescription {
  const kept = payloadTypes.map(String);
  return {
    ...description,
    media: description.media.map((media) =>
      media.media !== 'audio'
        ? media
        : {
            ...media,
            formats: media.formats.filter((format) => kept.includes(format)),
            attributes: media.attributes.filter((attribute) => !PER_FORMAT_ATTRIBUTES.includes(attribute.name) || kept.includes(attribute.value?.split(' ')[0] ?? '')),
          },
    ),
  };
}

function mapAttributes(description: SessionDescription, keep: (attribute: SdpAttribute) => boolean): SessionDescription {
  return { ...description, media: description.media.map((media) => ({ ...media, attributes: media.attributes.filter(keep) })) };
}

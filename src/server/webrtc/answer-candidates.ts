/**
 * Keeps only the answer's ICE candidates on the address the leg listens on.
 * werift lists a host candidate for every interface it finds, but binds its
 * sockets to one address (iceInterfaceAddresses), so the others would send
 * the browser's checks to a port nothing listens on.
 */
import type { SessionDescription } from '../../sdp/session-description.ts';

/** RFC 8839 section 5.1: foundation component transport priority address port "typ" type ... */
const CANDIDATE_ADDRESS_FIELD = 4;

export function keepCandidatesOn(description: SessionDescription, address: string): SessionDescription {
  return {
    ...description,
    media: description.media.map((media) => ({
      ...media,
      attributes: media.attributes.filter((attribute) => attribute.name !== 'candidate' || attribute.value?.split(' ')[CANDIDATE_ADDRESS_FIELD] === address),
    })),
  };
}

export function candidateCount(description: SessionDescription): number {
  return description.media.reduce((count, media) => count + media.attributes.filter((attribute) => attribute.name === 'candidate').length, 0);
}

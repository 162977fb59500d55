/**
 * Reading the attributes of one m= section: rtpmap and fmtp (RFC 4566
 * section 6), direction (section 6 and RFC 3264 section 5.1, session level
 * as default), ptime, rtcp-mux (RFC 5761), and the ICE (RFC 8839) and DTLS
 * (RFC 8122, RFC 4145) attributes a WebRTC layer needs, collected but not
 * interpreted.
 */
import { attributeValues, hasAttribute, type SdpMedia, type SessionDescription } from './session-description.ts';

export interface RtpMap {
  readonly encoding: string;
  readonly clockRate: number;
  readonly channels: number | undefined;
}

/** RFC 3551 section 6 Table 4: the static payload types the core may meet without an rtpmap. */
const STATIC_PAYLOAD_TYPES: Readonly<Record<string, RtpMap>> = {
  '0': { encoding: 'PCMU', clockRate: 8000, channels: 1 },
  '8': { encoding: 'PCMA', clockRate: 8000, channels: 1 },
  '9': { encoding: 'G722', clockRate: 8000, channels: 1 },
  '18': { encoding: 'G729', clockRate: 8000, channels: 1 },
};

/** The rtpmap of a format, falling back to the static table for 0-95. */
export function rtpMap(media: SdpMedia, format: string): RtpMap | undefined {
  for (const value of attributeValues(media.attributes, 'rtpmap')) {
    const match = /^(\d+) ([^/\s]+)\/(\d+)(?:\/(\d+))?\s*$/.exec(value);
    if (match && match[1] === format) {
      return { encoding: match[2]!, clockRate: Number(match[3]), channels: match[4] === undefined ? undefined : Number(match[4]) };
    }
  }
  return STATIC_PAYLOAD_TYPES[format];
}

export function fmtp(media: SdpMedia, format: string): string | undefined {
  for (const value of attributeValues(media.attributes, 'fmtp')) {
    const space = value.indexOf(' ');
    if (space > 0 && value.slice(0, space) === format) return value.slice(space + 1).trim();
  }
  return undefined;
}

export const DIRECTIONS = ['sendrecv', 'sendonly', 'recvonly', 'inactive'] as const;
export type MediaDirection = (typeof DIRECTIONS)[number];

/** RFC 3264 section 5.1: the media-level direction, else the session-level one, else sendrecv. */
export function mediaDirection(description: SessionDescription, media: SdpMedia): MediaDirection {
  const find = (attributes: SdpMedia['attributes']) => DIRECTIONS.find((direction) => hasAttribute(attributes, direction));
  return find(media.attributes) ?? find(description.attributes) ?? 'sendrecv';
}

export function ptime(media: SdpMedia): number | undefined {
  const value = attributeValues(media.attributes, 'ptime')[0];
  return value !== undefined && /^\d+(\.\d+)?$/.test(value.trim()) ? Number(value) : undefined;
}

export interface IceDtlsParameters {
  readonly iceUfrag: string | undefined;
  readonly icePwd: string | undefined;
  readonly iceOptions: string | undefined;
  /** The a=candidate values as written (RFC 8839 section 5.1). */
  readonly candidates: readonly string[];
  readonly endOfCandidates: boolean;
  /** a=fingerprint: hash function and value (RFC 8122 section 5). */
  readonly fingerprint: { readonly hash: string; readonly value: string } | undefined;
  /** a=setup: actpass, active, passive or holdconn (RFC 4145 section 4). */
  readonly setup: string | undefined;
}

/** ICE and DTLS attributes, media level over session level (RFC 8839 section 5, RFC 8122 section 5). */
export function iceDtlsParameters(description: SessionDescription, media: SdpMedia): IceDtlsParameters {
  const pick = (name: string) => attributeValues(media.attributes, name)[0] ?? attributeValues(description.attributes, name)[0];
  const fingerprint = pick('fingerprint')?.trim().split(/\s+/);
  return {
    iceUfrag: pick('ice-ufrag'),
    icePwd: pick('ice-pwd'),
    iceOptions: pick('ice-options'),
    candidates: attributeValues(media.attributes, 'candidate'),
    endOfCandidates: hasAttribute(media.attributes, 'end-of-candidates'),
    fingerprint: fingerprint?.length === 2 ? { hash: fingerprint[0]!.toLowerCase(), value: fingerprint[1]! } : undefined,
    setup: pick('setup'),
  };
}

/**
 * RTP packets (RFC 3550 section 5.1) to and from bytes. Parsing returns
 * views into the input (payload, extension data), so nothing is copied.
 */
import { RTP_HEADER_BYTES, RTP_VERSION } from './rtp-constants.ts';
import { RtpParseError } from './rtp-error.ts';

export interface RtpHeaderExtension {
  /** The 16-bit profile-defined field (0xBEDE for RFC 8285 one-byte headers). */
  readonly profile: number;
  /** The extension body, a multiple of 4 bytes. */
  readonly data: Uint8Array;
}

export interface RtpPacket {
  readonly marker: boolean;
  readonly payloadType: number;
  readonly sequenceNumber: number;
  readonly timestamp: number;
  readonly ssrc: number;
  readonly csrcs: readonly number[];
  readonly extension: RtpHeaderExtension | undefined;
  readonly payload: Uint8Array;
  /** Padding bytes after the payload, the last of which holds their count (0 when P is clear). */
  readonly paddingBytes: number;
}

export function parseRtpPacket(bytes: Uint8Array): RtpPacket {
  if (bytes.length < RTP_HEADER_BYTES) throw new RtpParseError('too-short', `${bytes.length} bytes, the fixed header needs ${RTP_HEADER_BYTES}`);
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const first = bytes[0]!;
  const version = first >> 6;
  if (version !== RTP_VERSION) throw new RtpParseError('bad-version', `version ${version}, expected ${RTP_VERSION}`);
  const padding = (first & 0x20) !== 0;
  const hasExtension = (first & 0x10) !== 0;
  const csrcCount = first & 0x0f;
  let offset = RTP_HEADER_BYTES + 4 * csrcCount;
  if (offset > bytes.length) throw new RtpParseError('truncated-csrc', `${csrcCount} CSRCs do not fit in ${bytes.length} bytes`);
  const csrcs: number[] = [];
  for (let i = 0; i < csrcCount; i++) csrcs.push(view.getUint32(RTP_HEADER_BYTES + 4 * i));
  let extension: RtpHeaderExtension | undefined;
  if (hasExtension) {
    // Section 5.3.1: 16 bits profile, 16 bits length in 32-bit words, then the data.
    if (offset + 4 > bytes.length) throw new RtpParseError('truncated-extension', 'header extension cut short');
    const words = view.getUint16(offset + 2);
    const end = offset + 4 + 4 * words;
    if (end > bytes.length) throw new RtpParseError('truncated-extension', `header extension of ${words} words does not fit`);
    extension = { profile: view.getUint16(offset), data: bytes.subarray(offset + 4, end) };
    offset = end;
  }
  let paddingBytes = 0;
  if (padding) {
    // Section 5.1: the last byte counts the padding, itself included.
    paddingBytes = bytes[bytes.length - 1] ?? 0;
    if (paddingBytes === 0 || offset + paddingBytes > bytes.length) throw new RtpParseError('bad-padding', `padding count ${paddingBytes} does not fit`);
  }
  return {
    marker: (bytes[1]! & 0x80) !== 0,
    payloadType: bytes[1]! & 0x7f,
    sequenceNumber: view.getUint16(2),
    timestamp: view.getUint32(4),
    ssrc: view.getUint32(8),
    csrcs,
    extension,
    payload: bytes.subarray(offset, bytes.length - paddingBytes),
    paddingBytes,
  };
}

export type RtpPacketFields = Pick<RtpPacket, 'payloadType' | 'sequenceNumber' | 'timestamp' | 'ssrc' | 'payload'> & Partial<Pick<RtpPacket, 'marker' | 'csrcs' | 'extension' | 'paddingBytes'>>;

export function buildRtpPacket(fields: RtpPacketFields): Uint8Array {
  const csrcs = fields.csrcs ?? [];
  const extension = fields.extension;
  const paddingBytes = fields.paddingBytes ?? 0;
  if (csrcs.length > 15) throw new RangeError('at most 15 CSRCs');
  if (extension && extension.data.length % 4 !== 0) throw new RangeError('extension data must be a multiple of 4 bytes');
  if (paddingBytes > 255) throw new RangeError('at most 255 padding bytes');
  const extensionBytes = extension ? 4 + extension.data.length : 0;
  const headerBytes = RTP_HEADER_BYTES + 4 * csrcs.length + extensionBytes;
  const bytes = new Uint8Array(headerBytes + fields.payload.length + paddingBytes);
  const view = new DataView(bytes.buffer);
  bytes[0] = (RTP_VERSION << 6) | (paddingBytes > 0 ? 0x20 : 0) | (extension ? 0x10 : 0) | csrcs.length;
  bytes[1] = (fields.marker ? 0x80 : 0) | (fields.payloadType & 0x7f);
  view.setUint16(2, fields.sequenceNumber & 0xffff);
  view.setUint32(4, fields.timestamp >>> 0);
  view.setUint32(8, fields.ssrc >>> 0);
  csrcs.forEach((csrc, i) => view.setUint32(RTP_HEADER_BYTES + 4 * i, csrc >>> 0));
  if (extension) {
    const at = RTP_HEADER_BYTES + 4 * csrcs.length;
    view.setUint16(at, extension.profile);
    view.setUint16(at + 2, extension.data.length / 4);
    bytes.set(extension.data, at + 4);
  }
  bytes.set(fields.payload, headerBytes);
  if (paddingBytes > 0) bytes[bytes.length - 1] = paddingBytes;
  return bytes;
}

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

/** Bytes a packet of these fields takes: the header with its CSRCs and extension, the payload and the padding. */
export function rtpPacketLength(fields: RtpPacketFields): number {
  const extensionBytes = fields.extension ? 4 + fields.extension.data.length : 0;
  return RTP_HEADER_BYTES + 4 * (fields.csrcs?.length ?? 0) + extensionBytes + fields.payload.length + (fields.paddingBytes ?? 0);
}

/**
 * The packet's bytes, written into `into` when given (exactly
 * rtpPacketLength(fields) bytes: a sender carving packets from a larger
 * buffer saves an allocation per packet), else into a new array.
 */
export function buildRtpPacket(fields: RtpPacketFields, into?: Uint8Array): Uint8Array {
  const csrcs = fields.csrcs ?? [];
  const extension = fields.extension;
  const paddingBytes = fields.paddingBytes ?? 0;
  if (csrcs.length > 15) throw new RangeError('at most 15 CSRCs');
  if (extension && extension.data.length % 4 !== 0) throw new RangeError('extension data must be a multiple of 4 bytes');
  if (paddingBytes > 255) throw new RangeError('at most 255 padding bytes');
  const length = rtpPacketLength(fields);
  if (into && into.length !== length) throw new RangeError(`the packet takes ${length} bytes, not ${into.length}`);
  const bytes = into ?? new Uint8Array(length);
  const headerBytes = length - fields.payload.length - paddingBytes;
  bytes[0] = (RTP_VERSION << 6) | (paddingBytes > 0 ? 0x20 : 0) | (extension ? 0x10 : 0) | csrcs.length;
  bytes[1] = (fields.marker ? 0x80 : 0) | (fields.payloadType & 0x7f);
  writeUint16(bytes, 2, fields.sequenceNumber);
  writeUint32(bytes, 4, fields.timestamp);
  writeUint32(bytes, 8, fields.ssrc);
  for (let i = 0; i < csrcs.length; i++) writeUint32(bytes, RTP_HEADER_BYTES + 4 * i, csrcs[i]!);
  if (extension) {
    const at = RTP_HEADER_BYTES + 4 * csrcs.length;
    writeUint16(bytes, at, extension.profile);
    writeUint16(bytes, at + 2, extension.data.length / 4);
    bytes.set(extension.data, at + 4);
  }
  bytes.set(fields.payload, headerBytes);
  if (paddingBytes > 0) {
    bytes.fill(0, headerBytes + fields.payload.length);
    bytes[bytes.length - 1] = paddingBytes;
  }
  return bytes;
}

/** Network byte order (RFC 3550 section 5.1). */
function writeUint16(bytes: Uint8Array, at: number, value: number): void {
  bytes[at] = (value >>> 8) & 0xff;
  bytes[at + 1] = value & 0xff;
}

function writeUint32(bytes: Uint8Array, at: number, value: number): void {
  writeUint16(bytes, at, (value >>> 16) & 0xffff);
  writeUint16(bytes, at + 2, value & 0xffff);
}

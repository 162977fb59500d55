/**
 * RIFF container walking (Microsoft/IBM "Multimedia Programming Interface
 * and Data Specifications 1.0", 1991, ch. 2): a 12-byte header
 * `RIFF <size> <form>`, then chunks `<id> <size> <body>` whose bodies are
 * padded to an even length. Only chunk headers are read here, so a chunk
 * that claims 4 GB costs nothing; bodies are read later by whoever needs them.
 */
import { WavParseError } from './wav-errors.ts';

/** Random access to the bytes of a file or buffer. */
export interface ByteSource {
  /** Total number of bytes. */
  readonly size: number;
  /** Up to `length` bytes from `position`; fewer only at the end. */
  read(position: number, length: number): Promise<Uint8Array>;
}

/** A ByteSource over bytes already in memory. */
export function memoryByteSource(bytes: Uint8Array): ByteSource {
  return {
    size: bytes.length,
    read: async (position, length) => bytes.subarray(position, Math.min(bytes.length, position + length)),
  };
}

export const RIFF = {
  /** `RIFF` + size + form type. */
  HEADER_BYTES: 12,
  /** Chunk id + size. */
  CHUNK_HEADER_BYTES: 8,
  /** Size fields are unsigned 32-bit; this value often means "unknown, to end of file". */
  SIZE_UNKNOWN: 0xffffffff,
  /** A file with more chunks than this before its audio is not a plausible WAV. */
  MAX_CHUNKS: 4096,
} as const;

export interface RiffHeader {
  /** Four-character form type, `WAVE` for WAV. */
  readonly formType: string;
  /** The size the header declares (bytes after the first 8). */
  readonly declaredSize: number;
}

export interface RiffChunk {
  /** Four-character id, e.g. `fmt `, `data`, `LIST`. */
  readonly id: string;
  /** Offset of the chunk's 8-byte header. */
  readonly headerOffset: number;
  /** Offset of the first body byte. */
  readonly bodyOffset: number;
  /** Body size the chunk header declares. */
  readonly declaredSize: number;
  /** Body bytes actually present in the file (less than declared when truncated). */
  readonly presentSize: number;
}

export interface RiffWalk {
  readonly chunks: RiffChunk[];
  /** Why the walk ended. */
  readonly stop: 'end' | 'until' | 'garbage';
  /** Offset where bytes that are not a chunk header were found (stop = 'garbage'). */
  readonly garbageOffset?: number;
}

function fourCc(bytes: Uint8Array, offset: number): string {
  return String.fromCharCode(bytes[offset]!, bytes[offset + 1]!, bytes[offset + 2]!, bytes[offset + 3]!);
}

function readUint32(bytes: Uint8Array, offset: number): number {
  return (bytes[offset]! | (bytes[offset + 1]! << 8) | (bytes[offset + 2]! << 16) | (bytes[offset + 3]! << 24)) >>> 0;
}

/** A chunk id is four printable ASCII characters (space allowed, as in `fmt `). */
function isChunkId(bytes: Uint8Array, offset: number): boolean {
  for (let i = offset; i < offset + 4; i++) {
    const c = bytes[i];
    if (c === undefined || c < 0x20 || c > 0x7e) return false;
  }
  return true;
}

/** Reads and checks the 12-byte RIFF header. */
export async function readRiffHeader(source: ByteSource, file: string): Promise<RiffHeader> {
  if (source.size === 0) throw new WavParseError(file, 'empty-file', 'empty file (0 bytes), not a WAV file');
  const head = await source.read(0, RIFF.HEADER_BYTES);
  const magic = head.length >= 4 ? fourCc(head, 0) : '';
  if (magic === 'RIFX') {
    throw new WavParseError(file, 'unsupported-container', 'big-endian RIFX files are not supported (only little-endian RIFF)');
  }
  if (magic === 'RF64' || magic === 'BW64') {
    throw new WavParseError(file, 'unsupported-container', `${magic} (64-bit WAV) files are not supported`);
  }
  if (magic !== 'RIFF') throw new WavParseError(file, 'not-riff', 'not a WAV file (no RIFF header)');
  if (head.length < RIFF.HEADER_BYTES) {
    throw new WavParseError(file, 'truncated-header', `truncated RIFF header (${head.length} of 12 bytes)`);
  }
  const formType = fourCc(head, 8);
  if (formType !== 'WAVE') {
    throw new WavParseError(file, 'not-wave', `RIFF file of form '${formType.replace(/[^\x20-\x7e]/g, '?')}', not WAVE`);
  }
  return { formType, declaredSize: readUint32(head, 4) };
}

export interface WalkOptions {
  /** Offset of the first chunk header (12 after a RIFF header). */
  start: number;
  /** No chunk header is read at or beyond this offset. */
  end: number;
  /** Stops the walk after the chunk for which this returns true. */
  until?: (chunk: RiffChunk) => boolean;
}

/**
 * Lists chunk headers from `start`. Bodies of odd size are followed by a pad
 * byte; some writers omit it, so when the padded position does not hold a
 * chunk id but the unpadded one does, the walk follows the unpadded one.
 */
export async function walkRiffChunks(source: ByteSource, file: string, options: WalkOptions): Promise<RiffWalk> {
  const { end } = options;
  const chunks: RiffChunk[] = [];
  let offset = options.start;
  while (offset + RIFF.CHUNK_HEADER_BYTES <= end) {
    // One read covers the header and the byte before it, for the pad check.
    const from = offset > 0 ? offset - 1 : 0;
    const bytes = await source.read(from, offset - from + RIFF.CHUNK_HEADER_BYTES + 1);
    let at = offset - from;
    if (!isChunkId(bytes, at)) {
      const previous = chunks.at(-1);
      const unpadded = previous !== undefined && previous.declaredSize % 2 === 1 && isChunkId(bytes, at - 1);
      if (!unpadded) return { chunks, stop: 'garbage', garbageOffset: offset };
      offset -= 1;
      at -= 1;
      if (offset + RIFF.CHUNK_HEADER_BYTES > end) break;
    }
    const declaredSize = readUint32(bytes, at + 4);
    const bodyOffset = offset + RIFF.CHUNK_HEADER_BYTES;
    const presentSize = Math.max(0, Math.min(declaredSize, source.size - bodyOffset));
    const chunk: RiffChunk = { id: fourCc(bytes, at), headerOffset: offset, bodyOffset, declaredSize, presentSize };
    chunks.push(chunk);
    if (options.until?.(chunk)) return { chunks, stop: 'until' };
    if (chunks.length >= RIFF.MAX_CHUNKS) {
      throw new WavParseError(file, 'too-many-chunks', `more than ${RIFF.MAX_CHUNKS} RIFF chunks before the audio; not a plausible WAV file`);
    }
    offset = bodyOffset + declaredSize + (declaredSize % 2);
  }
  return { chunks, stop: 'end' };
}

/**
 * Finds the format and the audio of a WAV file by walking its chunks, and
 * decides what to do with sizes that do not add up:
 *
 * - A `data` chunk that declares more bytes than the file holds (a recording
 *   cut short, or a streaming writer's placeholder size) is decoded as far as
 *   it goes, with a warning. A file that ends inside `fmt ` is an error.
 * - A RIFF size that disagrees with the file only earns a warning: chunks are
 *   looked for up to the end of the file, and the walk stops as soon as
 *   `fmt ` and `data` are found, so bytes appended after them are ignored.
 * - A `data` size smaller than the bytes that follow is honoured: only the
 *   declared bytes are audio.
 * - A `data` size of 0 followed by audio rather than another chunk is a
 *   streaming writer's placeholder: the audio runs to the end of the file.
 * - An empty `data` chunk is not an error: the result has no samples and a
 *   'no audio' warning.
 */
import { FMT_BYTES, FORMAT_TAG, parseFmtChunk, type WavFormat } from './wav-format.ts';
import { WavParseError } from './wav-errors.ts';
import { readRiffHeader, RIFF, walkRiffChunks, type ByteSource, type RiffChunk, type RiffWalk } from './riff-chunks.ts';

export interface WavLayout {
  readonly format: WavFormat;
  /** Offset of the first audio byte. */
  readonly dataOffset: number;
  /** Whole frames of audio that are both declared and present. */
  readonly frames: number;
  /** Problems that did not stop decoding, one sentence each, without the file name. */
  readonly warnings: string[];
}

/** Enough of any fmt variant dialin-sim reads; the rest (cbSize extras) is skipped. */
const FMT_READ_BYTES = 64;

function overrunHint(walk: RiffWalk, fileSize: number): string {
  const overrun = walk.chunks.find((chunk) => chunk.presentSize < chunk.declaredSize);
  if (overrun) {
    return ` (the '${overrun.id}' chunk at byte ${overrun.headerOffset} declares ${overrun.declaredSize} bytes, past the end of the ${fileSize}-byte file)`;
  }
  if (walk.stop === 'garbage') return ` (bytes at offset ${walk.garbageOffset} are not a chunk header)`;
  return '';
}

function chunkList(walk: RiffWalk): string {
  return walk.chunks.length === 0 ? 'no chunks' : `chunks: ${walk.chunks.map((c) => `'${c.id}'`).join(', ')}`;
}

async function readFormat(source: ByteSource, file: string, fmt: RiffChunk): Promise<WavFormat> {
  if (fmt.presentSize < fmt.declaredSize) {
    throw new WavParseError(file, 'truncated-header', `file ends inside the fmt chunk (${fmt.presentSize} of ${fmt.declaredSize} bytes present)`);
  }
  const body = await source.read(fmt.bodyOffset, Math.min(fmt.declaredSize, FMT_READ_BYTES));
  const tag = body.length >= 2 ? body[0]! | (body[1]! << 8) : 0;
  if (tag === FORMAT_TAG.EXTENSIBLE && body.length < FMT_BYTES.EXTENSIBLE && fmt.declaredSize >= FMT_BYTES.EXTENSIBLE) {
    throw new WavParseError(file, 'truncated-header', 'file ends inside the fmt chunk');
  }
  return parseFmtChunk(body, file);
}

/** True when the 4 bytes at `offset` look like a chunk id rather than audio. */
async function chunkIdAt(source: ByteSource, offset: number): Promise<boolean> {
  const bytes = await source.read(offset, 4);
  return bytes.length === 4 && bytes.every((c) => c >= 0x20 && c <= 0x7e);
}

export async function readWavLayout(source: ByteSource, file: string): Promise<WavLayout> {
  const header = await readRiffHeader(source, file);
  const seen = new Set<string>();
  const walk = await walkRiffChunks(source, file, {
    start: RIFF.HEADER_BYTES,
    end: source.size,
    until: (chunk) => {
      seen.add(chunk.id);
      return seen.has('fmt ') && seen.has('data');
    },
  });
  const fmt = walk.chunks.find((c) => c.id === 'fmt ');
  if (!fmt) {
    throw new WavParseError(file, 'missing-fmt', `no fmt chunk, so the audio format is unknown (${chunkList(walk)})${overrunHint(walk, source.size)}`);
  }
  const format = await readFormat(source, file, fmt);
  const data = walk.chunks.find((c) => c.id === 'data');
  if (!data) {
    throw new WavParseError(file, 'missing-data', `no data chunk, so there is no audio (${chunkList(walk)})${overrunHint(walk, source.size)}`);
  }

  const warnings: string[] = [];
  let audioBytes = data.presentSize;
  if (data.declaredSize === 0 && data.bodyOffset < source.size && !(await chunkIdAt(source, data.bodyOffset))) {
    audioBytes = source.size - data.bodyOffset;
    warnings.push(`data chunk declares 0 bytes but audio follows; reading ${audioBytes} bytes to the end of the file`);
  } else if (data.presentSize < data.declaredSize) {
    warnings.push(`data chunk declares ${data.declaredSize} bytes but the file holds only ${data.presentSize} (truncated); decoding what is present`);
  } else {
    // 0 and 0xFFFFFFFF are the usual "length unknown" placeholders of streaming writers.
    const declaredEnd = 8 + header.declaredSize;
    const placeholder = header.declaredSize === 0 || header.declaredSize === RIFF.SIZE_UNKNOWN;
    const dataEnd = data.bodyOffset + data.presentSize;
    if (!placeholder && (declaredEnd > source.size || declaredEnd < dataEnd)) {
      warnings.push(`RIFF header declares ${declaredEnd} bytes but the file has ${source.size}`);
    }
  }
  const frames = Math.floor(audioBytes / format.blockAlign);
  const leftover = audioBytes - frames * format.blockAlign;
  if (leftover > 0) {
    warnings.push(`audio ends with ${leftover} byte(s) of a partial ${format.blockAlign}-byte frame; ignored`);
  }
  if (frames === 0) warnings.push('no audio: the data chunk is empty');
  return { format, dataOffset: data.bodyOffset, frames, warnings };
}

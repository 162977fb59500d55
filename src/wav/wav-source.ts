/**
 * A WAV file as an audio source: an AsyncIterable of 16-bit chunks, like a
 * socket or a synthesized press, so the decoder sees files and live calls
 * through the same interface. The file is read chunk by chunk as the
 * consumer pulls, never loaded whole.
 */
import { memoryByteSource, type ByteSource } from './riff-chunks.ts';
import { openFileByteSource } from './file-byte-source.ts';
import { readWavLayout } from './wav-layout.ts';
import { readChannelBlocks, selectChannel, wavInfo, type WavInfo } from './wav-reader.ts';
import { AudioParameterError } from '../errors.ts';

export interface WavSourceOptions {
  /** Channel to decode, 1-based. Default 1. */
  channel?: number;
  /** Duration of each chunk in ms. Default 20, the usual telephony frame. */
  chunkMs?: number;
  /** Ends the iteration (with the signal's reason) when aborted. */
  signal?: AbortSignal;
}

export const DEFAULT_WAV_SOURCE_OPTIONS = { channel: 1, chunkMs: 20 } as const;

export interface WavSource extends AsyncIterable<Int16Array> {
  readonly sampleRate: number;
  /** Format, duration and warnings of the file. */
  readonly info: WavInfo;
  /** Releases the file; iterating to the end or breaking out also does. */
  close(): Promise<void>;
}

async function fromByteSource(
  source: ByteSource & { close?(): Promise<void> },
  file: string,
  options: WavSourceOptions,
): Promise<WavSource> {
  const channel = options.channel ?? DEFAULT_WAV_SOURCE_OPTIONS.channel;
  const chunkMs = options.chunkMs ?? DEFAULT_WAV_SOURCE_OPTIONS.chunkMs;
  if (!Number.isFinite(chunkMs) || chunkMs <= 0) {
    throw new AudioParameterError(`chunk duration must be more than 0 ms, got ${chunkMs}`);
  }
  const close = async () => source.close?.();
  try {
    const layout = await readWavLayout(source, file);
    const channelIndex = selectChannel(layout, file, channel);
    const info = wavInfo(layout, channel);
    const framesPerChunk = Math.max(1, Math.round((info.sampleRate * chunkMs) / 1000));
    return {
      sampleRate: info.sampleRate,
      info,
      close,
      async *[Symbol.asyncIterator]() {
        try {
          yield* readChannelBlocks(source, layout, channelIndex, framesPerChunk, options.signal);
        } finally {
          await close();
        }
      },
    };
  } catch (error) {
    await close();
    throw error;
  }
}

/** Opens a WAV file as a source. Errors name `path` as given. */
export async function openWavSource(path: string, options: WavSourceOptions = {}): Promise<WavSource> {
  return fromByteSource(await openFileByteSource(path), path, options);
}

/** A source over WAV bytes in memory; `name` is used in messages. */
export async function wavSourceFromBytes(
  bytes: Uint8Array,
  options: WavSourceOptions & { name?: string } = {},
): Promise<WavSource> {
  return fromByteSource(memoryByteSource(bytes), options.name ?? '(buffer)', options);
}

/**
 * Reads one channel of a WAV file as 16-bit samples, whatever its encoding.
 * See wav-layout.ts for how truncated and inconsistent files are treated.
 */
import { AudioParameterError } from '../errors.ts';
import { memoryByteSource, type ByteSource } from './riff-chunks.ts';
import { openFileByteSource } from './file-byte-source.ts';
import type { WavEncoding } from './wav-format.ts';
import { readWavLayout, type WavLayout } from './wav-layout.ts';
import { decodeChannel } from './wav-samples.ts';

export interface WavReadOptions {
  /** Channel to decode, 1-based. Default 1. */
  channel?: number;
}

/** What a WAV file holds, as decoded. */
export interface WavInfo {
  readonly sampleRate: number;
  /** Channels in the file (only one is decoded). */
  readonly channels: number;
  readonly encoding: WavEncoding;
  /** Bits per sample in the file (before conversion to 16-bit). */
  readonly bitsPerSample: number;
  /** The decoded channel, 1-based. */
  readonly channel: number;
  /** Samples of the decoded channel. */
  readonly sampleCount: number;
  readonly durationMs: number;
  /** Problems that did not stop decoding (truncation, no audio), without the file name. */
  readonly warnings: readonly string[];
}

export interface WavAudio extends WavInfo {
  /** The selected channel as 16-bit PCM. */
  readonly samples: Int16Array;
}

export const DEFAULT_WAV_READ_OPTIONS = { channel: 1 } as const;

/** Checks the channel option against the file; returns it 0-based. */
export function selectChannel(layout: WavLayout, file: string, channel: number): number {
  if (!Number.isInteger(channel) || channel < 1) {
    throw new AudioParameterError(`channel must be a whole number from 1, got ${channel}`);
  }
  const { channels } = layout.format;
  if (channel > channels) {
    throw new AudioParameterError(`${file}: channel ${channel} requested but the file has ${channels} channel${channels === 1 ? '' : 's'}`);
  }
  return channel - 1;
}

export function wavInfo(layout: WavLayout, channel: number): WavInfo {
  const { format } = layout;
  return {
    sampleRate: format.sampleRate,
    channels: format.channels,
    encoding: format.encoding,
    bitsPerSample: format.bitsPerSample,
    channel,
    sampleCount: layout.frames,
    durationMs: (layout.frames * 1000) / format.sampleRate,
    warnings: layout.warnings,
  };
}

/**
 * Yields the chosen channel in blocks of `framesPerBlock` samples (the last
 * one shorter). Stops early when `signal` aborts.
 */
export async function* readChannelBlocks(
  source: ByteSource,
  layout: WavLayout,
  channelIndex: number,
  framesPerBlock: number,
  signal?: AbortSignal,
): AsyncGenerator<Int16Array> {
  const { blockAlign } = layout.format;
  for (let frame = 0; frame < layout.frames; frame += framesPerBlock) {
    signal?.throwIfAborted();
    const count = Math.min(framesPerBlock, layout.frames - frame);
    const bytes = await source.read(layout.dataOffset + frame * blockAlign, count * blockAlign);
    const samples = new Int16Array(count);
    decodeChannel(bytes, layout.format, channelIndex, samples);
    yield samples;
  }
}

const READ_BLOCK_FRAMES = 1 << 16;

async function readFromSource(source: ByteSource, file: string, options: WavReadOptions): Promise<WavAudio> {
  const channel = options.channel ?? DEFAULT_WAV_READ_OPTIONS.channel;
  const layout = await readWavLayout(source, file);
  const channelIndex = selectChannel(layout, file, channel);
  const samples = new Int16Array(layout.frames);
  let at = 0;
  for await (const block of readChannelBlocks(source, layout, channelIndex, READ_BLOCK_FRAMES)) {
    samples.set(block, at);
    at += block.length;
  }
  return { ...wavInfo(layout, channel), samples };
}

/** Reads a WAV file; errors name `path` as given. */
export async function readWav(path: string, options: WavReadOptions = {}): Promise<WavAudio> {
  const source = await openFileByteSource(path);
  try {
    return await readFromSource(source, path, options);
  } finally {
    await source.close();
  }
}

/** Decodes WAV bytes already in memory; `name` is used in messages. */
export async function decodeWav(bytes: Uint8Array, options: WavReadOptions & { name?: string } = {}): Promise<WavAudio> {
  return readFromSource(memoryByteSource(bytes), options.name ?? '(buffer)', options);
}

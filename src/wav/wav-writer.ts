/**
 * Writes 16-bit PCM, µ-law or A-law WAV files, mono or interleaved
 * multi-channel. PCM files get the canonical 44-byte header (byte for byte
 * what the `wav` package's Writer produces); G.711 files get the 18-byte
 * WAVEFORMATEX and the `fact` chunk that non-PCM formats require
 * (Microsoft "Multimedia Programming Interface and Data Specifications 1.0").
 */
import { writeFile } from 'node:fs/promises';
import { encodeAlaw, encodeMulaw } from '../dsp/g711.ts';
import { checkSampleRate } from '../dsp/dtmf-generator.ts';
import { AudioParameterError } from '../errors.ts';
import { FORMAT_TAG } from './wav-format.ts';
import { fileSystemError } from './wav-errors.ts';

export const WAV_WRITE_ENCODINGS = ['pcm16', 'mulaw', 'alaw'] as const;
export type WavWriteEncoding = (typeof WAV_WRITE_ENCODINGS)[number];

export interface WavWriteInput {
  /** Samples per second, 8000 to 48000. */
  sampleRate: number;
  /** Channels interleaved in `samples`. Default 1. */
  channels?: number;
  /** Sample encoding in the file. Default 'pcm16'. */
  encoding?: WavWriteEncoding;
  /** 16-bit samples, interleaved when there are several channels. */
  samples: Int16Array;
}

const MAX_CHANNELS = 64;
/** Largest data chunk whose sizes still fit the 32-bit RIFF size field. */
const MAX_DATA_BYTES = 0xffffffff - 100;

export function isWavWriteEncoding(value: string): value is WavWriteEncoding {
  return (WAV_WRITE_ENCODINGS as readonly string[]).includes(value);
}

function validate(input: WavWriteInput, channels: number, encoding: string): void {
  checkSampleRate(input.sampleRate);
  if (!Number.isInteger(channels) || channels < 1 || channels > MAX_CHANNELS) {
    throw new AudioParameterError(`channels must be a whole number from 1 to ${MAX_CHANNELS}, got ${channels}`);
  }
  if (!isWavWriteEncoding(encoding)) {
    throw new AudioParameterError(`encoding must be one of ${WAV_WRITE_ENCODINGS.join(', ')}, got '${encoding}'`);
  }
  if (input.samples.length % channels !== 0) {
    throw new AudioParameterError(`${input.samples.length} samples do not divide into ${channels} channels`);
  }
}

/** A complete WAV file in memory. */
export function writeWav(input: WavWriteInput): Buffer {
  const channels = input.channels ?? 1;
  const encoding = input.encoding ?? 'pcm16';
  validate(input, channels, encoding);
  const { sampleRate, samples } = input;
  const pcm = encoding === 'pcm16';
  const bytesPerSample = pcm ? 2 : 1;
  const dataBytes = samples.length * bytesPerSample;
  if (dataBytes > MAX_DATA_BYTES) {
    throw new AudioParameterError(`${dataBytes} bytes of audio do not fit in a WAV file (4 GiB limit)`);
  }
  const fmtBytes = pcm ? 16 : 18;
  const factBytes = pcm ? 0 : 12;
  const pad = dataBytes % 2;
  const total = 12 + 8 + fmtBytes + factBytes + 8 + dataBytes + pad;
  const out = Buffer.alloc(total);
  let at = 0;
  const ascii = (text: string) => (at += out.write(text, at, 'ascii'));
  const u16 = (value: number) => (at = out.writeUInt16LE(value, at));
  const u32 = (value: number) => (at = out.writeUInt32LE(value, at));

  ascii('RIFF');
  u32(total - 8);
  ascii('WAVE');
  ascii('fmt ');
  u32(fmtBytes);
  u16(pcm ? FORMAT_TAG.PCM : encoding === 'mulaw' ? FORMAT_TAG.MULAW : FORMAT_TAG.ALAW);
  u16(channels);
  u32(sampleRate);
  u32(sampleRate * channels * bytesPerSample);
  u16(channels * bytesPerSample);
  u16(bytesPerSample * 8);
  if (!pcm) {
    u16(0); // cbSize: no extra format bytes
    ascii('fact');
    u32(4);
    u32(samples.length / channels);
  }
  ascii('data');
  u32(dataBytes);
  if (pcm) {
    for (let i = 0; i < samples.length; i++) at = out.writeInt16LE(samples[i]!, at);
  } else {
    const codes = out.subarray(at, at + dataBytes);
    if (encoding === 'mulaw') encodeMulaw(samples, codes);
    else encodeAlaw(samples, codes);
  }
  return out;
}

/** Writes a WAV file; resolves to its size in bytes. Errors name `path`. */
export async function writeWavFile(path: string, input: WavWriteInput): Promise<number> {
  const bytes = writeWav(input);
  try {
    await writeFile(path, bytes);
  } catch (error) {
    throw fileSystemError(path, error, 'write');
  }
  return bytes.length;
}

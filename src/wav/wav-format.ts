/**
 * The WAV `fmt ` chunk: WAVEFORMATEX and WAVE_FORMAT_EXTENSIBLE
 * (Microsoft mmreg.h; RFC 2361 "WAVE and AVI Codec Registries";
 * Microsoft "Multiple Channel Audio Data and WAVE Files", 2007).
 */
import { MAX_SAMPLE_RATE, MIN_SAMPLE_RATE } from '../dsp/dtmf-generator.ts';
import { WavParseError } from './wav-errors.ts';

/** Format tags (wFormatTag), RFC 2361 Appendix A. */
export const FORMAT_TAG = {
  PCM: 0x0001,
  IEEE_FLOAT: 0x0003,
  ALAW: 0x0006,
  MULAW: 0x0007,
  EXTENSIBLE: 0xfffe,
} as const;

/** Names of tags a user may meet, so an unsupported one is named in the error. */
const FORMAT_NAMES: Record<number, string> = {
  0x0000: 'unknown format',
  0x0001: 'PCM',
  0x0002: 'Microsoft ADPCM',
  0x0003: 'IEEE float',
  0x0006: 'G.711 A-law',
  0x0007: 'G.711 µ-law',
  0x0011: 'IMA ADPCM',
  0x0022: 'TrueSpeech',
  0x0031: 'GSM 6.10',
  0x0040: 'G.721 ADPCM',
  0x0042: 'G.723.1',
  0x0045: 'G.726 ADPCM',
  0x0050: 'MPEG audio',
  0x0055: 'MPEG Layer 3 (MP3)',
  0x0064: 'G.726 ADPCM (APICOM)',
  0x0065: 'G.722 ADPCM',
  0x00ff: 'AAC',
  0x1610: 'HE-AAC',
  0x2000: 'Dolby AC-3',
  0x674f: 'Ogg Vorbis',
  0xf1ac: 'FLAC',
  0xfffe: 'WAVE_FORMAT_EXTENSIBLE',
};

/**
 * KSDATAFORMAT_SUBTYPE_* GUIDs are the format tag in Data1 followed by a
 * fixed tail: {XXXXXXXX-0000-0010-8000-00AA00389B71}, stored little-endian.
 */
const SUBFORMAT_GUID_TAIL = [0x00, 0x00, 0x10, 0x00, 0x80, 0x00, 0x00, 0xaa, 0x00, 0x38, 0x9b, 0x71] as const;

export const WAV_ENCODINGS = ['pcm', 'float', 'mulaw', 'alaw'] as const;
/** How samples are stored: integer PCM, IEEE float, or G.711. */
export type WavEncoding = (typeof WAV_ENCODINGS)[number];

export interface WavFormat {
  readonly encoding: WavEncoding;
  /** The format tag that decided the encoding (the SubFormat's, for EXTENSIBLE). */
  readonly formatTag: number;
  /** True when the file uses WAVE_FORMAT_EXTENSIBLE. */
  readonly extensible: boolean;
  readonly channels: number;
  readonly sampleRate: number;
  /** Container bits per sample (8, 16, 24, 32 or 64). */
  readonly bitsPerSample: number;
  /** Bytes of one sample of one channel. */
  readonly bytesPerSample: number;
  /** Bytes of one frame (one sample of every channel). */
  readonly blockAlign: number;
}

/** Bits per sample each encoding can have. */
const SUPPORTED_BITS: Record<WavEncoding, readonly number[]> = {
  pcm: [8, 16, 24, 32],
  float: [32, 64],
  mulaw: [8],
  alaw: [8],
};

const ENCODING_BY_TAG: Record<number, WavEncoding> = {
  [FORMAT_TAG.PCM]: 'pcm',
  [FORMAT_TAG.IEEE_FLOAT]: 'float',
  [FORMAT_TAG.MULAW]: 'mulaw',
  [FORMAT_TAG.ALAW]: 'alaw',
};

/** "0x0055 (MPEG Layer 3 (MP3))" */
export function describeFormatTag(tag: number): string {
  const hex = `0x${tag.toString(16).padStart(4, '0')}`;
  const name = FORMAT_NAMES[tag];
  return name ? `${hex} (${name})` : hex;
}

function hexGuid(bytes: Uint8Array): string {
  const hex = (from: number, to: number, reverse: boolean) => {
    const part = Array.from(bytes.subarray(from, to), (b) => b.toString(16).padStart(2, '0'));
    return (reverse ? part.reverse() : part).join('');
  };
  return `{${hex(0, 4, true)}-${hex(4, 6, true)}-${hex(6, 8, true)}-${hex(8, 10, false)}-${hex(10, 16, false)}}`.toUpperCase();
}

/** The minimum body of each fmt variant. */
export const FMT_BYTES = { BASIC: 16, EXTENSIBLE: 40 } as const;

/**
 * Parses a `fmt ` chunk body. `body` must hold at least 16 bytes, and 40 for
 * EXTENSIBLE; the caller reports a shorter chunk as truncated.
 */
export function parseFmtChunk(body: Uint8Array, file: string): WavFormat {
  const view = new DataView(body.buffer, body.byteOffset, body.byteLength);
  if (body.length < FMT_BYTES.BASIC) {
    throw new WavParseError(file, 'bad-fmt', `fmt chunk is ${body.length} bytes, needs at least ${FMT_BYTES.BASIC}`);
  }
  const tag = view.getUint16(0, true);
  const channels = view.getUint16(2, true);
  const sampleRate = view.getUint32(4, true);
  const blockAlign = view.getUint16(12, true);
  let bitsPerSample = view.getUint16(14, true);
  let formatTag = tag;
  const extensible = tag === FORMAT_TAG.EXTENSIBLE;
  if (extensible) {
    if (body.length < FMT_BYTES.EXTENSIBLE || view.getUint16(16, true) < 22) {
      throw new WavParseError(file, 'bad-fmt', `WAVE_FORMAT_EXTENSIBLE fmt chunk is ${body.length} bytes, needs ${FMT_BYTES.EXTENSIBLE}`);
    }
    const guid = body.subarray(24, 40);
    const tail = guid.subarray(4);
    if (!SUBFORMAT_GUID_TAIL.every((b, i) => tail[i] === b) || view.getUint16(26, true) !== 0) {
      throw new WavParseError(file, 'unsupported-encoding', `unsupported WAVE_FORMAT_EXTENSIBLE sub-format ${hexGuid(guid)}`);
    }
    formatTag = view.getUint16(24, true);
  }
  const encoding = ENCODING_BY_TAG[formatTag];
  if (encoding === undefined) {
    const via = extensible ? ' (WAVE_FORMAT_EXTENSIBLE sub-format)' : '';
    throw new WavParseError(file, 'unsupported-encoding', `unsupported format tag ${describeFormatTag(formatTag)}${via}; dialin-sim reads PCM, IEEE float, µ-law and A-law`);
  }
  if (channels === 0) throw new WavParseError(file, 'bad-fmt', 'fmt chunk declares 0 channels');
  if (sampleRate < MIN_SAMPLE_RATE || sampleRate > MAX_SAMPLE_RATE) {
    throw new WavParseError(file, 'unsupported-rate', `sample rate ${sampleRate} Hz is outside the supported ${MIN_SAMPLE_RATE}-${MAX_SAMPLE_RATE} Hz`);
  }
  // Some G.711 writers leave the bit depth at 0 or 16; the code word is always 8 bits.
  if ((encoding === 'mulaw' || encoding === 'alaw') && blockAlign === channels) bitsPerSample = 8;
  if (!SUPPORTED_BITS[encoding].includes(bitsPerSample)) {
    throw new WavParseError(file, 'unsupported-encoding', `${bitsPerSample}-bit ${encoding === 'pcm' ? 'integer PCM' : encoding} is not supported (supported: ${SUPPORTED_BITS[encoding].join(', ')} bits)`);
  }
  const bytesPerSample = bitsPerSample / 8;
  if (blockAlign !== channels * bytesPerSample) {
    throw new WavParseError(file, 'bad-fmt', `block align ${blockAlign} does not match ${channels} channel(s) of ${bytesPerSample} byte(s)`);
  }
  return { encoding, formatTag, extensible, channels, sampleRate, bitsPerSample, bytesPerSample, blockAlign };
}

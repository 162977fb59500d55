/**
 * Builds RIFF/WAV bytes by hand, field by field, so tests can make every
 * format and every kind of damage without an encoder in the loop.
 */

export function ascii(text: string): Uint8Array {
  return Uint8Array.from(text, (c) => c.charCodeAt(0));
}

export function u16(value: number): Uint8Array {
  return Uint8Array.of(value & 0xff, (value >>> 8) & 0xff);
}

export function u32(value: number): Uint8Array {
  return Uint8Array.of(value & 0xff, (value >>> 8) & 0xff, (value >>> 16) & 0xff, (value >>> 24) & 0xff);
}

export function concat(...parts: Uint8Array[]): Uint8Array {
  const out = new Uint8Array(parts.reduce((sum, part) => sum + part.length, 0));
  let at = 0;
  for (const part of parts) {
    out.set(part, at);
    at += part.length;
  }
  return out;
}

export interface ChunkOptions {
  /** Size written in the header; default the body's length. */
  declaredSize?: number;
  /** Whether an odd body gets its pad byte (default true, as RIFF requires). */
  pad?: boolean;
}

export function chunk(id: string, body: Uint8Array, options: ChunkOptions = {}): Uint8Array {
  const pad = (options.pad ?? true) && body.length % 2 === 1 ? Uint8Array.of(0) : new Uint8Array(0);
  return concat(ascii(id), u32(options.declaredSize ?? body.length), body, pad);
}

export interface RiffOptions {
  magic?: string;
  form?: string;
  /** RIFF size field; default the true size. */
  declaredSize?: number;
}

export function riff(chunks: Uint8Array[], options: RiffOptions = {}): Uint8Array {
  const body = concat(ascii(options.form ?? 'WAVE'), ...chunks);
  return concat(ascii(options.magic ?? 'RIFF'), u32(options.declaredSize ?? body.length), body);
}

export const TAG = { PCM: 1, FLOAT: 3, ALAW: 6, MULAW: 7, EXTENSIBLE: 0xfffe } as const;

/** KSDATAFORMAT_SUBTYPE GUID for a format tag, as stored in a file. */
export function subFormatGuid(tag: number): Uint8Array {
  return concat(u32(tag), Uint8Array.of(0x00, 0x00, 0x10, 0x00, 0x80, 0x00, 0x00, 0xaa, 0x00, 0x38, 0x9b, 0x71));
}

export interface FmtSpec {
  tag: number;
  channels: number;
  sampleRate: number;
  bitsPerSample: number;
  blockAlign?: number;
  /** For tag EXTENSIBLE: the sub-format (tag or whole GUID) and valid bits. */
  subFormat?: number | Uint8Array;
  validBits?: number;
  /** Append cbSize = 0 (18-byte fmt), as G.711 writers do. */
  cbSize?: boolean;
}

export function fmtBody(spec: FmtSpec): Uint8Array {
  const blockAlign = spec.blockAlign ?? (spec.channels * spec.bitsPerSample) / 8;
  const basic = concat(
    u16(spec.tag),
    u16(spec.channels),
    u32(spec.sampleRate),
    u32(spec.sampleRate * blockAlign),
    u16(blockAlign),
    u16(spec.bitsPerSample),
  );
  if (spec.tag === TAG.EXTENSIBLE) {
    const guid = spec.subFormat instanceof Uint8Array ? spec.subFormat : subFormatGuid(spec.subFormat ?? TAG.PCM);
    const mask = spec.channels === 1 ? 0x4 : spec.channels === 2 ? 0x3 : 0;
    return concat(basic, u16(22), u16(spec.validBits ?? spec.bitsPerSample), u32(mask), guid);
  }
  return spec.cbSize ? concat(basic, u16(0)) : basic;
}

export type SampleKind = 'u8' | 's16' | 's24' | 's32' | 'f32' | 'f64' | 'g711';

/** Interleaves frames (frames[i][channel]) of raw sample values. */
export function frameBytes(frames: number[][], kind: SampleKind): Uint8Array {
  const width = { u8: 1, g711: 1, s16: 2, s24: 3, s32: 4, f32: 4, f64: 8 }[kind];
  const channels = frames[0]?.length ?? 1;
  const out = new Uint8Array(frames.length * channels * width);
  const view = new DataView(out.buffer);
  let at = 0;
  for (const frame of frames) {
    for (const value of frame) {
      if (kind === 'u8' || kind === 'g711') view.setUint8(at, value);
      else if (kind === 's16') view.setInt16(at, value, true);
      else if (kind === 's24') {
        view.setUint8(at, value & 0xff);
        view.setUint8(at + 1, (value >> 8) & 0xff);
        view.setUint8(at + 2, (value >> 16) & 0xff);
      } else if (kind === 's32') view.setInt32(at, value, true);
      else if (kind === 'f32') view.setFloat32(at, value, true);
      else view.setFloat64(at, value, true);
      at += width;
    }
  }
  return out;
}

/** A well-formed WAV: fmt then data, with optional chunks around them. */
export function wav(
  spec: FmtSpec,
  data: Uint8Array,
  extra: { before?: Uint8Array[]; between?: Uint8Array[]; after?: Uint8Array[] } = {},
): Uint8Array {
  return riff([
    ...(extra.before ?? []),
    chunk('fmt ', fmtBody(spec)),
    ...(extra.between ?? []),
    chunk('data', data),
    ...(extra.after ?? []),
  ]);
}

/** 16-bit mono PCM WAV of the given samples. */
export function pcm16Wav(samples: number[], sampleRate = 8000): Uint8Array {
  return wav({ tag: TAG.PCM, channels: 1, sampleRate, bitsPerSample: 16 }, frameBytes(samples.map((s) => [s]), 's16'));
}

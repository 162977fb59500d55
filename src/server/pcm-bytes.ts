/**
 * 16-bit little-endian PCM <-> Int16Array for the socket edge, on the hot
 * path of every call (50 frames a second each way). On a little-endian host
 * (every platform Node ships for) the bytes are the samples' memory, so both
 * directions are a plain copy or a view; elsewhere they are converted.
 */
import { endianness } from 'node:os';
import { SharedFrameCache } from './shared-frame-cache.ts';

const LITTLE_ENDIAN = endianness() === 'LE';

/** A copy of `samples` as 16-bit little-endian bytes. */
export function pcm16Bytes(samples: Int16Array): Buffer {
  if (LITTLE_ENDIAN) return Buffer.from(new Uint8Array(samples.buffer, samples.byteOffset, samples.byteLength));
  const out = Buffer.allocUnsafe(samples.byteLength);
  for (let i = 0; i < samples.length; i++) out.writeInt16LE(samples[i]!, i * 2);
  return out;
}

/**
 * The samples in `bytes` (an even number of them), as a view when the bytes
 * are suitably aligned, else a copy. A view is only valid while `bytes` is:
 * consume it before returning to the event loop.
 */
export function pcm16Samples(bytes: Uint8Array): Int16Array {
  if (LITTLE_ENDIAN && bytes.byteOffset % 2 === 0) {
    return new Int16Array(bytes.buffer, bytes.byteOffset, bytes.byteLength >> 1);
  }
  const out = new Int16Array(bytes.byteLength >> 1);
  for (let i = 0; i < out.length; i++) out[i] = (bytes[2 * i]! | (bytes[2 * i + 1]! << 8)) << 16 >> 16;
  return out;
}

/** All-zero frames by byte length, shared by every call (never written to). */
const SILENCE = new Map<number, Buffer>();

export function silentPcm16(byteLength: number): Buffer {
  let buffer = SILENCE.get(byteLength);
  if (!buffer) SILENCE.set(byteLength, (buffer = Buffer.alloc(byteLength)));
  return buffer;
}

/**
 * The bytes of frames of never-modified audio (session `shared` frames):
 * on a little-endian host a view of the samples themselves, made once per
 * frame, so sending a prompt or hold music copies and allocates nothing.
 */
const SHARED_BYTES = new SharedFrameCache((samples) =>
  LITTLE_ENDIAN ? Buffer.from(samples.buffer, samples.byteOffset, samples.byteLength) : pcm16Bytes(samples),
);

/**
 * One frame of what a PCM caller hears, as bytes: a `shared` frame (the same
 * samples in memory never modified) and a `silent` one come from shared
 * caches, any other frame is copied.
 */
export function pcm16Frame(samples: Int16Array, silent = false, shared?: Int16Array): Buffer {
  if (shared) return SHARED_BYTES.get(shared);
  return silent ? silentPcm16(samples.byteLength) : pcm16Bytes(samples);
}

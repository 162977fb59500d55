/**
 * Encodings of frames of audio that never changes (the shared prompt
 * library and shared silence: a session's `shared` frames), made once and
 * then reused by every call that sends the same frame. A thousand callers
 * hearing hold music or the same prompt send the same bytes, so their
 * µ-law codes or base64 text are computed once per frame per process instead
 * of once per frame per call.
 *
 * A frame is known by where its samples lie in memory (buffer, byte offset,
 * length), so every view of the same samples finds one entry. CallMedia
 * hands out only frame-aligned views, so the entries of a prompt are at
 * most one per frame of it: the cache is bounded by the library.
 */

/** Frames longer than this (more than 1.3 s at 48 kHz) are encoded each time; the key packs the length below it. */
const MAX_CACHED_SAMPLES = 0xffff;

export class SharedFrameCache<T> {
  readonly #byBuffer = new WeakMap<ArrayBufferLike, Map<number, T>>();
  readonly #encode: (samples: Int16Array) => T;

  /** `encode` must be a pure function of the samples: its result is handed to every caller of `get`. */
  constructor(encode: (samples: Int16Array) => T) {
    this.#encode = encode;
  }

  /** The encoding of `shared`, a view of samples that are never modified. */
  get(shared: Int16Array): T {
    if (shared.length > MAX_CACHED_SAMPLES) return this.#encode(shared);
    let frames = this.#byBuffer.get(shared.buffer);
    if (!frames) this.#byBuffer.set(shared.buffer, (frames = new Map()));
    const key = shared.byteOffset * (MAX_CACHED_SAMPLES + 1) + shared.length;
    let encoded = frames.get(key);
    if (encoded === undefined) frames.set(key, (encoded = this.#encode(shared)));
    return encoded;
  }
}

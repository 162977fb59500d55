/**
 * Turns a byte stream of 16-bit little-endian PCM, cut anywhere (a socket
 * frame, a file read, a pooled Buffer slice), into whole samples. A byte
 * left over from an odd-length chunk waits for the next chunk, as the `ws`
 * Receiver's consume(n) stitches bytes across writes.
 *
 * Bytes are assembled one by one rather than through an Int16Array view,
 * because a chunk may start at an odd byteOffset inside a larger buffer;
 * storing into the Int16Array wraps 0x8000..0xFFFF to negative samples.
 */
export class Pcm16Stitcher {
  #carry = -1;

  /** 1 while half a sample waits for its second byte, else 0. */
  get pendingBytes(): number {
    return this.#carry < 0 ? 0 : 1;
  }

  /** Returns the samples completed by `chunk` (possibly none). */
  push(chunk: Uint8Array): Int16Array {
    const carried = this.#carry >= 0 ? 1 : 0;
    const total = carried + chunk.length;
    const out = new Int16Array(total >> 1);
    let read = 0;
    let write = 0;
    if (carried && chunk.length > 0) {
      out[write++] = this.#carry | (chunk[read++]! << 8);
      this.#carry = -1;
    }
    const pairs = out.length - write;
    for (let i = 0; i < pairs; i++, read += 2) {
      out[write++] = chunk[read]! | (chunk[read + 1]! << 8);
    }
    if (read < chunk.length) this.#carry = chunk[read]!;
    return out;
  }

  /** Forgets a pending half sample, as at the start of a new stream. */
  reset(): void {
    this.#carry = -1;
  }
}

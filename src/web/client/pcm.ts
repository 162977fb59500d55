/**
 * 16-bit little-endian PCM, the wire format of the native `/call` protocol,
 * to and from the floats Web Audio uses. Pure; DataView makes the byte order
 * explicit instead of trusting the platform's.
 */

/** Largest 16-bit sample; float 1.0 maps to it, as in the project's generator. */
const INT16_MAX = 32767;

/** Rounds and clips a float sample in [-1, 1] to 16 bits. */
export function floatToInt16(sample: number): number {
  const value = Math.round(sample * INT16_MAX);
  return value > INT16_MAX ? INT16_MAX : value < -INT16_MAX - 1 ? -INT16_MAX - 1 : value;
}

/** Encodes float samples as a new buffer of 16-bit LE PCM. */
export function encodePcm16(samples: ArrayLike<number>): ArrayBuffer {
  const buffer = new ArrayBuffer(samples.length * 2);
  const view = new DataView(buffer);
  for (let i = 0; i < samples.length; i++) view.setInt16(i * 2, floatToInt16(samples[i]!), true);
  return buffer;
}

/**
 * Decodes a stream of 16-bit LE PCM chunks to floats. A chunk of odd length
 * leaves its last byte pending until the next chunk supplies the other half.
 */
export class Pcm16Decoder {
  private pendingByte: number | undefined;

  push(chunk: ArrayBuffer | Uint8Array): Float32Array {
    const bytes = chunk instanceof Uint8Array ? chunk : new Uint8Array(chunk);
    let offset = 0;
    const total = bytes.length + (this.pendingByte === undefined ? 0 : 1);
    const out = new Float32Array(total >> 1);
    let index = 0;
    if (this.pendingByte !== undefined && bytes.length > 0) {
      out[index++] = toSigned(this.pendingByte | (bytes[0]! << 8)) / (INT16_MAX + 1);
      offset = 1;
      this.pendingByte = undefined;
    }
    for (; offset + 1 < bytes.length; offset += 2) {
      out[index++] = toSigned(bytes[offset]! | (bytes[offset + 1]! << 8)) / (INT16_MAX + 1);
    }
    if (offset < bytes.length) this.pendingByte = bytes[offset];
    return out;
  }

  reset(): void {
    this.pendingByte = undefined;
  }
}

function toSigned(word: number): number {
  return word >= 0x8000 ? word - 0x10000 : word;
}

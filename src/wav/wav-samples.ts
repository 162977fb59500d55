/**
 * Converts one channel of interleaved WAV frames to 16-bit samples:
 * 8-bit unsigned is re-centred, 24/32-bit integers are rounded to their top
 * 16 bits, floats are scaled by 32768 and clipped, G.711 is expanded.
 * Samples are assembled byte by byte, so `bytes` may sit at any offset.
 */
import { alawToLinear, mulawToLinear } from '../dsp/g711.ts';
import type { WavFormat } from './wav-format.ts';

/** WAV samples are little-endian (RIFF); a typed-array view reads them as-is only on a little-endian host. */
const LITTLE_ENDIAN_HOST = new Uint8Array(new Uint16Array([1]).buffer)[0] === 1;

function clip16(value: number): number {
  return value > 32767 ? 32767 : value < -32768 ? -32768 : value;
}

/**
 * Decodes the whole frames in `bytes`, taking channel `channelIndex`
 * (0-based), into `out` from `outOffset`. Returns the number of samples written.
 */
export function decodeChannel(
  bytes: Uint8Array,
  format: WavFormat,
  channelIndex: number,
  out: Int16Array,
  outOffset = 0,
): number {
  const stride = format.blockAlign;
  const frames = Math.min(Math.floor(bytes.length / stride), out.length - outOffset);
  let at = channelIndex * format.bytesPerSample;
  let write = outOffset;
  const end = outOffset + frames;
  switch (`${format.encoding}${format.bitsPerSample}`) {
    case 'pcm8':
      for (; write < end; write++, at += stride) out[write] = (bytes[at]! - 128) << 8;
      break;
    case 'pcm16':
      // Mono at an even offset on a little-endian host: the bytes are already the samples.
      if (stride === 2 && bytes.byteOffset % 2 === 0 && LITTLE_ENDIAN_HOST) {
        out.set(new Int16Array(bytes.buffer, bytes.byteOffset, frames), write);
        break;
      }
      for (; write < end; write++, at += stride) out[write] = bytes[at]! | (bytes[at + 1]! << 8);
      break;
    case 'pcm24':
      for (; write < end; write++, at += stride) {
        const value = ((bytes[at]! | (bytes[at + 1]! << 8) | (bytes[at + 2]! << 16)) << 8) >> 8;
        out[write] = clip16((value + 128) >> 8);
      }
      break;
    case 'pcm32':
      for (; write < end; write++, at += stride) {
        const value = bytes[at]! | (bytes[at + 1]! << 8) | (bytes[at + 2]! << 16) | (bytes[at + 3]! << 24);
        // (value >> 16) rounded by the bit below it; never overflows 32 bits.
        out[write] = clip16((value >> 16) + ((value >> 15) & 1));
      }
      break;
    case 'float32':
    case 'float64': {
      const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
      const wide = format.bitsPerSample === 64;
      for (; write < end; write++, at += stride) {
        const value = wide ? view.getFloat64(at, true) : view.getFloat32(at, true);
        out[write] = Number.isNaN(value) ? 0 : clip16(Math.round(value * 32768));
      }
      break;
    }
    case 'mulaw8':
      for (; write < end; write++, at += stride) out[write] = mulawToLinear(bytes[at]!);
      break;
    case 'alaw8':
      for (; write < end; write++, at += stride) out[write] = alawToLinear(bytes[at]!);
      break;
    default:
      throw new Error(`no sample decoder for ${format.encoding} ${format.bitsPerSample}-bit`);
  }
  return frames;
}

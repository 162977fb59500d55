/**
 * Converts a whole prompt from the library's rate to a call's output rate,
 * once per process (PromptLibrary.atRate caches the result for every call).
 *
 * A looped prompt is resampled as a cycle: the resampler's filter must read
 * across the loop point, or the converted loop would fade at both ends and
 * click on every wrap. So the loop is extended by a stretch of itself on
 * each side, converted, and cut back to one period. Pure.
 */
import { resample } from '../dsp/resampler.ts';

/**
 * Input samples added on each side of a loop; more than the resampler's
 * filter half-length for any pair of rates from 8 to 48 kHz (about 200 at
 * the worst, 48 kHz down to 8 kHz).
 */
const LOOP_CONTEXT_SAMPLES = 1024;

/**
 * `samples` at `toRate`. A one-shot prompt is treated as silent outside its
 * ends and lasts ceil(length * toRate / fromRate) samples; a looped prompt
 * is treated as periodic and lasts round(length * toRate / fromRate), exactly
 * one period whenever that is a whole number (always for 8 kHz to 16 or
 * 48 kHz). Equal rates return `samples` itself.
 */
export function resamplePrompt(samples: Int16Array, fromRate: number, toRate: number, looped: boolean): Int16Array {
  if (fromRate === toRate) return samples;
  if (!looped || samples.length === 0) return resample(samples, fromRate, toRate);
  const divisor = gcd(fromRate, toRate);
  const up = toRate / divisor;
  const down = fromRate / divisor;
  // A whole number of `down` so that the loop start falls on an output sample.
  const context = down * Math.ceil(LOOP_CONTEXT_SAMPLES / down);
  const length = samples.length;
  const extended = new Int16Array(length + 2 * context);
  for (let i = 0; i < extended.length; i++) extended[i] = samples[(((i - context) % length) + length) % length]!;
  const converted = resample(extended, fromRate, toRate);
  const start = (context * up) / down;
  return converted.slice(start, start + Math.round((length * toRate) / fromRate));
}

function gcd(a: number, b: number): number {
  while (b !== 0) [a, b] = [b, a % b];
  return a;
}

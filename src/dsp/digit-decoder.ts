/**
 * One interface for every DTMF engine: push 16-bit PCM in chunks of any
 * size, get digits as soon as they are confirmed, flush at end of input.
 * It lives with the DSP because the native detector implements it and the
 * DSP layer imports nothing from the layers above it.
 */
import type { DigitEvent } from './dtmf-keys.ts';

export interface DigitDecoder {
  readonly sampleRate: number;
  /** Feeds samples; returns the digits confirmed by them. */
  push(samples: Int16Array): DigitEvent[];
  /** Ends the input; returns a digit still sounding, if any. */
  flush(): DigitEvent[];
  /** Forgets all state, as for a new call. */
  reset(): void;
}

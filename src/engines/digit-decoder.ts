/**
 * One interface for every DTMF engine: push 16-bit PCM in chunks of any
 * size, get digits as soon as they are confirmed, flush at end of input.
 */
import type { DigitEvent } from '../dsp/dtmf-keys.ts';

export const ENGINE_NAMES = ['native', 'dtmf-detection-stream'] as const;
export type EngineName = (typeof ENGINE_NAMES)[number];

export interface DigitDecoder {
  readonly sampleRate: number;
  /** Feeds samples; returns the digits confirmed by them. */
  push(samples: Int16Array): DigitEvent[];
  /** Ends the input; returns a digit still sounding, if any. */
  flush(): DigitEvent[];
  /** Forgets all state, as for a new call. */
  reset(): void;
}

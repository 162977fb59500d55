/**
 * The engine names; every engine is a DigitDecoder (src/dsp/digit-decoder.ts).
 */
export type { DigitDecoder } from '../dsp/digit-decoder.ts';

export const ENGINE_NAMES = ['native', 'dtmf-detection-stream'] as const;
export type EngineName = (typeof ENGINE_NAMES)[number];

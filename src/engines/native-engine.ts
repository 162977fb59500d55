/**
 * The native engine: dialin-sim's own DTMF detector, which already is a
 * DigitDecoder (push/flush/reset over 16-bit PCM).
 */
import { DtmfDetector, type DtmfDetectorOptions } from '../dsp/dtmf-detector.ts';
import type { DigitDecoder } from './digit-decoder.ts';

export function createNativeDecoder(sampleRate: number, options: Partial<DtmfDetectorOptions> = {}): DigitDecoder {
  return new DtmfDetector({ ...options, sampleRate });
}

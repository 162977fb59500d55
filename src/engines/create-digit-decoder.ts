/**
 * Picks a DTMF engine by name: the one place that maps ENGINE_NAMES to
 * implementations.
 */
import { UsageError } from '../errors.ts';
import { ENGINE_NAMES, type DigitDecoder, type EngineName } from './digit-decoder.ts';
import { DtmfDetectionStreamDecoder } from './dtmf-detection-stream-engine.ts';
import { createNativeDecoder } from './native-engine.ts';

const FACTORIES: Record<EngineName, (sampleRate: number) => DigitDecoder> = {
  native: (sampleRate) => createNativeDecoder(sampleRate),
  'dtmf-detection-stream': (sampleRate) => new DtmfDetectionStreamDecoder(sampleRate),
};

/**
 * A new decoder of `engine` for PCM at `sampleRate`. Throws UsageError for
 * an unknown engine and AudioParameterError for a rate the engine cannot
 * take.
 */
export function createDigitDecoder(engine: EngineName, sampleRate: number): DigitDecoder {
  if (!Object.hasOwn(FACTORIES, engine)) {
    throw new UsageError(`unknown engine '${String(engine)}'; engines: ${ENGINE_NAMES.join(', ')}`);
  }
  return FACTORIES[engine](sampleRate);
}

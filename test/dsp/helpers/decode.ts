/** Runs audio through a decoder: in one push, or in given chunk lengths. */
import type { DigitEvent } from '../../../src/dsp/dtmf-keys.ts';
import { DtmfDetector, type DtmfDetectorOptions } from '../../../src/dsp/dtmf-detector.ts';
import type { DigitDecoder } from '../../../src/dsp/digit-decoder.ts';

export function decodeWith(decoder: DigitDecoder, samples: Int16Array, chunkLengths?: readonly number[]): DigitEvent[] {
  const events: DigitEvent[] = [];
  if (!chunkLengths) {
    events.push(...decoder.push(samples));
  } else {
    let at = 0;
    for (let i = 0; at < samples.length; i++) {
      const length = chunkLengths[i % chunkLengths.length]!;
      events.push(...decoder.push(samples.subarray(at, at + length)));
      at += length;
    }
  }
  events.push(...decoder.flush());
  return events;
}

export function decode(samples: Int16Array, sampleRate = 8000, options: Partial<DtmfDetectorOptions> = {}): DigitEvent[] {
  return decodeWith(new DtmfDetector({ ...options, sampleRate }), samples);
}

export function digitsOf(events: readonly DigitEvent[]): string {
  return events.map((event) => event.digit).join('');
}

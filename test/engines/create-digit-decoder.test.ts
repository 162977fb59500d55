import { describe, expect, it } from 'vitest';
import { DtmfDetector } from '../../src/dsp/dtmf-detector.ts';
import { synthesizeDtmf } from '../../src/dsp/dtmf-generator.ts';
import { createDigitDecoder } from '../../src/engines/create-digit-decoder.ts';
import { ENGINE_NAMES, type EngineName } from '../../src/engines/digit-decoder.ts';
import { DtmfDetectionStreamDecoder } from '../../src/engines/dtmf-detection-stream-engine.ts';
import { AudioParameterError, UsageError } from '../../src/errors.ts';
import { decodeWith, digitsOf } from '../dsp/helpers/decode.ts';

describe('createDigitDecoder', () => {
  it('makes the native detector', () => {
    const decoder = createDigitDecoder('native', 16000);
    expect(decoder).toBeInstanceOf(DtmfDetector);
    expect(decoder.sampleRate).toBe(16000);
    expect(digitsOf(decodeWith(decoder, synthesizeDtmf('42', { sampleRate: 16000 })))).toBe('42');
  });

  it('makes the dtmf-detection-stream adapter', () => {
    const decoder = createDigitDecoder('dtmf-detection-stream', 8000);
    expect(decoder).toBeInstanceOf(DtmfDetectionStreamDecoder);
  });

  it('makes a decoder for every engine name', () => {
    for (const engine of ENGINE_NAMES) expect(createDigitDecoder(engine, 8000).sampleRate).toBe(8000);
  });

  it('rejects an unknown engine with a UsageError naming the valid ones', () => {
    const attempt = () => createDigitDecoder('goertzel' as EngineName, 8000);
    expect(attempt).toThrow(UsageError);
    expect(attempt).toThrow(expect.objectContaining({ code: 'E_USAGE' }));
    expect(attempt).toThrow(/native, dtmf-detection-stream/);
  });

  it('passes on the engine\'s sample rate errors', () => {
    expect(() => createDigitDecoder('native', 96000)).toThrow(AudioParameterError);
    expect(() => createDigitDecoder('dtmf-detection-stream', 11025)).toThrow(AudioParameterError);
  });
});

import { describe, expect, it } from 'vitest';
import { DtmfDetector } from '../../src/dsp/dtmf-detector.ts';
import { synthesizeDtmf } from '../../src/dsp/dtmf-generator.ts';
import { seededRandom } from '../../src/dsp/random.ts';
import { decodeWith, digitsOf } from './helpers/decode.ts';
import { readWavFixture } from './helpers/wav-fixture.ts';

const SPEECH = new URL('../fixtures/talk-off/speech-en-us-digits.wav', import.meta.url).pathname;

function mixedInput(): Int16Array {
  const tones = synthesizeDtmf('1234#', { onMs: 45, offMs: 45, leadMs: 33, snrDb: 18, seed: 5 });
  const speech = readWavFixture(SPEECH).samples.subarray(0, 8000);
  const more = synthesizeDtmf('55*D0', { onMs: 70, offMs: 41, leadMs: 17, twistDb: -6, frequencyErrorPct: 1.2 });
  const out = new Int16Array(tones.length + speech.length + more.length);
  out.set(tones, 0);
  out.set(speech, tones.length);
  out.set(more, tones.length + speech.length);
  return out;
}

describe('chunk boundaries', () => {
  const input = mixedInput();
  const whole = decodeWith(new DtmfDetector({ sampleRate: 8000 }), input);

  it('decodes the reference input', () => {
    expect(digitsOf(whole)).toBe('1234#55*D0');
  });

  it('gives identical events one sample at a time', () => {
    expect(decodeWith(new DtmfDetector({ sampleRate: 8000 }), input, [1])).toEqual(whole);
  });

  it('gives identical events in random splits', () => {
    for (const seed of [1, 2, 3, 4]) {
      const random = seededRandom(seed);
      const lengths = Array.from({ length: 50 }, () => 1 + Math.floor(random() * 400));
      expect(decodeWith(new DtmfDetector({ sampleRate: 8000 }), input, lengths), `seed ${seed}`).toEqual(whole);
    }
  });

  it('keeps a digit split across two pushes at every sample of its middle', () => {
    const audio = synthesizeDtmf('6', { onMs: 60, offMs: 60, leadMs: 20 });
    const reference = decodeWith(new DtmfDetector({ sampleRate: 8000 }), audio);
    expect(digitsOf(reference)).toBe('6');
    expect(reference[0]!.startMs).toBeCloseTo(20, -0.7);
    expect(reference[0]!.endMs).toBeCloseTo(80, -0.7);
    for (let split = 160; split < 160 + 480; split += 7) {
      const detector = new DtmfDetector({ sampleRate: 8000 });
      const events = [...detector.push(audio.subarray(0, split)), ...detector.push(audio.subarray(split)), ...detector.flush()];
      expect(events).toEqual(reference);
    }
  });

  it('reads Int16Array views at any byte offset', () => {
    const backing = new Int16Array(input.length + 3);
    backing.set(input, 3);
    expect(decodeWith(new DtmfDetector({ sampleRate: 8000 }), backing.subarray(3), [333])).toEqual(whole);
  });
});

describe('sample rates', () => {
  const DIGITS = '159#*0AD';
  const options = { onMs: 45, offMs: 55, leadMs: 27 };
  const reference = decodeWith(new DtmfDetector({ sampleRate: 8000 }), synthesizeDtmf(DIGITS, options));

  it('decodes the pressed keys at their times at 8 kHz', () => {
    expect(digitsOf(reference)).toBe(DIGITS);
    reference.forEach((event, i) => {
      // Key i sounds from 27 + 100 i ms for 45 ms; within one hop (4.25 ms).
      expect(Math.abs(event.startMs - (27 + 100 * i))).toBeLessThan(4.25);
      expect(Math.abs(event.endMs - (72 + 100 * i))).toBeLessThan(4.25);
    });
  });

  it.each([11025, 16000, 22050, 32000, 44100, 48000])('decodes the same digits at the same times at %i Hz', (rate) => {
    const events = decodeWith(new DtmfDetector({ sampleRate: rate }), synthesizeDtmf(DIGITS, { ...options, sampleRate: rate }));
    expect(digitsOf(events)).toBe(DIGITS);
    events.forEach((event, i) => {
      // Within one hop (4.25 ms) of the 8 kHz result; a block is 12.75 ms.
      expect(Math.abs(event.startMs - reference[i]!.startMs)).toBeLessThan(4.25);
      expect(Math.abs(event.endMs - reference[i]!.endMs)).toBeLessThan(4.25);
    });
  });
});

/**
 * All sixteen keys made by SoX (test/fixtures/wav/make-sox-fixtures.sh) at the top,
 * middle and bottom of the Q.24 accept range, 0, -10 and -25 dBm0 per
 * tone: tones from an independent generator, read by the test's own RIFF
 * walker.
 */
import { describe, expect, it } from 'vitest';
import { decode, digitsOf } from './helpers/decode.ts';
import { q23Frequencies, Q23_KEYPAD, REFERENCE_0DBM0_PEAK } from './helpers/reference-dtmf.ts';
import { readWavFixture } from './helpers/wav-fixture.ts';

const KEYS = Q23_KEYPAD.join('');
const FIXTURES = new URL('../fixtures/wav/', import.meta.url).pathname;

/** Peak amplitude of the component at `hz` in samples[from, to). */
function amplitudeAt(samples: Int16Array, from: number, to: number, hz: number, rate: number): number {
  let re = 0;
  let im = 0;
  for (let n = from; n < to; n++) {
    re += samples[n]! * Math.cos((2 * Math.PI * hz * n) / rate);
    im += samples[n]! * Math.sin((2 * Math.PI * hz * n) / rate);
  }
  return (2 * Math.hypot(re, im)) / (to - from);
}

const FILES = {
  0: 'sox-16-keys-0dbm0-decodes.wav',
  [-10]: 'sox-16-keys-minus-10dbm0-decodes.wav',
  [-25]: 'sox-16-keys-minus-25dbm0-decodes.wav',
} as const;

function fixture(dbm0: keyof typeof FILES) {
  return readWavFixture(FIXTURES + FILES[dbm0]);
}

describe.each([0, -10, -25] as const)('sox tones at %i dBm0 per tone', (dbm0) => {
  const { sampleRate, samples } = fixture(dbm0);

  it('is 8 kHz audio holding 50 ms of silence and 16 presses of 50 ms on, 50 ms off', () => {
    expect(sampleRate).toBe(8000);
    expect(samples.length).toBe(400 + 16 * 800);
  });

  it('decodes exactly the sixteen keys, each at its own time', () => {
    const events = decode(samples, sampleRate);
    expect(digitsOf(events)).toBe(KEYS);
    events.forEach((event, i) => {
      // Key i sounds from 50 + 100 i ms to 100 + 100 i ms; within one hop (4.25 ms).
      expect(Math.abs(event.startMs - (50 + 100 * i)), `start of ${event.digit}`).toBeLessThan(4.25);
      expect(Math.abs(event.endMs - (100 + 100 * i)), `end of ${event.digit}`).toBeLessThan(4.25);
    });
  });
});

describe('sox fixture levels', () => {
  // Not at 0 dBm0: the pair clips there (see the script), which lowers the fundamentals.
  it.each([-10, -25] as const)('holds each tone at %i dBm0, within 0.1 dB of the G.711 0 dBm0 reference', (dbm0) => {
    const { sampleRate, samples } = fixture(dbm0);
    [...KEYS].forEach((key, i) => {
      // Each tone's 400 samples (50 ms); over them the other tone leaks in under 0.1 dB.
      const from = 400 + 800 * i;
      const { lowHz, highHz } = q23Frequencies(key);
      for (const hz of [lowHz, highHz]) {
        const level = 20 * Math.log10(amplitudeAt(samples, from, from + 400, hz, sampleRate) / REFERENCE_0DBM0_PEAK);
        expect(Math.abs(level - dbm0), `${key} ${hz} Hz at ${level.toFixed(2)} dBm0`).toBeLessThan(0.1);
      }
    });
  });

  it('clips at 0 dBm0 per tone, as a 16-bit or G.711 channel does (the pair peaks 2.9 dB over full scale)', () => {
    expect(Math.max(...fixture(0).samples)).toBe(32767);
  });
});

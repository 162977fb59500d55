/**
 * Talk-off: speech and music must never produce a digit. Hold music plays
 * in the lobby while callers wait, and a false key press there would
 * count as PIN input.
 */
import { readdirSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { toInt16 } from '../../src/dsp/dtmf-generator.ts';
import { COLUMN_HZ, ROW_HZ } from '../../src/dsp/dtmf-keys.ts';
import { decode, digitsOf } from './helpers/decode.ts';
import { addNote, addSweep, chords, longestDtmfLikeMs, melody, noteHz, TIMBRES } from './helpers/music.ts';
import { readWavFixture } from './helpers/wav-fixture.ts';

const FIXTURES = new URL('../fixtures/talk-off/', import.meta.url).pathname;
const SPEECH = readdirSync(FIXTURES).filter((name) => name.endsWith('.wav'));

function scaled(samples: Int16Array, gain: number): Int16Array {
  return Int16Array.from(samples, (x) => Math.max(-32768, Math.min(32767, Math.round(x * gain))));
}

describe('talk-off', () => {
  it('finds the speech fixtures', () => {
    expect(SPEECH.length).toBeGreaterThanOrEqual(6);
  });

  it.each(SPEECH)('decodes no digit from %s at -12, 0 and +8 dB (clipping)', (name) => {
    const { samples, sampleRate } = readWavFixture(FIXTURES + name);
    expect(sampleRate).toBe(8000);
    for (const gain of [0.25, 1, 2.5]) {
      expect(decode(scaled(samples, gain)), `gain ${gain}`).toEqual([]);
    }
  });

  it('decodes no digit from three minutes of chords of harmonic-rich notes', () => {
    for (let seed = 1; seed <= 6; seed++) {
      expect(digitsOf(decode(toInt16(chords(30, 8000, seed, 3000)))), `seed ${seed}`).toBe('');
    }
  });

  it('decodes no digit from two minutes of melodies over a bass line', () => {
    for (let seed = 1; seed <= 4; seed++) {
      expect(digitsOf(decode(toInt16(melody(30, 8000, seed, 4000)))), `seed ${seed}`).toBe('');
    }
  });

  it('decodes no digit from single-tone sweeps across 600-1700 Hz', () => {
    for (const seconds of [0.3, 1, 3, 10]) {
      for (const shape of ['linear', 'exponential'] as const) {
        const out = new Float32Array(Math.round(8000 * (seconds + 0.2)));
        addSweep(out, 800, 8000 * seconds, 600, 1700, 10000, 8000, shape);
        expect(decode(toInt16(out)), `${seconds} s ${shape}`).toEqual([]);
      }
    }
  });

  it('decodes no digit from two-tone sweeps that are never a DTMF pair for more than 23 ms', () => {
    const cases: [seconds: number, ratio: number][] = [
      [0.2, 2], [0.3, 1.5], [0.3, 1.335], [0.3, 1.25], [0.5, 1.5], [0.5, 1.335],
      [1, 1.12], [3, 1.12], [10, 1.12],
    ];
    for (const [seconds, ratio] of cases) {
      const low = { fromHz: 600, toHz: 1700 / ratio };
      const high = { fromHz: 600 * ratio, toHz: 1700 };
      // The premise: Q.24 requires rejecting this signal (<= 23 ms within 3.5 %).
      expect(longestDtmfLikeMs(low, high, seconds, 'exponential', ROW_HZ, COLUMN_HZ)).toBeLessThan(23);
      const out = new Float32Array(Math.round(8000 * (seconds + 0.2)));
      addSweep(out, 800, 8000 * seconds, low.fromHz, low.toHz, 8000, 8000, 'exponential');
      addSweep(out, 800, 8000 * seconds, high.fromHz, high.toHz, 8000, 8000, 'exponential');
      expect(decode(toInt16(out)), `${seconds} s, ratio ${ratio}`).toEqual([]);
    }
  });

  it('decodes no digit from instruments playing DTMF-like pitches (F5 + F#6 is 697 + 1477 Hz within 0.2 %)', () => {
    for (const timbre of Object.values(TIMBRES)) {
      const out = new Float32Array(8000);
      addNote(out, 800, 4000, noteHz(77), 6000, timbre, 8000);
      addNote(out, 800, 4000, noteHz(90), 6000, timbre, 8000);
      expect(decode(toInt16(out)), timbre.join(',')).toEqual([]);
    }
  });

  it('does report the same two pitches as pure sines: that is a DTMF signal', () => {
    const out = new Float32Array(8000);
    addNote(out, 800, 4000, noteHz(77), 6000, [1], 8000);
    addNote(out, 800, 4000, noteHz(90), 6000, [1], 8000);
    expect(digitsOf(decode(toInt16(out)))).toBe('3');
  });
});

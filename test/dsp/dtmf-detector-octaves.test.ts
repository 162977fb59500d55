/**
 * Talk-off from a note and its own octave. For keys 2, 6 and C the column
 * is near twice the row (1.92:1), so a note near the row with its second
 * harmonic reads as the key, and the row's second-harmonic check cannot
 * see it: that harmonic is the column tone. Reported on real audio: a note
 * near 830 Hz with its harmonic near 1660 Hz read as C, E5 with E6 as 2.
 * A pair at exactly 2:1 is rejected; no key within the Q.24 accept
 * limits comes within 0.78 % of 2:1.
 */
import { describe, expect, it } from 'vitest';
import { closestKeyRatiosToOctave, OCTAVE_RATIO_TOLERANCE } from '../../src/dsp/detector-constants.ts';
import { addTone, toInt16 } from '../../src/dsp/dtmf-generator.ts';
import { keyFrequencies, type DtmfKey } from '../../src/dsp/dtmf-keys.ts';
import { dbm0ToAmplitude } from '../../src/dsp/levels.ts';
import { decode, digitsOf } from './helpers/decode.ts';
import { addNote, noteHz, TIMBRES } from './helpers/music.ts';
import { acceptErrorHz } from './helpers/reception-limits.ts';
import { tonePair } from './helpers/tone-pair.ts';

/** A note at `hz` and its octave at `octaveDb` relative to it, `ms` long, as pure partials. */
function noteWithOctave(hz: number, octaveDb: number, ms: number): Int16Array {
  const out = new Float32Array(8 * (ms + 200));
  addTone(out, 800, 8 * ms, hz, dbm0ToAmplitude(-15), 8000);
  addTone(out, 800, 8 * ms, 2 * hz, dbm0ToAmplitude(-15 + octaveDb), 8000);
  return toInt16(out);
}

// Pitches whose octave lands within the detector's frequency limits of
// both tones of a key: E5 and E6 a third of a semitone sharp of a
// 456 Hz A reads as 2 (682 / 1364 Hz), 752 / 1504 Hz as 6, 830 / 1660 Hz as C.
const OCTAVE_PITCHES: [key: DtmfKey, hz: number][] = [
  ['2', noteHz(76) * (456 / 440)],
  ['2', 684],
  ['6', 752],
  ['6', 757],
  ['C', 830],
  ['C', 836],
];

describe('octave rejection', () => {
  it('places the 2:1 rejection strictly between the key ratios the accept limits allow', () => {
    const { below, above } = closestKeyRatiosToOctave();
    // 6: (1477 + 24.155) / (770 - 13.55); 3: (1477 - 24.155) / (697 + 12.455).
    expect(below).toBeCloseTo((1477 + acceptErrorHz(1477)) / (770 - acceptErrorHz(770)), 12);
    expect(above).toBeCloseTo((1477 - acceptErrorHz(1477)) / (697 + acceptErrorHz(697)), 12);
    expect(2 - OCTAVE_RATIO_TOLERANCE).toBeGreaterThan(below + 0.01);
    expect(2 + OCTAVE_RATIO_TOLERANCE).toBeLessThan(above - 0.04);
  });

  it.each(OCTAVE_PITCHES)('decodes no digit from a note and its octave that read as %s (%d Hz)', (_key, hz) => {
    for (const octaveDb of [0, -4, -8]) {
      for (const ms of [60, 300]) {
        expect(decode(noteWithOctave(hz, octaveDb, ms)), `${octaveDb} dB, ${ms} ms`).toEqual([]);
      }
    }
  });

  it('decodes no digit from E5 with E6 at concert pitch, nor from string and flute notes at those pitches', () => {
    expect(decode(noteWithOctave(noteHz(76), -3, 300))).toEqual([]);
    for (const [, hz] of OCTAVE_PITCHES) {
      for (const timbre of [TIMBRES.flute, [1, 0.6]]) {
        const out = new Float32Array(8000);
        addNote(out, 800, 4000, hz, 6000, timbre, 8000);
        expect(decode(toInt16(out)), `${hz} Hz, ${timbre.join(',')}`).toEqual([]);
      }
    }
  });

  it.each(['2', '6', 'C'] as const)('still accepts %s with its tones at the accept limits towards 2:1, at 40 and 100 ms', (key) => {
    const { lowHz, highHz } = keyFrequencies(key);
    for (const onMs of [40, 100]) {
      for (const levelDbm0 of [-10, -25]) {
        const sent = tonePair(key, { lowErrorHz: -acceptErrorHz(lowHz), highErrorHz: acceptErrorHz(highHz), onMs, levelDbm0 });
        expect(digitsOf(decode(sent)), `${onMs} ms, ${levelDbm0} dBm0`).toBe(key);
      }
    }
  });
});

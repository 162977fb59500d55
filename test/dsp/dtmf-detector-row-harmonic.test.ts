/**
 * Talk-off from a note at key 1's row with its own second harmonic. For
 * key 1 that harmonic (1394 Hz) sits 185 Hz from the column (1209 Hz),
 * inside the Hann window's main lobe plus the tones' tolerance, so it was
 * not measured and a row-like note with a strong harmonic beside a
 * column-like note passed: on recorded orchestral music (F5 with its
 * octave, beside D6 at 1175 Hz, 2.4 % under the column) it read as 1. The
 * column's leakage into the harmonic's bin is now predicted and taken
 * out, which measures it while a real key 1, whose row has no harmonic,
 * still passes at every accept corner (dtmf-detector-corners.test.ts).
 */
import { describe, expect, it } from 'vitest';
import { addTone, toInt16 } from '../../src/dsp/dtmf-generator.ts';
import { dbm0ToAmplitude } from '../../src/dsp/levels.ts';
import { decode, digitsOf } from './helpers/decode.ts';
import { tonePair } from './helpers/tone-pair.ts';

/**
 * A note at `rowHz` with its second harmonic `harmonicDb` under it, a
 * note at `columnHz` as loud, and a quieter low note (the chord's root,
 * 392 Hz, 11 dB down), all steady for `ms`.
 */
function chord(rowHz: number, harmonicDb: number, columnHz: number, ms: number): Int16Array {
  const out = new Float32Array(8 * (ms + 200));
  const amplitude = dbm0ToAmplitude(-12);
  addTone(out, 800, 8 * ms, rowHz, amplitude, 8000);
  addTone(out, 800, 8 * ms, 2 * rowHz, amplitude * 10 ** (harmonicDb / 20), 8000, 0.7);
  addTone(out, 800, 8 * ms, columnHz, amplitude, 8000, 1.9);
  addTone(out, 800, 8 * ms, 392, amplitude * 10 ** (-11 / 20), 8000, 0.3);
  return toInt16(out);
}

describe("key 1's row harmonic", () => {
  it.each([
    [697, -12, 1180],
    [697, -14, 1209],
    [700, -15, 1195],
    [690, -12, 1225],
  ])('rejects a %f Hz note with its harmonic at %f dB beside a %f Hz note', (rowHz, harmonicDb, columnHz) => {
    for (const ms of [60, 100, 300]) {
      expect(decode(chord(rowHz, harmonicDb, columnHz, ms)), `${ms} ms`).toEqual([]);
    }
  });

  it('still accepts the same chord without the harmonic: the check is what rejects it', () => {
    expect(digitsOf(decode(chord(697, -60, 1180, 100)))).toBe('1');
  });

  it('accepts key 1 with its tones toward each other at the accept limits and the column 4 dB up', () => {
    // The row's harmonic then lies closest to the column tone: 2 x 684.5 Hz
    // against 1229.1 Hz, 140 Hz (1.8 bins) apart.
    for (let leadMs = 50; leadMs < 54.25; leadMs += 0.53) {
      const audio = tonePair('1', { lowErrorHz: -12.46, highErrorHz: 20.14, levelDbm0: -14, twistDb: 4, onMs: 40, leadMs });
      expect(digitsOf(decode(audio)), `lead ${leadMs} ms`).toBe('1');
    }
  });
});

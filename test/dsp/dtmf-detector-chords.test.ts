/**
 * Talk-off from chords: orchestral music on real recordings held a pair
 * within Q.24's accept limits (930 + 1328 Hz as 0, 696 + 1313 Hz as 2)
 * for 70-200 ms, among other notes 8-12 dB down. Block by block the pair
 * carries enough of the energy; over the whole digit, the other notes
 * carry more than the noise a key must survive (15 dB SNR) ever could.
 */
import { describe, expect, it } from 'vitest';
import { addTone, toInt16 } from '../../src/dsp/dtmf-generator.ts';
import { dbm0ToAmplitude } from '../../src/dsp/levels.ts';
import { decode, digitsOf } from './helpers/decode.ts';

type Partial = [hz: number, db: number];

function chord(partials: readonly Partial[], ms: number, levelDbm0: number): Int16Array {
  const out = new Float32Array(8 * (ms + 300));
  for (const [hz, db] of partials) addTone(out, 800, 8 * ms, hz, dbm0ToAmplitude(levelDbm0 + db), 8000);
  return toInt16(out);
}

// The pairs and the third note as measured on the recordings, and three
// more chord notes clear of every DTMF bin.
const OTHER_NOTES: Partial[] = [[392, -8], [523.3, -9], [2093, -12]];
const CHORDS: [digit: string, pair: Partial[], third: Partial][] = [
  ['0', [[930, 0], [1328, -5.6]], [585, -8]],
  ['2', [[695.7, 0], [1313.2, -6.5]], [880, -9]],
];

describe('chords holding a DTMF-like pair', () => {
  it.each(CHORDS)('read as %s block by block, give no digit', (_digit, pair, third) => {
    for (const ms of [80, 200]) {
      for (const levelDbm0 of [-10, -20]) {
        expect(decode(chord([...pair, third, ...OTHER_NOTES], ms, levelDbm0)), `${ms} ms, ${levelDbm0} dBm0`).toEqual([]);
      }
    }
  });

  it.each(CHORDS)('while the pair alone, or with one note 8 dB down, is %s', (digit, pair, third) => {
    for (const ms of [80, 200]) {
      expect(digitsOf(decode(chord(pair, ms, -10)))).toBe(digit);
      expect(digitsOf(decode(chord([...pair, third], ms, -10)))).toBe(digit);
    }
  });
});

/**
 * One test per reception requirement (ITU-T Q.24 AT&T column, ETSI
 * ES 201 235-3), with the limits written out in helpers/reception-limits.ts
 * rather than taken from the detector's own table, and every sweep sent
 * twice: by the product's generator and by the independent one
 * (helpers/reference-dtmf.ts).
 */
import { describe, expect, it } from 'vitest';
import { acceptLimitErrorPairs, RECEPTION_LIMITS as Q24 } from './helpers/reception-limits.ts';
import { q23Frequencies, Q23_KEYPAD } from './helpers/reference-dtmf.ts';
import { decode, digitsOf } from './helpers/decode.ts';
import { SENDERS } from './helpers/senders.ts';

const ALL = Q23_KEYPAD.join('');
const KEYS = [...ALL];

describe.each(SENDERS)('reception requirements, sent by the $name', ({ press }) => {
  describe('frequency deviation', () => {
    it('accepts every key with either tone off by ±(1.5 % + 2 Hz), and both at once', () => {
      for (const key of KEYS) {
        const { lowHz, highHz } = q23Frequencies(key);
        for (const [lowErrorHz, highErrorHz] of acceptLimitErrorPairs(lowHz, highHz)) {
          const audio = press(key, { lowErrorHz, highErrorHz, leadMs: 50 });
          expect(digitsOf(decode(audio)), `${key} ${lowErrorHz} ${highErrorHz}`).toBe(key);
        }
      }
    });

    it('rejects every key with either tone off by 3.5 % to 6 %', () => {
      // Up to 6 %: from there on a tone approaches the neighbouring row or
      // column (about 10 % away) and may rightly decode as that key.
      for (const key of KEYS) {
        const { lowHz, highHz } = q23Frequencies(key);
        for (const pct of [Q24.rejectErrorPct, -Q24.rejectErrorPct, 4.5, -4.5, 6, -6]) {
          expect(decode(press(key, { lowErrorHz: (lowHz * pct) / 100, leadMs: 50 })), `${key} low ${pct}%`).toEqual([]);
          expect(decode(press(key, { highErrorHz: (highHz * pct) / 100, leadMs: 50 })), `${key} high ${pct}%`).toEqual([]);
        }
      }
    });
  });

  describe('level', () => {
    it('accepts all sixteen keys from 0 to -25 dBm0 per tone', () => {
      for (let level = Q24.acceptLevelMaxDbm0; level >= Q24.acceptLevelMinDbm0; level -= 5) {
        expect(digitsOf(decode(press(ALL, { levelDbm0: level, onMs: 50, offMs: 50 }))), `${level} dBm0`).toBe(ALL);
      }
    });

    it('rejects tones at -55 dBm0 and below', () => {
      for (const level of [Q24.rejectLevelDbm0, -60]) {
        expect(decode(press(ALL, { levelDbm0: level, onMs: 50, offMs: 50 }))).toEqual([]);
      }
    });

    it('has a dynamic range of at least 35 dB (all keys from +3 to -32 dBm0)', () => {
      for (const level of [3, -32]) {
        expect(digitsOf(decode(press(ALL, { levelDbm0: level, onMs: 50, offMs: 50 }))), `${level} dBm0`).toBe(ALL);
      }
    });
  });

  describe('twist', () => {
    it('accepts the high group 4 dB above the low group and the low group 8 dB above the high group', () => {
      for (const twistDb of [Q24.standardTwistDb, -Q24.reverseTwistDb]) {
        expect(digitsOf(decode(press(ALL, { twistDb, onMs: 50, offMs: 50 }))), `${twistDb} dB`).toBe(ALL);
      }
    });

    it('keeps a margin beyond the spec (+6 / -9 dB accepted) and rejects +8 / -12 dB and more', () => {
      for (const twistDb of [6, -9]) {
        expect(digitsOf(decode(press(ALL, { twistDb, onMs: 40, offMs: 50 }))), `${twistDb} dB`).toBe(ALL);
      }
      for (const twistDb of [8, 10, -12, -14]) {
        expect(decode(press(ALL, { twistDb, onMs: 100, offMs: 50 })), `${twistDb} dB`).toEqual([]);
      }
    });
  });

  describe('tone duration', () => {
    // 34 starting offsets at 1/8 ms steps cover every alignment with the 34-sample hop.
    const offsets = Array.from({ length: 34 }, (_, i) => 20 + i / 8);

    it('accepts a 40 ms tone at every offset to the block boundaries', () => {
      for (const key of ['1', '5', '9', 'D', '*']) {
        for (const leadMs of offsets) {
          const events = decode(press(key, { onMs: Q24.acceptToneMs, offMs: 60, leadMs }));
          expect(digitsOf(events), `${key} at ${leadMs} ms`).toBe(key);
          expect(events[0]!.endMs - events[0]!.startMs).toBeCloseTo(40, -0.7);
        }
      }
    });

    it('rejects a 23 ms tone at every offset to the block boundaries', () => {
      for (const key of ['1', '5', '9', 'D', '*']) {
        for (const leadMs of offsets) {
          expect(decode(press(key, { onMs: Q24.rejectToneMs, offMs: 60, leadMs })), `${key} at ${leadMs} ms`).toEqual([]);
        }
      }
    });
  });

  describe('pause between digits', () => {
    it('separates digits by a 40 ms pause, also equal ones: 55555 at 40 ms on and off is five digits', () => {
      for (const leadMs of [20, 20.5, 21.125, 22, 23.375, 24]) {
        const events = decode(press('55555', { onMs: 40, offMs: Q24.acceptPauseMs, leadMs }));
        expect(digitsOf(events), `lead ${leadMs} ms`).toBe('55555');
      }
      expect(digitsOf(decode(press('1D1D*#', { onMs: 40, offMs: 40 })))).toBe('1D1D*#');
    });
  });

  describe('interruption', () => {
    it('does not split a digit at a dropout of 10 ms anywhere inside it', () => {
      for (let atMs = 10; atMs <= 80; atMs += 1.3) {
        const audio = press('8', { onMs: 100, offMs: 100, leadMs: 50 });
        const from = Math.round(((50 + atMs) * 8000) / 1000);
        audio.fill(0, from, from + (Q24.bridgedInterruptionMs * 8000) / 1000);
        expect(digitsOf(decode(audio)), `dropout at ${atMs} ms`).toBe('8');
      }
    });
  });

  describe('noise', () => {
    it('decodes 100 % of digits at 15 dB SNR in white noise (640 digits, 40 seeds, -25 dBm0)', () => {
      let decoded = 0;
      for (let seed = 1; seed <= 40; seed++) {
        const audio = press(ALL, { snrDb: Q24.acceptSnrDb, seed, levelDbm0: Q24.acceptLevelMinDbm0, onMs: 40, offMs: 40 });
        const got = digitsOf(decode(audio));
        expect(got, `seed ${seed}`).toBe(ALL);
        decoded += got.length;
      }
      expect(decoded).toBe(640);
    });
  });
});

/**
 * Key presses at the combined corners of the reception requirements
 * (ITU-T Q.24 AT&T column): twist at each limit, each tone's frequency off
 * by the full accept limit ±(1.5 % + 2 Hz), levels at the ends of the
 * accept range, the shortest accepted tone, all at once. The tests vary
 * one requirement at a time elsewhere; these are where limits meet.
 */
import { DTMF_KEYS, type DtmfKey } from '../../../src/dsp/dtmf-keys.ts';
import { acceptLimitErrorPairs, RECEPTION_LIMITS as Q24 } from './reception-limits.ts';
import { q23Frequencies } from './reference-dtmf.ts';
import type { TonePair } from './tone-pair.ts';

export interface CornerCase {
  key: DtmfKey;
  pair: TonePair;
  /** Names the case in a failure message. */
  label: string;
}

/** Twist (high minus low, dB): both accept limits and none. */
export const CORNER_TWISTS_DB = [-Q24.reverseTwistDb, 0, Q24.standardTwistDb] as const;

/**
 * Levels: the stronger tone at -3 dBm0, or the weaker one at the bottom of
 * the accept range (-25 dBm0). -3 dBm0 is the loudest pair that does not
 * clip at 16 bits: two tones at 0 dBm0 peak 2.9 dB over full scale.
 */
export const LOUD_TONE_DBM0 = -3;
export const CORNER_LEVELS = ['stronger at -3 dBm0', 'weaker at -25 dBm0'] as const;

export function cornerCases(options: {
  sampleRate: number;
  onMs: readonly number[];
  leadMs: readonly number[];
  keys?: readonly DtmfKey[];
}): CornerCase[] {
  const cases: CornerCase[] = [];
  for (const key of options.keys ?? DTMF_KEYS) {
    const { lowHz, highHz } = q23Frequencies(key);
    const errors = acceptLimitErrorPairs(lowHz, highHz);
    for (const twistDb of CORNER_TWISTS_DB) {
      for (const level of CORNER_LEVELS) {
        // levelDbm0 is the low tone's; the high tone is twistDb above it.
        const levelDbm0 =
          level === CORNER_LEVELS[0] ? LOUD_TONE_DBM0 - Math.max(0, twistDb) : Q24.acceptLevelMinDbm0 - Math.min(0, twistDb);
        for (const [lowErrorHz, highErrorHz] of errors) {
          for (const onMs of options.onMs) {
            for (const leadMs of options.leadMs) {
              cases.push({
                key,
                pair: { lowErrorHz, highErrorHz, levelDbm0, twistDb, onMs, leadMs, tailMs: 60, sampleRate: options.sampleRate },
                label:
                  `${key} twist ${twistDb} dB, low ${levelDbm0} dBm0, errors ${lowErrorHz.toFixed(1)}/${highErrorHz.toFixed(1)} Hz, ` +
                  `${onMs} ms from ${leadMs} ms at ${options.sampleRate} Hz`,
              });
            }
          }
        }
      }
    }
  }
  return cases;
}

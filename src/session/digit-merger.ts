/**
 * Merges digits heard in the caller's audio (in-band) with digits a platform
 * reports as events (out-of-band: Twilio `dtmf`, Vonage `websocket:dtmf`), so
 * that one key press is counted once even when both paths report it.
 *
 * Every digit is an interval on the caller's audio timeline, in ms from the
 * first sample received (sample count / rate):
 * - in-band: the tone's [startMs, endMs] from the decoder;
 * - out-of-band: [t - durationMs, t], where t is the audio received when the
 *   event arrived and durationMs is the platform's reported tone length (0
 *   when it reports none).
 *
 * Rule: a digit duplicates an earlier *delivered* digit when it has the same
 * key, comes from the *other* source, that earlier digit has not already
 * absorbed a duplicate, and the two intervals overlap once each is widened
 * by `matchWindowMs` on both sides (a.start - W <= b.end + W and
 * b.start - W <= a.end + W, i.e. the gap between them is at most 2W).
 * A duplicate is suppressed; anything else is delivered at once, whichever
 * source is first. Same-source digits never suppress each other: a caller
 * who presses 5 twice means 55. Pairing each delivered digit with at most one
 * duplicate keeps fast repeats of one key (a PIN like 5555) intact.
 *
 * Memory is bounded by count as well as time: a digit that has absorbed its
 * duplicate is forgotten, and only the newest `maxRemembered` others are
 * kept. A duplicate follows its twin within a packet or two, so only the
 * last few digits can still pair; the bound keeps each digit's cost fixed
 * however many a caller sends.
 */
import type { DtmfKey } from '../dsp/dtmf-keys.ts';
import type { DigitSource } from './call-events.ts';

export interface MergedDigit {
  readonly digit: DtmfKey;
  readonly startMs: number;
  readonly endMs: number;
  readonly source: DigitSource;
}

export interface DigitMergerOptions {
  /** Slack in ms added to both ends of each interval before testing for overlap. */
  matchWindowMs: number;
  /** Delivered digits older than this (ms before the newest digit's start) are forgotten. */
  memoryMs: number;
  /** Most delivered digits kept waiting for a duplicate; the oldest goes first. */
  maxRemembered: number;
}

export const DEFAULT_DIGIT_MERGER_OPTIONS: DigitMergerOptions = {
  // Platforms send their DTMF event within a packet or two of the tone; a
  // 120 ms slack on each interval tolerates an event up to 240 ms away from
  // its tone. Pairing at most once means only a press that one path missed
  // could be merged with a neighbour that close.
  matchWindowMs: 120,
  memoryMs: 5000,
  // At 10 keys a second, 240 ms of slack spans three presses; 16 is ample.
  maxRemembered: 16,
};

export class DigitMerger {
  private readonly options: DigitMergerOptions;
  /** Delivered digits that have not absorbed a duplicate, oldest first. */
  private delivered: MergedDigit[] = [];

  constructor(options: Partial<DigitMergerOptions> = {}) {
    this.options = { ...DEFAULT_DIGIT_MERGER_OPTIONS, ...options };
  }

  /** True when `digit` is a new key press to pass on; false when it repeats one already passed on. */
  accept(digit: MergedDigit): boolean {
    const w = this.options.matchWindowMs;
    this.delivered = this.delivered.filter((d) => d.endMs >= digit.startMs - this.options.memoryMs);
    const twin = this.delivered.findIndex(
      (d) =>
        d.digit === digit.digit &&
        d.source !== digit.source &&
        digit.startMs - w <= d.endMs + w &&
        d.startMs - w <= digit.endMs + w,
    );
    if (twin >= 0) {
      // Paired once, it can absorb no other duplicate.
      this.delivered.splice(twin, 1);
      return false;
    }
    this.delivered.push(digit);
    if (this.delivered.length > this.options.maxRemembered) this.delivered.shift();
    return true;
  }

  reset(): void {
    this.delivered = [];
  }
}

/**
 * Timing and level of the softphone's key tones. A phone plays each key for
 * its full tone and gap even when keys come faster, so presses queue up:
 * each tone starts no earlier than the previous tone's end plus the gap.
 * Pure: times are AudioContext seconds passed in by the caller.
 */
import { keyFrequencies, type DtmfKey } from '../../dsp/dtmf-keys.ts';
import { dbm0ToAmplitude, FULL_SCALE } from '../../dsp/levels.ts';

export interface KeyToneOptions {
  /** Tone duration in ms. */
  onMs: number;
  /** Silence after each tone before the next may start, in ms. */
  offMs: number;
  /** Level of each of the two tones in dBm0. */
  levelDbm0: number;
}

export const DEFAULT_KEY_TONE_OPTIONS: KeyToneOptions = { onMs: 100, offMs: 100, levelDbm0: -10 };

/** Accepted ranges of the controls, checked once where the page reads them. */
export const KEY_TONE_LIMITS = {
  onMs: { min: 20, max: 1000 },
  offMs: { min: 20, max: 1000 },
  levelDbm0: { min: -40, max: 0 },
} as const;

/**
 * A tone is scheduled this far ahead of "now": Web Audio applies graph
 * changes between render blocks, possibly several blocks later on a busy
 * machine, and a start time already past would clip the tone. 50 ms of
 * delay between key and tone goes unnoticed.
 */
export const SCHEDULE_LEAD_S = 0.05;

export interface ScheduledTone {
  readonly key: DtmfKey;
  readonly lowHz: number;
  readonly highHz: number;
  /** Peak of each sine on Web Audio's float scale (1.0 = 16-bit full scale). */
  readonly amplitude: number;
  readonly startS: number;
  readonly stopS: number;
}

/** Float peak of a sine at `levelDbm0` (0 dBm0 = 10^(-3.14/20), see levels.ts). */
export function toneAmplitude(levelDbm0: number): number {
  return dbm0ToAmplitude(levelDbm0) / FULL_SCALE;
}

export function checkKeyToneOptions(options: KeyToneOptions): string | undefined {
  for (const name of ['onMs', 'offMs', 'levelDbm0'] as const) {
    const { min, max } = KEY_TONE_LIMITS[name];
    const value = options[name];
    if (!Number.isFinite(value) || value < min || value > max) return `${name} must be from ${min} to ${max}, got ${value}`;
  }
  return undefined;
}

export class ToneScheduler {
  /** Earliest time the next tone may start. */
  private nextFreeS = -Infinity;
  private readonly queued: ScheduledTone[] = [];

  /** Schedules `key` as soon as possible after `nowS`. */
  schedule(key: DtmfKey, nowS: number, options: KeyToneOptions): ScheduledTone {
    const startS = Math.max(nowS + SCHEDULE_LEAD_S, this.nextFreeS);
    const stopS = startS + options.onMs / 1000;
    this.nextFreeS = stopS + options.offMs / 1000;
    const { lowHz, highHz } = keyFrequencies(key);
    const tone = { key, lowHz, highHz, amplitude: toneAmplitude(options.levelDbm0), startS, stopS };
    this.queued.push(tone);
    return tone;
  }

  /** Tones that have not finished by `nowS`, in order; the first may be sounding. */
  pending(nowS: number): readonly ScheduledTone[] {
    while (this.queued.length > 0 && this.queued[0]!.stopS <= nowS) this.queued.shift();
    return this.queued;
  }

  reset(): void {
    this.nextFreeS = -Infinity;
    this.queued.length = 0;
  }
}

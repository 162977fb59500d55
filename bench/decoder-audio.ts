/**
 * The decoder benchmark's audio: what a DTMF decoder hears from a caller,
 * ten minutes and more of 8 kHz PCM in repeating call-like cycles,
 * deterministic from fixed seeds:
 *   - pauses: line noise only (-62 dBm0) while the caller listens to a
 *     prompt or waits, 1-5 s each;
 *   - DTMF: a conference ID and a PIN, 6-12 keys each, 45-110 ms tones,
 *     45-150 ms gaps, -5 to -22 dBm0, twist -5 to +3 dB, frequency error
 *     within ±1 %, white noise at 22-40 dB SNR;
 *   - speech: the six espeak-ng talk-off fixtures, gain -9 to +3 dB, with
 *     0.3-1 s pauses between them;
 *   - music: chords and melodies of harmonic-rich notes (hold music heard
 *     back on the line), at -6 to +3 dB of their generated level;
 *   - noise: white noise at -22 to -40 dBm0 (a noisy room or street);
 * all over the -62 dBm0 line-noise floor.
 */
import { readdirSync } from 'node:fs';
import { addNoise, synthesizeDtmf, toInt16 } from '../src/dsp/dtmf-generator.ts';
import { DTMF_KEYS } from '../src/dsp/dtmf-keys.ts';
import { dbm0ToPower } from '../src/dsp/levels.ts';
import { seededRandom } from '../src/dsp/random.ts';
import { chords, melody } from '../test/dsp/helpers/music.ts';
import { readWavFixture } from '../test/dsp/helpers/wav-fixture.ts';

export const BENCH_RATE = 8000;
const FIXTURES = new URL('../test/fixtures/talk-off/', import.meta.url).pathname;

export type SectionKind = 'pause' | 'dtmf' | 'speech' | 'music' | 'noise';

export interface BenchAudio {
  samples: Int16Array;
  /** Seconds of each kind of section. */
  seconds: Record<SectionKind, number>;
  /** Keys planted in the DTMF sections, in order. */
  plantedDigits: string;
  /** The same cycles without their pauses: every section active. */
  activeOnly: Int16Array;
}

export function buildBenchAudio(minSeconds = 600): BenchAudio {
  const random = seededRandom(2024);
  const speech = readdirSync(FIXTURES)
    .filter((name) => name.endsWith('.wav'))
    .sort()
    .map((name) => readWavFixture(FIXTURES + name).samples);
  const music = [chords(15, BENCH_RATE, 11, 2500), melody(15, BENCH_RATE, 12, 3000), chords(15, BENCH_RATE, 13, 2000), melody(15, BENCH_RATE, 14, 3500)];
  const parts: { kind: SectionKind; samples: Float32Array }[] = [];
  const seconds: Record<SectionKind, number> = { pause: 0, dtmf: 0, speech: 0, music: 0, noise: 0 };
  let planted = '';
  let total = 0;
  const add = (kind: SectionKind, samples: Float32Array) => {
    parts.push({ kind, samples });
    seconds[kind] += samples.length / BENCH_RATE;
    total += samples.length;
  };
  const pause = (from: number, to: number) => add('pause', new Float32Array(Math.round(BENCH_RATE * (from + random() * (to - from)))));
  const dtmf = (seed: number) => {
    const count = 6 + Math.floor(random() * 7);
    const digits = Array.from({ length: count }, () => DTMF_KEYS[Math.floor(random() * 16)]!).join('');
    planted += digits;
    const tones = synthesizeDtmf(digits, {
      onMs: 45 + random() * 65,
      offMs: 45 + random() * 105,
      levelDbm0: -5 - random() * 17,
      twistDb: -5 + random() * 8,
      frequencyErrorPct: -1 + random() * 2,
      snrDb: 22 + random() * 18,
      seed,
    });
    add('dtmf', Float32Array.from(tones));
  };
  for (let cycle = 0; total < minSeconds * BENCH_RATE; cycle++) {
    pause(2, 5); // welcome prompt
    dtmf(cycle * 10 + 1); // conference ID
    pause(1, 3); // PIN prompt
    dtmf(cycle * 10 + 2); // PIN
    add('music', music[cycle % music.length]!.map((x) => x * 10 ** ((-6 + random() * 9) / 20)));
    const gain = 10 ** ((-9 + random() * 12) / 20);
    for (const clip of speech) {
      add('speech', Float32Array.from(clip, (x) => x * gain));
      pause(0.3, 1);
    }
    const noise = new Float32Array(6 * BENCH_RATE);
    addNoise(noise, dbm0ToPower(-22 - random() * 18), 500 + cycle);
    add('noise', noise);
    pause(1, 3);
  }
  const mix = (keep: (kind: SectionKind) => boolean): Int16Array => {
    const length = parts.reduce((sum, part) => sum + (keep(part.kind) ? part.samples.length : 0), 0);
    const mixed = new Float32Array(length);
    let at = 0;
    for (const part of parts) {
      if (!keep(part.kind)) continue;
      mixed.set(part.samples, at);
      at += part.samples.length;
    }
    addNoise(mixed, dbm0ToPower(-62), 7);
    return toInt16(mixed);
  };
  return { samples: mix(() => true), seconds, plantedDigits: planted, activeOnly: mix((kind) => kind !== 'pause') };
}

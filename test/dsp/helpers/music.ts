/**
 * Music-like test signals for talk-off: notes with harmonics, chords,
 * melodies and frequency sweeps, all deterministic from a seed.
 */
import { seededRandom } from '../../../src/dsp/random.ts';

/** Equal-tempered pitch of a MIDI note number (A4 = 69 = 440 Hz). */
export function noteHz(midi: number): number {
  return 440 * 2 ** ((midi - 69) / 12);
}

/**
 * Mixes a note into `out`: partial n (1-based) at n x hz with relative
 * amplitude harmonics[n - 1], with 10 ms attack and release ramps.
 */
export function addNote(
  out: Float32Array,
  startSample: number,
  lengthSamples: number,
  hz: number,
  amplitude: number,
  harmonics: readonly number[],
  sampleRate: number,
): void {
  const ramp = Math.max(1, Math.round(sampleRate * 0.01));
  const end = Math.min(out.length, startSample + lengthSamples);
  for (let i = Math.max(0, startSample); i < end; i++) {
    const t = i - startSample;
    const envelope = Math.min(1, t / ramp, (end - 1 - i) / ramp);
    let value = 0;
    for (let n = 1; n <= harmonics.length; n++) {
      if (n * hz >= sampleRate / 2) break;
      value += harmonics[n - 1]! * Math.sin((2 * Math.PI * n * hz * t) / sampleRate);
    }
    out[i]! += amplitude * envelope * value;
  }
}

/** A sine whose frequency moves from `fromHz` to `toHz`, linearly or exponentially in time. */
export function addSweep(
  out: Float32Array,
  startSample: number,
  lengthSamples: number,
  fromHz: number,
  toHz: number,
  amplitude: number,
  sampleRate: number,
  shape: 'linear' | 'exponential',
): void {
  let phase = 0;
  const end = Math.min(out.length, startSample + lengthSamples);
  for (let i = Math.max(0, startSample); i < end; i++) {
    const x = (i - startSample) / lengthSamples;
    const hz = shape === 'linear' ? fromHz + (toHz - fromHz) * x : fromHz * (toHz / fromHz) ** x;
    phase += (2 * Math.PI * hz) / sampleRate;
    out[i]! += amplitude * Math.sin(phase);
  }
}

/** Timbres: relative amplitudes of partials 1, 2, 3, ... */
export const TIMBRES = {
  string: [1, 0.5, 0.33, 0.25, 0.2, 0.17],
  reed: [1, 0.2, 0.6, 0.1, 0.4, 0.05],
  organ: [1, 0.7, 0.5, 0.4, 0.1, 0.3],
  flute: [1, 0.25, 0.1],
} as const;

/**
 * Random chords (two to four notes, MIDI 55-92, one timbre each), each
 * 150-500 ms, back to back: `seconds` of audio at `level` peak amplitude per note.
 */
export function chords(seconds: number, sampleRate: number, seed: number, amplitude: number): Float32Array {
  const random = seededRandom(seed);
  const out = new Float32Array(Math.round(seconds * sampleRate));
  const timbres = Object.values(TIMBRES);
  let at = 0;
  while (at < out.length) {
    const length = Math.round(sampleRate * (0.15 + 0.35 * random()));
    const notes = 2 + Math.floor(random() * 3);
    const timbre = timbres[Math.floor(random() * timbres.length)]!;
    for (let n = 0; n < notes; n++) {
      addNote(out, at, length, noteHz(55 + Math.floor(random() * 38)), amplitude, timbre, sampleRate);
    }
    at += length;
  }
  return out;
}

/** A melody of notes (MIDI 60-96) over a bass line, notes 60-300 ms. */
export function melody(seconds: number, sampleRate: number, seed: number, amplitude: number): Float32Array {
  const random = seededRandom(seed);
  const out = new Float32Array(Math.round(seconds * sampleRate));
  const timbres = Object.values(TIMBRES);
  let at = 0;
  let pitch = 72;
  while (at < out.length) {
    const length = Math.round(sampleRate * (0.06 + 0.24 * random()));
    pitch = Math.min(96, Math.max(60, pitch + Math.floor(random() * 9) - 4));
    const timbre = timbres[Math.floor(random() * timbres.length)]!;
    addNote(out, at, length, noteHz(pitch), amplitude, timbre, sampleRate);
    addNote(out, at, length, noteHz(pitch - 24 - Math.floor(random() * 5)), amplitude * 0.6, TIMBRES.string, sampleRate);
    at += length;
  }
  return out;
}

/** Frequency (Hz) of a sweep at fraction x (0 to 1) of its length. */
export function sweepHz(fromHz: number, toHz: number, x: number, shape: 'linear' | 'exponential'): number {
  return shape === 'linear' ? fromHz + (toHz - fromHz) * x : fromHz * (toHz / fromHz) ** x;
}

/**
 * Longest time (ms) during which two simultaneous sweeps are both within
 * ±`tolerancePct` of the row and column of one DTMF key: below 23 ms with
 * 3.5 %, Q.24 requires a receiver to reject the pair.
 */
export function longestDtmfLikeMs(
  low: { fromHz: number; toHz: number },
  high: { fromHz: number; toHz: number },
  seconds: number,
  shape: 'linear' | 'exponential',
  rows: readonly number[],
  columns: readonly number[],
  tolerancePct = 3.5,
): number {
  const stepMs = 0.25;
  const near = (hz: number, nominal: number) => Math.abs(hz - nominal) <= (nominal * tolerancePct) / 100;
  let longest = 0;
  const run = new Map<string, number>();
  for (let t = 0; t <= seconds * 1000; t += stepMs) {
    const x = t / (seconds * 1000);
    const a = sweepHz(low.fromHz, low.toHz, x, shape);
    const b = sweepHz(high.fromHz, high.toHz, x, shape);
    for (const row of rows) {
      for (const col of columns) {
        const key = `${row}/${col}`;
        const inside = (near(a, row) && near(b, col)) || (near(b, row) && near(a, col));
        const length = inside ? (run.get(key) ?? 0) + stepMs : 0;
        run.set(key, length);
        longest = Math.max(longest, length);
      }
    }
  }
  return longest;
}

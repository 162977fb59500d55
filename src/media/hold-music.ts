/**
 * The lobby's hold music: an eight-bar tune over a I–vi–IV–V progression in
 * C major (melody, chord pad and bass), synthesized additively so that it is
 * royalty-free and identical on every run. Pure: returns samples, no I/O.
 *
 * Safe from talk-off by construction. A DTMF digit is one row tone
 * (697–941 Hz) together with one column tone (1209–1633 Hz) (ITU-T Q.23), and
 * receivers accept a frequency error of a few percent (Q.24 allows ±1.5 % plus
 * tolerance; we assume at most 4 %). Every partial of every note stays below
 * MAX_PARTIAL_HZ, so the music has no component in the column band at all and
 * no pair of its tones can look like a key. Soft attacks and releases keep the
 * spectral spread of note onsets to a few tens of Hz.
 *
 * The loop is seamless because the tune is rendered circularly: a note ringing
 * past the end of bar 8 is mixed into the start of bar 1, so the output is one
 * period of a periodic signal and the wrap is like any other sample step.
 */
import { AudioParameterError } from '../errors.ts';
import { checkSampleRate, toInt16 } from '../dsp/dtmf-generator.ts';
import { COLUMN_HZ } from '../dsp/dtmf-keys.ts';
import { FULL_SCALE } from '../dsp/levels.ts';

/** Lowest column frequency less the widest receiver tolerance we assume (4 %), less a margin for onset spread. */
export const MAX_PARTIAL_HZ = Math.floor(COLUMN_HZ[0] * 0.96) - 60; // 1100 Hz

export interface HoldMusicOptions {
  /** Samples per second of the output, 8000 to 48000. */
  sampleRate: number;
  /** Tempo in beats per minute; the loop is 32 beats long. */
  tempoBpm: number;
  /** Peak level of the loop in dB relative to 16-bit full scale (negative). */
  peakDbfs: number;
}

export const DEFAULT_HOLD_MUSIC_OPTIONS: HoldMusicOptions = {
  sampleRate: 8000,
  tempoBpm: 120,
  peakDbfs: -10,
};

export const BEATS_PER_BAR = 4;
/** Bars in one loop of the tune. */
export const HOLD_MUSIC_BARS = 8;

type Note = readonly [name: string, beats: number];

/** Melody, bar by bar; each bar's notes add up to four beats. */
export const MELODY: readonly (readonly Note[])[] = [
  [['C5', 1], ['E5', 1], ['G5', 1.5], ['E5', 0.5]],
  [['A4', 1], ['C5', 1], ['E5', 2]],
  [['F5', 1], ['E5', 0.5], ['D5', 0.5], ['C5', 1], ['A4', 1]],
  [['B4', 1], ['D5', 1], ['G5', 2]],
  [['G5', 1], ['E5', 1], ['C5', 1.5], ['D5', 0.5]],
  [['E5', 1], ['A5', 1], ['G5', 1], ['E5', 1]],
  [['F5', 1], ['A5', 1], ['G5', 0.5], ['F5', 0.5], ['E5', 0.5], ['D5', 0.5]],
  [['D5', 2], ['B4', 1], ['G4', 1]],
];

/** I–vi–IV–V twice: the pad voicing of each bar, and the bass on beats 1 and 3. */
export const HARMONY: readonly { chord: string; pad: readonly string[]; bass: readonly [string, string] }[] = [
  { chord: 'C', pad: ['C4', 'E4', 'G4'], bass: ['C3', 'G2'] },
  { chord: 'Am', pad: ['A3', 'C4', 'E4'], bass: ['A2', 'E2'] },
  { chord: 'F', pad: ['A3', 'C4', 'F4'], bass: ['F2', 'C3'] },
  { chord: 'G', pad: ['G3', 'B3', 'D4'], bass: ['G2', 'D3'] },
  { chord: 'C', pad: ['C4', 'E4', 'G4'], bass: ['C3', 'G2'] },
  { chord: 'Am', pad: ['A3', 'C4', 'E4'], bass: ['A2', 'E2'] },
  { chord: 'F', pad: ['A3', 'C4', 'F4'], bass: ['F2', 'C3'] },
  { chord: 'G', pad: ['G3', 'B3', 'D4'], bass: ['G2', 'D3'] },
];

/** How one instrument sounds: envelope and harmonic make-up. */
interface Voice {
  /** Raised-cosine attack. */
  attackMs: number;
  /** Exponential decay time constant of the fundamental while the note is held. */
  decayMs: number;
  /** Raised-cosine release after the note ends. */
  releaseMs: number;
  /** Part of the written length the note is held (legato 1, detached < 1). */
  gate: number;
  /** Amplitude of partial k is gain / k^rolloff. */
  rolloff: number;
  /** At most this many partials (before the MAX_PARTIAL_HZ cap). */
  maxPartials: number;
  gain: number;
}

/** Soft electric-piano melody, a slow string-like pad, a plucked bass. */
const MELODY_VOICE: Voice = { attackMs: 25, decayMs: 900, releaseMs: 120, gate: 0.92, rolloff: 1.6, maxPartials: 4, gain: 1 };
const PAD_VOICE: Voice = { attackMs: 350, decayMs: 6000, releaseMs: 500, gate: 1, rolloff: 1.3, maxPartials: 4, gain: 0.22 };
const BASS_VOICE: Voice = { attackMs: 12, decayMs: 450, releaseMs: 150, gate: 0.95, rolloff: 1.0, maxPartials: 8, gain: 0.5 };

const NOTE_OFFSETS: Readonly<Record<string, number>> = { C: -9, D: -7, E: -5, F: -4, G: -2, A: 0, B: 2 };

/** Equal-tempered frequency of a note name such as 'A4' (440 Hz) or 'F#5'. */
export function noteHz(name: string): number {
  const match = /^([A-G])(#|b)?(\d)$/.exec(name);
  if (!match) throw new AudioParameterError(`'${name}' is not a note name like A4 or F#5`);
  const semitone = NOTE_OFFSETS[match[1]!]! + (match[2] === '#' ? 1 : match[2] === 'b' ? -1 : 0);
  const octave = Number(match[3]);
  return 440 * 2 ** ((semitone + 12 * (octave - 4)) / 12);
}

/** Length of one loop in samples: 32 beats. */
export function holdMusicLoopSamples(partial: Partial<HoldMusicOptions> = {}): number {
  const options = { ...DEFAULT_HOLD_MUSIC_OPTIONS, ...partial };
  return samplesPerBeat(options) * BEATS_PER_BAR * HOLD_MUSIC_BARS;
}

function samplesPerBeat(options: HoldMusicOptions): number {
  return Math.round((60 * options.sampleRate) / options.tempoBpm);
}

function validate(options: HoldMusicOptions): void {
  checkSampleRate(options.sampleRate);
  if (!Number.isFinite(options.tempoBpm) || options.tempoBpm < 40 || options.tempoBpm > 240) {
    throw new AudioParameterError(`tempo must be 40 to 240 beats per minute, got ${options.tempoBpm}`);
  }
  if (!Number.isFinite(options.peakDbfs) || options.peakDbfs > 0 || options.peakDbfs < -40) {
    throw new AudioParameterError(`peak level must be -40 to 0 dBFS, got ${options.peakDbfs}`);
  }
}

/** Renders one loop of the hold music as 16-bit PCM; play it repeatedly for a seamless loop. */
export function synthesizeHoldMusic(partial: Partial<HoldMusicOptions> = {}): Int16Array {
  const options = { ...DEFAULT_HOLD_MUSIC_OPTIONS, ...partial };
  validate(options);
  const beat = samplesPerBeat(options);
  const bar = beat * BEATS_PER_BAR;
  const mix = new Float32Array(bar * HOLD_MUSIC_BARS);
  const render = (voice: Voice, name: string, startSample: number, beats: number, velocity: number): void =>
    renderNote(mix, voice, noteHz(name), startSample, Math.round(beats * beat), velocity, options.sampleRate);

  MELODY.forEach((notes, barIndex) => {
    let position = 0;
    for (const [name, beats] of notes) {
      const accent = position === 0 ? 1 : position === 2 ? 0.9 : 0.8;
      render(MELODY_VOICE, name, barIndex * bar + Math.round(position * beat), beats, accent);
      position += beats;
    }
  });
  HARMONY.forEach(({ pad, bass }, barIndex) => {
    for (const name of pad) render(PAD_VOICE, name, barIndex * bar, BEATS_PER_BAR, 1);
    render(BASS_VOICE, bass[0], barIndex * bar, 2, 1);
    render(BASS_VOICE, bass[1], barIndex * bar + 2 * beat, 2, 0.85);
  });

  let peak = 0;
  for (const value of mix) peak = Math.max(peak, Math.abs(value));
  const scale = (FULL_SCALE * 10 ** (options.peakDbfs / 20)) / peak;
  for (let i = 0; i < mix.length; i++) mix[i]! *= scale;
  return toInt16(rotateToZeroCrossing(mix, Math.round(options.sampleRate / 100)));
}

/**
 * Starts the loop at the quietest upward zero crossing within `window`
 * samples of bar 1, so that playback starting from silence does not click.
 * Rotating a periodic signal leaves the wrap as smooth as before.
 */
function rotateToZeroCrossing(mix: Float32Array, window: number): Float32Array {
  const at = (i: number): number => mix[(i + mix.length) % mix.length]!;
  let best = 0;
  let bestLevel = Infinity;
  for (let i = -window; i <= window; i++) {
    if (at(i - 1) < 0 && at(i) >= 0 && Math.abs(at(i)) < bestLevel) {
      best = i;
      bestLevel = Math.abs(at(i));
    }
  }
  const start = (best + mix.length) % mix.length;
  const rotated = new Float32Array(mix.length);
  rotated.set(mix.subarray(start));
  rotated.set(mix.subarray(0, start), mix.length - start);
  return rotated;
}

/** Mixes one note, all its partials, into the circular buffer `mix`. */
function renderNote(
  mix: Float32Array,
  voice: Voice,
  fundamentalHz: number,
  startSample: number,
  heldSamples: number,
  velocity: number,
  sampleRate: number,
): void {
  const gateSamples = Math.round(heldSamples * voice.gate);
  const attack = Math.max(1, Math.round((voice.attackMs * sampleRate) / 1000));
  const release = Math.max(1, Math.round((voice.releaseMs * sampleRate) / 1000));
  const total = gateSamples + release;
  const loop = mix.length;
  for (let k = 1; k <= voice.maxPartials && k * fundamentalHz <= MAX_PARTIAL_HZ; k++) {
    const amplitude = (voice.gain * velocity) / k ** voice.rolloff;
    // Upper partials die away faster, as on struck or plucked strings.
    const decayPerSample = 1 / ((voice.decayMs * sampleRate) / 1000 / Math.sqrt(k));
    const step = (2 * Math.PI * k * fundamentalHz) / sampleRate;
    let heldLevel = 0;
    for (let i = 0; i < total; i++) {
      let envelope: number;
      if (i < gateSamples) {
        const rise = i < attack ? 0.5 - 0.5 * Math.cos((Math.PI * i) / attack) : 1;
        envelope = rise * Math.exp(-i * decayPerSample);
        heldLevel = envelope;
      } else {
        envelope = heldLevel * (0.5 + 0.5 * Math.cos((Math.PI * (i - gateSamples)) / release));
      }
      mix[(startSample + i) % loop]! += amplitude * envelope * Math.sin(step * i);
    }
  }
}

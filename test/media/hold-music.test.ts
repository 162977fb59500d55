import { describe, expect, it } from 'vitest';
import { AudioParameterError } from '../../src/errors.ts';
import {
  BEATS_PER_BAR,
  HARMONY,
  HOLD_MUSIC_BARS,
  MAX_PARTIAL_HZ,
  MELODY,
  holdMusicLoopSamples,
  noteHz,
  synthesizeHoldMusic,
} from '../../src/media/hold-music.ts';

/**
 * Fraction of the signal's power between loHz and hiHz: averaged Hann-windowed
 * periodograms of 4096-sample segments (2 Hz bins, leakage far below -80 dB
 * at 60 Hz from a component).
 */
function bandPowerFraction(x: Int16Array, loHz: number, hiHz: number, sampleRate: number): number {
  const size = 4096;
  const cos = new Float64Array(size);
  const sin = new Float64Array(size);
  for (let i = 0; i < size; i++) {
    cos[i] = Math.cos((2 * Math.PI * i) / size);
    sin[i] = Math.sin((2 * Math.PI * i) / size);
  }
  const segment = new Float64Array(size);
  let band = 0;
  let total = 0;
  for (let start = 0; start + size <= x.length; start += size) {
    for (let i = 0; i < size; i++) segment[i] = x[start + i]! * (0.5 - 0.5 * cos[i]!);
    for (let bin = 0; bin <= size / 2; bin++) {
      const hz = (bin * sampleRate) / size;
      let re = 0;
      let im = 0;
      for (let i = 0; i < size; i++) {
        const k = (bin * i) % size;
        re += segment[i]! * cos[k]!;
        im -= segment[i]! * sin[k]!;
      }
      const power = re * re + im * im;
      total += power;
      if (hz >= loHz && hz <= hiHz) band += power;
    }
  }
  return band / total;
}

describe('synthesizeHoldMusic', () => {
  const music = synthesizeHoldMusic();

  it('is identical on every run', () => {
    expect(synthesizeHoldMusic()).toEqual(music);
  });

  it('is eight bars of four beats at 120 bpm: 16 s at 8 kHz', () => {
    expect(music).toHaveLength(holdMusicLoopSamples());
    expect(music.length).toBe(16 * 8000);
    expect(holdMusicLoopSamples({ sampleRate: 16000, tempoBpm: 100 })).toBe(32 * 9600);
  });

  it('writes a melody of four beats per bar over the I–vi–IV–V progression', () => {
    expect(MELODY).toHaveLength(HOLD_MUSIC_BARS);
    for (const bar of MELODY) expect(bar.reduce((sum, [, beats]) => sum + beats, 0)).toBe(BEATS_PER_BAR);
    expect(HARMONY.map((h) => h.chord)).toEqual(['C', 'Am', 'F', 'G', 'C', 'Am', 'F', 'G']);
  });

  it('names notes in equal temperament from A4 = 440 Hz', () => {
    expect(noteHz('A4')).toBe(440);
    expect(noteHz('C4')).toBeCloseTo(261.626, 3);
    expect(noteHz('F#5')).toBeCloseTo(739.989, 3);
    expect(() => noteHz('H2')).toThrow(AudioParameterError);
  });

  it('wraps from the last sample to the first as smoothly as any other step', () => {
    const at = (i: number): number => music[(i + music.length) % music.length]!;
    const percentile = (values: number[], p: number): number => values.sort((a, b) => a - b)[Math.floor(values.length * p)]!;
    const steps: number[] = [];
    const bends: number[] = [];
    for (let i = 1; i < music.length - 1; i++) {
      steps.push(Math.abs(at(i) - at(i - 1)));
      bends.push(Math.abs(at(i + 1) - 2 * at(i) + at(i - 1)));
    }
    const end = music.length;
    expect(Math.abs(at(end) - at(end - 1))).toBeLessThanOrEqual(percentile(steps, 0.95));
    // Second differences across the wrap: a splice shows up as a kink even when the step is small.
    for (const i of [end - 1, end]) {
      expect(Math.abs(at(i + 1) - 2 * at(i) + at(i - 1))).toBeLessThanOrEqual(percentile(bends, 0.95));
    }
    // Starting from silence does not click either: the loop begins at a zero crossing.
    expect(Math.abs(music[0]!)).toBeLessThan(percentile(steps, 0.5) / 2);
  });

  it('has a sane level: peak -10 dBFS, RMS near speech prompts (-28 to -18 dBFS), never silent for long', () => {
    let peak = 0;
    let sum = 0;
    for (const v of music) {
      peak = Math.max(peak, Math.abs(v));
      sum += v * v;
    }
    expect(20 * Math.log10(peak / 32767)).toBeCloseTo(-10, 1);
    const rmsDbfs = 10 * Math.log10(sum / music.length / 32767 ** 2);
    expect(rmsDbfs).toBeGreaterThan(-28);
    expect(rmsDbfs).toBeLessThan(-18);
    for (let start = 0; start < music.length; start += 800) {
      let blockSum = 0;
      for (let i = start; i < start + 800; i++) blockSum += music[i]! ** 2;
      expect(10 * Math.log10(blockSum / 800 / 32767 ** 2)).toBeGreaterThan(-45);
    }
  });

  it('has no energy in the DTMF column band, so no pair of its tones can form a key', () => {
    const excerpt = music.subarray(0, 4096 * 8);
    expect(bandPowerFraction(excerpt, MAX_PARTIAL_HZ + 60, 1700, 8000)).toBeLessThan(1e-7);
    // The measurement does see music where there is some: the row band.
    expect(bandPowerFraction(excerpt, 680, 960, 8000)).toBeGreaterThan(1e-2);
  });

  it('rejects a sample rate, tempo or level out of range', () => {
    expect(() => synthesizeHoldMusic({ sampleRate: 4000 })).toThrow(AudioParameterError);
    expect(() => synthesizeHoldMusic({ tempoBpm: 0 })).toThrow(AudioParameterError);
    expect(() => synthesizeHoldMusic({ peakDbfs: 3 })).toThrow(AudioParameterError);
  });
});

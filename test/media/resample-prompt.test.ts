import { describe, expect, it } from 'vitest';
import { resamplePrompt } from '../../src/media/resample-prompt.ts';

function sine(hz: number, sampleRate: number, length: number, amplitude = 10000): Int16Array {
  const out = new Int16Array(length);
  for (let i = 0; i < length; i++) out[i] = Math.round(amplitude * Math.sin((2 * Math.PI * hz * i) / sampleRate));
  return out;
}

function maxError(a: Int16Array, b: Int16Array, from = 0, to = a.length): number {
  let worst = 0;
  for (let i = from; i < to; i++) worst = Math.max(worst, Math.abs(a[i]! - b[i]!));
  return worst;
}

describe('resamplePrompt', () => {
  it('returns the same array when the rates are equal', () => {
    const samples = sine(440, 8000, 100);
    expect(resamplePrompt(samples, 8000, 8000, false)).toBe(samples);
  });

  it('upsamples a tone from 8 to 16 and 48 kHz with the duration preserved', () => {
    for (const hz of [300, 1000, 3000]) {
      const input = sine(hz, 8000, 8000);
      for (const rate of [16000, 48000]) {
        const output = resamplePrompt(input, 8000, rate, false);
        expect(output).toHaveLength(rate);
        // Away from the edges (where the prompt meets silence) it is the same tone.
        const edge = rate / 100;
        expect(maxError(output, sine(hz, rate, rate), edge, rate - edge)).toBeLessThan(10000 * 0.01);
      }
    }
  });

  it('keeps images of the telephone band out of wideband output', () => {
    const output = resamplePrompt(sine(3000, 8000, 8000), 8000, 48000, false);
    // The first image of 3 kHz would be at 5 kHz.
    let re = 0;
    let im = 0;
    for (let i = 4800; i < 43200; i++) {
      re += output[i]! * Math.cos((2 * Math.PI * 5000 * i) / 48000);
      im += output[i]! * Math.sin((2 * Math.PI * 5000 * i) / 48000);
    }
    const imageAmplitude = (2 * Math.hypot(re, im)) / (43200 - 4800);
    expect(imageAmplitude).toBeLessThan(10000 * 10 ** (-50 / 20));
  });

  it('resamples a looped prompt as a cycle, so the loop stays seamless', () => {
    // Without the cycle the filter would fade the ends towards silence.
    const shortLoop = resamplePrompt(sine(500, 8000, 16), 8000, 16000, true);
    expect(maxError(shortLoop, sine(500, 16000, 32))).toBeLessThan(10000 * 0.005);
    // 100 cycles of 500 Hz in 1600 samples: periodic at 8 kHz.
    const loop = sine(500, 8000, 1600);
    const output = resamplePrompt(loop, 8000, 48000, true);
    expect(output).toHaveLength(9600);
    const twice = new Int16Array(19200);
    twice.set(output);
    twice.set(output, 9600);
    expect(maxError(twice, sine(500, 48000, 19200))).toBeLessThan(10000 * 0.005);
  });

  it('downsamples from 48 to 8 kHz, removing what 8 kHz cannot carry', () => {
    const low = resamplePrompt(sine(1000, 48000, 48000), 48000, 8000, false);
    expect(low).toHaveLength(8000);
    expect(maxError(low, sine(1000, 8000, 8000), 100, 7900)).toBeLessThan(100);
    const high = resamplePrompt(sine(6000, 48000, 48000), 48000, 8000, false);
    expect(maxError(high, new Int16Array(8000), 100, 7900)).toBeLessThan(100);
  });

  it('handles rates whose phases do not repeat soon (44.1 kHz, 47 999 Hz)', () => {
    const output = resamplePrompt(sine(1000, 8000, 800), 8000, 44100, false);
    expect(output).toHaveLength(4410);
    expect(maxError(output, sine(1000, 44100, 4410), 441, 3969)).toBeLessThan(100);
    const odd = resamplePrompt(sine(1000, 8000, 800), 8000, 47999, false);
    expect(odd).toHaveLength(4800);
    expect(maxError(odd, sine(1000, 47999, 4800), 480, 4320)).toBeLessThan(100);
    const loop = resamplePrompt(sine(500, 8000, 1600), 8000, 44100, true);
    expect(loop).toHaveLength(8820);
    expect(maxError(loop, sine(500, 44100, 8820))).toBeLessThan(100);
  });

  it('returns an empty prompt for an empty one', () => {
    expect(resamplePrompt(new Int16Array(0), 8000, 16000, false)).toHaveLength(0);
  });
});

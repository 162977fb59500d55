import { describe, expect, it } from 'vitest';
import { seededRandom } from '../../../src/dsp/random.ts';
import { Resampler } from '../../../src/web/client/resampler.ts';
import { db, sine, toneAmplitude } from './tone-measure.ts';

function resampleAll(input: Float32Array, inputRate: number, outputRate: number, splits?: number[]): Float32Array {
  const resampler = new Resampler({ inputRate, outputRate });
  const chunks: Float32Array[] = [];
  const run = (part: Float32Array) => {
    const out = new Float32Array(resampler.maxOutput(part.length));
    chunks.push(out.slice(0, resampler.process(part, out)));
  };
  let offset = 0;
  for (const size of splits ?? [input.length]) {
    run(input.subarray(offset, offset + size));
    offset += size;
  }
  if (offset < input.length) run(input.subarray(offset));
  const tail = new Float32Array(resampler.maxOutput(0) + 1024);
  chunks.push(tail.slice(0, resampler.flush(tail)));
  const total = new Float32Array(chunks.reduce((sum, chunk) => sum + chunk.length, 0));
  let at = 0;
  for (const chunk of chunks) {
    total.set(chunk, at);
    at += chunk.length;
  }
  return total;
}

/** Amplitude of `hz` in the output's steady middle (skipping the filter's edges). */
function outputAmplitude(input: Float32Array, inputRate: number, outputRate: number, hz: number): number {
  const out = resampleAll(input, inputRate, outputRate);
  const margin = Math.round(outputRate * 0.05);
  return toneAmplitude(out, hz, outputRate, margin, out.length - margin);
}

describe('Resampler', () => {
  it('passes a DTMF-band tone from 48 kHz to 8 kHz at unity gain', () => {
    for (const hz of [697, 941, 1209, 1633]) {
      const gain = outputAmplitude(sine(48000, hz, 48000), 48000, 8000, hz) / 0.5;
      expect(Math.abs(db(gain))).toBeLessThan(0.1);
    }
  });

  it('keeps tones above the 8 kHz call Nyquist from aliasing into the DTMF band', () => {
    // 6.5 kHz folds to 1.5 kHz and 9.2 kHz to 1.2 kHz at an 8 kHz rate; naive decimation would pass them at full level.
    for (const [hz, alias] of [[6500, 1500], [9200, 1200], [4700, 3300]] as const) {
      const leaked = outputAmplitude(sine(48000, hz, 48000), 48000, 8000, alias) / 0.5;
      expect(db(leaked)).toBeLessThan(-60);
    }
  });

  it('converts from 44.1 kHz, a ratio that is not whole, without shifting frequency', () => {
    const out = resampleAll(sine(44100, 1336, 44100), 44100, 8000);
    expect(out.length).toBeGreaterThanOrEqual(8000);
    expect(out.length).toBeLessThanOrEqual(8002);
    const at = toneAmplitude(out, 1336, 8000, 400, 7600);
    const beside = toneAmplitude(out, 1336 * 1.015, 8000, 400, 7600);
    expect(Math.abs(db(at / 0.5))).toBeLessThan(0.1);
    expect(db(beside / at)).toBeLessThan(-30);
  });

  it('interpolates 8 kHz up to 48 kHz with its images suppressed', () => {
    const input = sine(8000, 1000, 8000);
    const out = resampleAll(input, 8000, 48000);
    const margin = 2400;
    expect(Math.abs(db(toneAmplitude(out, 1000, 48000, margin, out.length - margin) / 0.5))).toBeLessThan(0.1);
    // The first images of a 1 kHz tone sampled at 8 kHz lie at 7 and 9 kHz.
    for (const image of [7000, 9000, 15000]) {
      expect(db(toneAmplitude(out, image, 48000, margin, out.length - margin) / 0.5)).toBeLessThan(-60);
    }
  });

  it('produces the same output whole, sample by sample, and in random splits', () => {
    const random = seededRandom(7);
    const input = new Float32Array(6000).map(() => random() * 2 - 1);
    const whole = resampleAll(input, 48000, 8000);
    const single = resampleAll(input, 48000, 8000, new Array<number>(input.length).fill(1));
    const sizes: number[] = [];
    for (let left = input.length; left > 0; ) {
      const size = Math.min(left, 1 + Math.floor(random() * 700));
      sizes.push(size);
      left -= size;
    }
    const splits = resampleAll(input, 48000, 8000, sizes);
    expect(single).toEqual(whole);
    expect(splits).toEqual(whole);
  });

  it('writes one output per input when the rates match, delayed by its latency only', () => {
    const input = sine(1000, 440, 16000);
    const resampler = new Resampler({ inputRate: 16000, outputRate: 16000 });
    const out = new Float32Array(resampler.maxOutput(input.length));
    const written = resampler.process(input, out);
    expect(written).toBe(input.length - Math.ceil(resampler.latencySamples));
    for (let i = 0; i < written; i++) expect(out[i]).toBeCloseTo(input[i]! * 1, 2);
  });

  it('stops at the end of the output buffer and keeps the rest for later', () => {
    const resampler = new Resampler({ inputRate: 8000, outputRate: 48000 });
    const small = new Float32Array(10);
    expect(resampler.process(sine(800, 500, 8000), small)).toBe(10);
    const rest = new Float32Array(resampler.maxOutput(0) + 8000);
    expect(resampler.process(new Float32Array(0), rest)).toBeGreaterThan(4000);
  });

  it('rejects rates and settings that cannot work', () => {
    expect(() => new Resampler({ inputRate: 0, outputRate: 8000 })).toThrow(RangeError);
    expect(() => new Resampler({ inputRate: 48000, outputRate: Number.NaN })).toThrow(/outputRate/);
    expect(() => new Resampler({ inputRate: 48000, outputRate: 8000, rolloff: 1.5 })).toThrow(/rolloff/);
    expect(() => new Resampler({ inputRate: 48000, outputRate: 8000, zeroCrossings: 1 })).toThrow(/zeroCrossings/);
  });
});

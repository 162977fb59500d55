import { describe, expect, it } from 'vitest';
import { synthesizeDtmf } from '../../src/dsp/dtmf-generator.ts';
import { DTMF_KEYS } from '../../src/dsp/dtmf-keys.ts';
import { createDigitDecoder } from '../../src/engines/create-digit-decoder.ts';
import { seededRandom } from '../../src/dsp/random.ts';
import { resample, Resampler } from '../../src/dsp/resampler.ts';
import { AudioParameterError } from '../../src/errors.ts';

const ALL_KEYS = DTMF_KEYS.join('');

function decodeDigits(samples: Int16Array, sampleRate: number): string {
  const decoder = createDigitDecoder('native', sampleRate);
  return [...decoder.push(samples), ...decoder.flush()].map((event) => event.digit).join('');
}

function sine(rate: number, hz: number, length: number, amplitude = 10000): Int16Array {
  return Int16Array.from({ length }, (_, i) => Math.round(amplitude * Math.sin((2 * Math.PI * hz * i) / rate)));
}

/** Signal-to-error ratio in dB of `actual` against `ideal`, ignoring `margin` samples at each end. */
function snrDb(ideal: Int16Array, actual: Int16Array, margin: number): number {
  let signal = 0;
  let error = 0;
  for (let i = margin; i < ideal.length - margin; i++) {
    signal += ideal[i]! ** 2;
    error += (ideal[i]! - actual[i]!) ** 2;
  }
  return 10 * Math.log10(signal / Math.max(error, 1e-9));
}

function power(samples: Int16Array, margin: number): number {
  let sum = 0;
  for (let i = margin; i < samples.length - margin; i++) sum += samples[i]! ** 2;
  return sum / (samples.length - 2 * margin);
}

function streamed(samples: Int16Array, inputRate: number, outputRate: number, seed: number): Int16Array {
  const resampler = new Resampler({ inputRate, outputRate });
  const random = seededRandom(seed);
  const parts: Int16Array[] = [];
  for (let at = 0; at < samples.length; ) {
    const length = random() < 0.1 ? 0 : Math.floor(random() * 700) + 1;
    parts.push(resampler.push(samples.subarray(at, at + length)));
    at += length;
  }
  parts.push(resampler.flush());
  const out = new Int16Array(parts.reduce((sum, part) => sum + part.length, 0));
  let at = 0;
  for (const part of parts) {
    out.set(part, at);
    at += part.length;
  }
  return out;
}

const RATE_PAIRS = [
  [8000, 48000], [48000, 8000], [8000, 16000], [16000, 8000], [44100, 8000],
  [8000, 44100], [11025, 22050], [22050, 16000], [8001, 47999], [47999, 8000],
] as const;

describe('Resampler', () => {
  for (const [from, to] of RATE_PAIRS) {
    it(`converts a 1477 Hz tone from ${from} to ${to} Hz in place and time, within 70 dB`, () => {
      const length = Math.floor(from / 4);
      const out = resample(sine(from, 1477, length), from, to);
      expect(out.length).toBe(Math.ceil((length * to) / from));
      const ideal = sine(to, 1477, out.length);
      expect(snrDb(ideal, out, Math.round(to / 50))).toBeGreaterThan(70);
    });
  }

  it('keeps the telephone band up to 3400 Hz at 8 kHz', () => {
    const out = resample(sine(48000, 3400, 12000), 48000, 8000);
    expect(snrDb(sine(8000, 3400, out.length), out, 200)).toBeGreaterThan(60);
  });

  for (const [from, hz] of [[48000, 6500], [48000, 7303], [48000, 9000], [48000, 4200], [16000, 6400], [44100, 6633]] as const) {
    it(`does not alias ${hz} Hz at ${from} Hz into the 8 kHz output`, () => {
      const input = sine(from, hz, Math.floor(from / 2), 16000);
      const out = resample(input, from, 8000);
      const residualDb = 10 * Math.log10(Math.max(power(out, 200), 1e-9) / (16000 ** 2 / 2));
      expect(residualDb).toBeLessThan(-70);
    });
  }

  for (const [from, to] of RATE_PAIRS) {
    it(`gives the same samples for random chunking as for a whole buffer (${from} -> ${to})`, () => {
      const input = synthesizeDtmf('1A', { sampleRate: from, onMs: 60, offMs: 40, snrDb: 15 });
      expect(streamed(input, from, to, from + to)).toEqual(resample(input, from, to));
    });
  }

  it('puts an impulse at the same time in the output', () => {
    const impulse = new Int16Array(400);
    impulse[100] = 20000;
    const up = resample(impulse, 8000, 48000);
    const peak = up.indexOf(Math.max(...up));
    expect(peak).toBe(600);
    const down = resample(resample(impulse, 8000, 48000), 48000, 8000);
    expect(down.indexOf(Math.max(...down))).toBe(100);
  });

  it('round-trips DTMF 8k -> 48k -> 8k with the tone pair intact', () => {
    const input = sine(8000, 697, 4000, 6000).map((v, i) => v + Math.round(6000 * Math.sin((2 * Math.PI * 1633 * i) / 8000)));
    const back = resample(resample(input, 8000, 48000), 48000, 8000);
    expect(back.length).toBe(input.length);
    expect(snrDb(input, back, 200)).toBeGreaterThan(65);
  });

  it('keeps all 16 keys decodable through 8k -> 48k -> 8k', () => {
    const input = synthesizeDtmf(ALL_KEYS, { sampleRate: 8000, snrDb: 25 });
    const up = resample(input, 8000, 48000);
    expect(decodeDigits(up, 48000)).toBe(ALL_KEYS);
    expect(decodeDigits(resample(up, 48000, 8000), 8000)).toBe(ALL_KEYS);
  });

  it('keeps DTMF decodable at 8 kHz when a 6700 Hz tone would alias onto 1300 Hz', () => {
    const clean = synthesizeDtmf(ALL_KEYS, { sampleRate: 48000 });
    const input = clean.map((v, i) => v + Math.round(8000 * Math.sin((2 * Math.PI * 6700 * i) / 48000)));
    // Picking every 6th sample (no filter) folds the interferer into the low group and loses keys.
    const naive = Int16Array.from({ length: Math.floor(input.length / 6) }, (_, i) => input[i * 6]!);
    expect(decodeDigits(naive, 8000)).not.toBe(ALL_KEYS);
    expect(decodeDigits(resample(input, 48000, 8000), 8000)).toBe(ALL_KEYS);
  });

  it('passes audio through unchanged at equal rates', () => {
    const input = synthesizeDtmf('5', { sampleRate: 16000 });
    const resampler = new Resampler({ inputRate: 16000, outputRate: 16000 });
    expect(resampler.push(input)).toEqual(input);
    expect(resampler.flush()).toHaveLength(0);
  });

  it('writes into a caller-supplied output and refuses one too small', () => {
    const resampler = new Resampler({ inputRate: 8000, outputRate: 48000 });
    const input = sine(8000, 1000, 160);
    const output = new Int16Array(resampler.maxOutput(input.length));
    const written = resampler.process(input, output);
    expect(written).toBeGreaterThan(0);
    expect(written).toBeLessThanOrEqual(output.length);
    expect(() => resampler.process(input, new Int16Array(10))).toThrow(AudioParameterError);
  });

  it('starts a new stream after flush as if freshly made', () => {
    const resampler = new Resampler({ inputRate: 16000, outputRate: 8000 });
    const input = synthesizeDtmf('9', { sampleRate: 16000, onMs: 50, offMs: 20 });
    const first = [resampler.push(input), resampler.flush()];
    const second = [resampler.push(input), resampler.flush()];
    expect(second).toEqual(first);
  });

  it('rejects rates outside 8-48 kHz', () => {
    expect(() => new Resampler({ inputRate: 96000, outputRate: 8000 })).toThrow(/input rate must be a whole number of Hz from 8000 to 48000, got 96000/);
    expect(() => new Resampler({ inputRate: 8000, outputRate: 7999 })).toThrow(AudioParameterError);
    expect(() => new Resampler({ inputRate: 8000.5, outputRate: 8000 })).toThrow(AudioParameterError);
  });
});

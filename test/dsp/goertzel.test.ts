import { describe, expect, it } from 'vitest';
import {
  goertzelCoefficient,
  goertzelPower,
  goertzelRingPowerWindowed,
  goertzelRingPowerWindowedPair,
  goertzelRingValueWindowed,
  hannWindow,
  windowValue,
} from '../../src/dsp/goertzel.ts';

function sine(length: number, hz: number, amplitude: number, rate: number, phase = 0): Int16Array {
  return Int16Array.from({ length }, (_, n) => Math.round(amplitude * Math.sin(phase + (2 * Math.PI * hz * n) / rate)));
}

describe('goertzel', () => {
  it('gives A^2 / 2 for a sine on the bin filling the block', () => {
    // 697 Hz is not on a bin of 102 at 8 kHz; 8000 * 9 / 102 = 705.88 Hz is.
    const hz = (8000 * 9) / 102;
    const power = goertzelPower(sine(102, hz, 10000, 8000, 0.3), 0, 102, goertzelCoefficient(hz, 8000));
    expect(power / (10000 ** 2 / 2)).toBeCloseTo(1, 3);
  });

  it('is near zero for a sine several bins away', () => {
    const power = goertzelPower(sine(102, 1209, 10000, 8000), 0, 102, goertzelCoefficient(697, 8000));
    expect(power / (10000 ** 2 / 2)).toBeLessThan(0.01);
  });

  it('reads a ring buffer across its end as one block', () => {
    const block = sine(102, 941, 8000, 8000);
    const ring = new Int16Array(136);
    for (let n = 0; n < 102; n++) ring[(100 + n) % 136] = block[n]!;
    const flat = new Float32Array(102).fill(1);
    const coefficient = goertzelCoefficient(941, 8000);
    const wrapped = goertzelRingPowerWindowed(ring, 100, flat, 102, coefficient);
    expect(wrapped).toBeCloseTo(goertzelPower(block, 0, 102, coefficient), 6);
  });

  it('measures two frequencies in one pass exactly as in two', () => {
    const block = sine(102, 1209, 9000, 8000, 0.4);
    const window = hannWindow(102);
    const sum = window.reduce((total, w) => total + w, 0);
    const [a, b] = [goertzelCoefficient(2418, 8000), goertzelCoefficient(1209, 8000)];
    const pair = new Float64Array(2);
    goertzelRingPowerWindowedPair(block, 0, window, sum, a, b, pair);
    expect(pair[0]).toBeCloseTo(goertzelRingPowerWindowed(block, 0, window, sum, a), 6);
    expect(pair[1]).toBeCloseTo(goertzelRingPowerWindowed(block, 0, window, sum, b), 6);
  });

  it('keeps the sine power normalisation through a Hann window', () => {
    const hz = (8000 * 20) / 102;
    const window = hannWindow(102);
    const sum = window.reduce((total, w) => total + w, 0);
    const power = goertzelRingPowerWindowed(sine(102, hz, 10000, 8000, 1), 0, window, sum, goertzelCoefficient(hz, 8000));
    expect(power / (10000 ** 2 / 2)).toBeCloseTo(1, 2);
  });

  it('suppresses a tone 2.6 bins away far better through the Hann window than without', () => {
    const block = sine(102, 1336, 10000, 8000);
    const coefficient = goertzelCoefficient(1540, 8000);
    const window = hannWindow(102);
    const sum = window.reduce((total, w) => total + w, 0);
    const plain = goertzelPower(block, 0, 102, coefficient) / (10000 ** 2 / 2);
    const windowed = goertzelRingPowerWindowed(block, 0, window, sum, coefficient) / (10000 ** 2 / 2);
    expect(10 * Math.log10(plain)).toBeGreaterThan(-25);
    expect(10 * Math.log10(windowed)).toBeLessThan(-30);
  });

  it("predicts a tone's windowed leakage into another frequency from its value at its own and the window's spectrum", () => {
    // 1229 Hz leaking into 1369 Hz, 1.8 bins away (key 1's column beside its row harmonic).
    const block = sine(102, 1229, 10000, 8000, 0.9);
    const window = hannWindow(102);
    const sum = window.reduce((total, w) => total + w, 0);
    const [own, other] = [(2 * Math.PI * 1229) / 8000, (2 * Math.PI * 1369) / 8000];
    const v = new Float64Array(6);
    goertzelRingValueWindowed(block, 0, window, other, v, 0);
    goertzelRingValueWindowed(block, 0, window, own, v, 2);
    windowValue(window, other - own, v, 4);
    const predictedRe = (v[2]! * v[4]! - v[3]! * v[5]!) / sum;
    const predictedIm = (v[2]! * v[5]! + v[3]! * v[4]!) / sum;
    const left = Math.hypot(v[0]! - predictedRe, v[1]! - predictedIm) / Math.hypot(v[2]!, v[3]!);
    expect(20 * Math.log10(Math.hypot(v[0]!, v[1]!) / Math.hypot(v[2]!, v[3]!))).toBeGreaterThan(-30);
    expect(20 * Math.log10(left)).toBeLessThan(-50);
  });
});

/**
 * The generator's calibration, checked against the definitions rather than
 * the project's level helpers (levels.ts), which it uses: every level in
 * every other test depends on it.
 */
import { describe, expect, it } from 'vitest';
import { synthesizeDtmf } from '../../src/dsp/dtmf-generator.ts';

/** ITU-T G.711: a sine at 0 dBm0 peaks 3.14 dB below the 16-bit full scale. */
const ZERO_DBM0_PEAK = 32767 * 10 ** (-3.14 / 20);
const RATE = 8000;

/**
 * Peak amplitude of the component at `hz` over the first second: over
 * whole seconds, sines at whole-Hz frequencies are orthogonal, so the
 * other tone adds nothing (or, off whole Hz, under 0.1 %).
 */
function amplitudeAt(samples: Int16Array, hz: number): number {
  let re = 0;
  let im = 0;
  for (let n = 0; n < RATE; n++) {
    re += samples[n]! * Math.cos((2 * Math.PI * hz * n) / RATE);
    im -= samples[n]! * Math.sin((2 * Math.PI * hz * n) / RATE);
  }
  return (2 * Math.hypot(re, im)) / RATE;
}

function meanPower(samples: ArrayLike<number>, from = 0, to = samples.length): number {
  let sum = 0;
  for (let i = from; i < to; i++) sum += samples[i]! * samples[i]!;
  return sum / (to - from);
}

describe('synthesizeDtmf calibration', () => {
  it('gives a 0 dBm0 tone a peak of 32767 x 10^(-3.14/20) and an RMS of that over sqrt 2', () => {
    // Key 1 (697 + 1209 Hz) with the high tone 40 dB down, so the pair stays under full scale.
    const samples = synthesizeDtmf('1', { levelDbm0: 0, twistDb: -40, onMs: 1000, offMs: 0 });
    const highPeak = ZERO_DBM0_PEAK / 100;
    expect(amplitudeAt(samples, 697)).toBeCloseTo(ZERO_DBM0_PEAK, 1);
    expect(amplitudeAt(samples, 1209)).toBeCloseTo(highPeak, 1);
    const rms = Math.sqrt(meanPower(samples));
    expect(rms).toBeCloseTo(Math.sqrt((ZERO_DBM0_PEAK ** 2 + highPeak ** 2) / 2), 0);
    expect(rms / (ZERO_DBM0_PEAK / Math.SQRT2)).toBeCloseTo(1, 3);
  });

  it('sets the low tone to levelDbm0 and the high tone twistDb above it', () => {
    const samples = synthesizeDtmf('9', { levelDbm0: -20, twistDb: 4, onMs: 1000, offMs: 0 });
    expect(amplitudeAt(samples, 852)).toBeCloseTo(ZERO_DBM0_PEAK * 10 ** (-20 / 20), 1);
    expect(amplitudeAt(samples, 1477)).toBeCloseTo(ZERO_DBM0_PEAK * 10 ** (-16 / 20), 1);
  });

  it('shifts both tones by frequencyErrorPct of their nominal frequency, with no fixed offset', () => {
    const samples = synthesizeDtmf('1', { levelDbm0: -10, frequencyErrorPct: 1.5, onMs: 1000, offMs: 0 });
    const amplitude = ZERO_DBM0_PEAK * 10 ** (-10 / 20);
    // 697 x 1.015 = 707.455 Hz; over one second, 2 Hz away is a null.
    expect(amplitudeAt(samples, 697 * 1.015) / amplitude).toBeCloseTo(1, 2);
    expect(amplitudeAt(samples, 1209 * 1.015) / amplitude).toBeCloseTo(1, 2);
    expect(amplitudeAt(samples, 697 * 1.015 + 2) / amplitude).toBeLessThan(0.01);
  });

  it('adds white noise whose power is the pair power over 10^(snrDb/10), tones and silence alike', () => {
    const levelDbm0 = -10;
    const twistDb = -4;
    const snrDb = 15;
    const options = { levelDbm0, twistDb, onMs: 3000, offMs: 3000, seed: 7 };
    const clean = synthesizeDtmf('5', options);
    const noisy = synthesizeDtmf('5', { ...options, snrDb });
    const noise = Float64Array.from(noisy, (x, i) => x - clean[i]!);
    const low = ZERO_DBM0_PEAK * 10 ** (levelDbm0 / 20);
    const high = ZERO_DBM0_PEAK * 10 ** ((levelDbm0 + twistDb) / 20);
    const expected = (low ** 2 / 2 + high ** 2 / 2) / 10 ** (snrDb / 10);
    // 24,000 samples each: the estimate's spread is about 1 % (0.04 dB).
    expect(meanPower(noise, 0, 24000) / expected).toBeCloseTo(1, 1);
    expect(meanPower(noise, 24000, 48000) / expected).toBeCloseTo(1, 1);
    expect(meanPower(noisy, 24000, 48000) / expected).toBeCloseTo(1, 1);
  });
});

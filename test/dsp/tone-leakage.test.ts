import { describe, expect, it } from 'vitest';
import { planDetector } from '../../src/dsp/detector-plan.ts';
import { COLUMN_HZ, ROW_HZ } from '../../src/dsp/dtmf-keys.ts';
import { powerWithoutLeakage } from '../../src/dsp/tone-leakage.ts';

const RATE = 8000;
const plan = planDetector(RATE);
const TONES = [...ROW_HZ, ...COLUMN_HZ];

/**
 * Block values of the detector's eight tones (direct DFT, referenced to
 * the block's last sample) for the block ending at sample `end` of `x`.
 */
function blockPhasors(x: (n: number) => number, end: number): Float64Array {
  const out = new Float64Array(16);
  TONES.forEach((hz, tone) => {
    const w = (2 * Math.PI * hz) / RATE;
    let re = 0;
    let im = 0;
    for (let n = end - plan.block + 1; n <= end; n++) {
      re += x(n) * Math.cos(w * (n - end));
      im -= x(n) * Math.sin(w * (n - end));
    }
    out[tone * 2] = re;
    out[tone * 2 + 1] = im;
  });
  return out;
}

const powerOf = (phasors: Float64Array, tone: number) =>
  ((phasors[tone * 2]! ** 2 + phasors[tone * 2 + 1]! ** 2) * 2) / (plan.block * plan.block);
const db = (ratio: number) => 10 * Math.log10(ratio);

describe('powerWithoutLeakage', () => {
  // 770 Hz off by the accept limit (1.5 % + 2 Hz) towards 697 Hz.
  const tone = (n: number) => 10000 * Math.sin((2 * Math.PI * (770 - 13.55) * n) / RATE + 0.3);
  const end = 400;

  it('takes out a tone at the accept limit from the next row, which it leaves only 10 dB down', () => {
    const phasors = blockPhasors(tone, end);
    const previous = blockPhasors(tone, end - plan.hop);
    expect(db(powerOf(phasors, 0) / powerOf(phasors, 1))).toBeCloseTo(-10.3, 0);
    // What is left is the tone's negative-frequency image, not modelled.
    expect(db(powerWithoutLeakage(plan, 1, 0, phasors, previous) / powerOf(phasors, 1))).toBeLessThan(-25);
  });

  it('takes a row tone at the accept limit out of the nearest column bin', () => {
    const row = (n: number) => 10000 * Math.sin((2 * Math.PI * (941 + 16.1) * n) / RATE);
    const phasors = blockPhasors(row, end);
    const previous = blockPhasors(row, end - plan.hop);
    expect(db(powerOf(phasors, 4) / powerOf(phasors, 3))).toBeGreaterThan(-25);
    expect(db(powerWithoutLeakage(plan, 3, 4, phasors, previous) / powerOf(phasors, 3))).toBeLessThan(-35);
  });

  it('leaves a second tone at the neighbouring row, 6 dB down, within 0.5 dB', () => {
    const second = (n: number) => 5012 * Math.sin((2 * Math.PI * 697 * n) / RATE + 1.1);
    const both = (n: number) => tone(n) + second(n);
    const phasors = blockPhasors(both, end);
    const previous = blockPhasors(both, end - plan.hop);
    const alone = blockPhasors(second, end);
    expect(db(powerWithoutLeakage(plan, 1, 0, phasors, previous) / powerOf(alone, 0))).toBeCloseTo(0, 0);
  });
});

import { describe, expect, it } from 'vitest';
import { generatePin, randomDigits } from '../../src/directory/pin-generator.ts';
import { findPinViolation } from '../../src/directory/pin-policy.ts';

describe('PIN generator', () => {
  it('draws digits only, of the requested length', () => {
    for (const length of [4, 5, 12, 24]) {
      const pin = randomDigits(length);
      expect(pin).toMatch(new RegExp(`^[0-9]{${length}}$`));
    }
  });

  it('draws again until the PIN is acceptable', async () => {
    const sequence = [1, 1, 1, 1, 1, /* rejected: 11111 */ 2, 4, 6, 8, 0];
    let next = 0;
    const random = (max: number) => {
      expect(max).toBe(10);
      return sequence[next++]!;
    };
    const context = { minLength: 5, allowCommonPatterns: false };
    const pin = await generatePin(5, (candidate) => findPinViolation(candidate, context) === undefined, random);
    expect(pin).toBe('24680');
    expect(next).toBe(10);
  });

  it('awaits an asynchronous acceptance check', async () => {
    let calls = 0;
    const pin = await generatePin(6, async () => ++calls >= 3);
    expect(pin).toHaveLength(6);
    expect(calls).toBe(3);
  });

  it('spreads every digit over every position', () => {
    const counts = Array.from({ length: 5 }, () => new Array<number>(10).fill(0));
    for (let i = 0; i < 4000; i++) {
      [...randomDigits(5)].forEach((digit, position) => counts[position]![Number(digit)]!++);
    }
    // 400 expected per cell; 250..550 is far outside random spread.
    for (const row of counts) for (const count of row) expect(count).toBeGreaterThan(250);
    for (const row of counts) for (const count of row) expect(count).toBeLessThan(550);
  });

  it('gives up when nothing is acceptable', async () => {
    await expect(generatePin(4, () => false)).rejects.toThrow(/no acceptable 4-digit PIN/);
  });
});

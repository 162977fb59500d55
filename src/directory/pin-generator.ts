/**
 * Random PINs. Each digit comes from crypto.randomInt, which draws without
 * modulo bias; candidates that break a rule are thrown away and drawn again,
 * so every acceptable PIN is equally likely.
 */
import { randomInt } from 'node:crypto';

/** Returns an integer in [0, max). */
export type RandomInt = (max: number) => number;

export const cryptoRandomInt: RandomInt = (max) => randomInt(max);

/** Draws `length` random digits. */
export function randomDigits(length: number, random: RandomInt = cryptoRandomInt): string {
  let pin = '';
  for (let i = 0; i < length; i++) pin += String(random(10));
  return pin;
}

/** Give up after this many rejected draws: the rules leave (almost) nothing. */
export const MAX_GENERATION_ATTEMPTS = 10_000;

/**
 * Draws PINs until `accept` returns true. `accept` may be async (the history
 * check compares with stored hashes). Throws when no acceptable PIN turns up,
 * which only happens when the rules exclude nearly every PIN of that length.
 */
export async function generatePin(
  length: number,
  accept: (pin: string) => boolean | Promise<boolean>,
  random: RandomInt = cryptoRandomInt,
): Promise<string> {
  for (let attempt = 0; attempt < MAX_GENERATION_ATTEMPTS; attempt++) {
    const pin = randomDigits(length, random);
    if (await accept(pin)) return pin;
  }
  throw new Error(`no acceptable ${length}-digit PIN in ${MAX_GENERATION_ATTEMPTS} draws`);
}

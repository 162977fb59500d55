/**
 * Goertzel filters: the power of one frequency over a block of samples,
 * at one multiply and two adds per sample.
 *
 * Powers here are normalised to the mean power of a sine: a sine of
 * amplitude A exactly on the filter frequency, filling the block, gives
 * A^2 / 2, the same number its mean energy per sample gives.
 */

/** The recurrence coefficient 2cos(2 pi f / fs). */
export function goertzelCoefficient(hz: number, sampleRate: number): number {
  return 2 * Math.cos((2 * Math.PI * hz) / sampleRate);
}

/** |X|^2 scaled to mean sine power, from the last two recurrence states. */
export function goertzelStatePower(s1: number, s2: number, coefficient: number, length: number): number {
  const squared = s1 * s1 + s2 * s2 - coefficient * s1 * s2;
  return (2 * squared) / (length * length);
}

/** Normalised power at the filter frequency of samples[start, start + length). */
export function goertzelPower(samples: ArrayLike<number>, start: number, length: number, coefficient: number): number {
  let s1 = 0;
  let s2 = 0;
  for (let i = start; i < start + length; i++) {
    const s0 = samples[i]! + coefficient * s1 - s2;
    s2 = s1;
    s1 = s0;
  }
  return goertzelStatePower(s1, s2, coefficient, length);
}

/**
 * Normalised power over `window.length` samples of a ring buffer from
 * index `start` (wrapping at its end), each sample weighted by `window[n]`;
 * normalised by the window's sum, so a sine on the bin still gives A^2 / 2.
 */
export function goertzelRingPowerWindowed(
  ring: Int16Array,
  start: number,
  window: Float32Array,
  windowSum: number,
  coefficient: number,
): number {
  let s1 = 0;
  let s2 = 0;
  let index = start;
  const length = window.length;
  for (let n = 0; n < length; n++) {
    const s0 = ring[index]! * window[n]! + coefficient * s1 - s2;
    s2 = s1;
    s1 = s0;
    index = index + 1 === ring.length ? 0 : index + 1;
  }
  return (2 * (s1 * s1 + s2 * s2 - coefficient * s1 * s2)) / (windowSum * windowSum);
}

/** A Hann window of `length` points (periodic form). */
export function hannWindow(length: number): Float32Array {
  return Float32Array.from({ length }, (_, n) => 0.5 - 0.5 * Math.cos((2 * Math.PI * n) / length));
}

/**
 * Two windowed powers (at `coefficientA` and `coefficientB`) in one pass
 * over the samples; `out` receives them in that order.
 */
export function goertzelRingPowerWindowedPair(
  ring: Int16Array,
  start: number,
  window: Float32Array,
  windowSum: number,
  coefficientA: number,
  coefficientB: number,
  out: Float64Array,
): void {
  let a1 = 0;
  let a2 = 0;
  let b1 = 0;
  let b2 = 0;
  let index = start;
  const length = window.length;
  for (let n = 0; n < length; n++) {
    const x = ring[index]! * window[n]!;
    const a0 = x + coefficientA * a1 - a2;
    const b0 = x + coefficientB * b1 - b2;
    a2 = a1;
    a1 = a0;
    b2 = b1;
    b1 = b0;
    index = index + 1 === ring.length ? 0 : index + 1;
  }
  const norm = 2 / (windowSum * windowSum);
  out[0] = (a1 * a1 + a2 * a2 - coefficientA * a1 * a2) * norm;
  out[1] = (b1 * b1 + b2 * b2 - coefficientB * b1 * b2) * norm;
}

/**
 * Complex windowed value at `omega` (radians per sample) over
 * `window.length` samples of a ring buffer from `start`: re and im of the
 * DFT referenced to the last sample, y = s1 - e^{-jw} s2, unnormalised.
 * Written to `out` at `at` and `at + 1`.
 */
export function goertzelRingValueWindowed(
  ring: Int16Array,
  start: number,
  window: Float32Array,
  omega: number,
  out: Float64Array,
  at: number,
): void {
  const coefficient = 2 * Math.cos(omega);
  let s1 = 0;
  let s2 = 0;
  let index = start;
  const length = window.length;
  for (let n = 0; n < length; n++) {
    const s0 = ring[index]! * window[n]! + coefficient * s1 - s2;
    s2 = s1;
    s1 = s0;
    index = index + 1 === ring.length ? 0 : index + 1;
  }
  out[at] = s1 - Math.cos(omega) * s2;
  out[at + 1] = Math.sin(omega) * s2;
}

/**
 * The window's own spectrum at `omega`, as the same kind of value: a tone
 * `omega` away from a frequency leaks its windowed value at its own
 * frequency into the other, multiplied by this over the window's sum
 * (both referenced to the last sample).
 */
export function windowValue(window: Float32Array, omega: number, out: Float64Array, at: number): void {
  const coefficient = 2 * Math.cos(omega);
  let s1 = 0;
  let s2 = 0;
  for (let n = 0; n < window.length; n++) {
    const s0 = window[n]! + coefficient * s1 - s2;
    s2 = s1;
    s1 = s0;
  }
  out[at] = s1 - Math.cos(omega) * s2;
  out[at + 1] = Math.sin(omega) * s2;
}

/**
 * How much of a tone an N-sample block sees at another frequency: the
 * real factor D(w0 + d - wn) / D(d), D(x) = sin(N x / 2) / sin(x / 2), of
 * the leakage model in tone-leakage.ts. Pure arithmetic on frequencies, so
 * both the detector plan (worst case per tone pair) and the per-block
 * leakage removal use it without depending on each other.
 */

/** D(w0 + d - wn) / D(d) for an N-sample block: the real factor of the leakage above. */
export function leakageRatio(length: number, toneOmega: number, errorPerSample: number, otherOmega: number): number {
  const own = Math.abs(errorPerSample) < 1e-12 ? length : Math.sin((length * errorPerSample) / 2) / Math.sin(errorPerSample / 2);
  const offset = toneOmega + errorPerSample - otherOmega;
  return Math.sin((length * offset) / 2) / Math.sin(offset / 2) / own;
}

/** Largest |leakageRatio| for errors within ±boundPerSample (sampled finely enough to catch a sidelobe peak). */
export function maxLeakageRatio(length: number, toneOmega: number, otherOmega: number, boundPerSample: number): number {
  const steps = 256;
  let most = 0;
  for (let i = -steps; i <= steps; i++) {
    most = Math.max(most, Math.abs(leakageRatio(length, toneOmega, (boundPerSample * i) / steps, otherOmega)));
  }
  return most;
}

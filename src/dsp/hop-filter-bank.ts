/**
 * The detector's hot loop: eight Goertzel filters (four rows, four
 * columns) over one hop, giving each tone's complex DFT value over the hop
 * (phase referenced to the hop's last sample). No allocation.
 */
import type { DetectorPlan } from './detector-plan.ts';

export class HopFilterBank {
  /** Final recurrence states (s1, s2) per tone of the hop just filtered. */
  private readonly states = new Float64Array(16);

  constructor(private readonly plan: DetectorPlan) {}

  /**
   * Filters `plan.hop` samples of `source` from `start`, copying them to
   * `ring` at `ringStart` (a copy onto itself when `source` is the ring
   * there). Writes the hop's 8 complex values (re, im) to `values` from
   * `valuesAt` and returns the hop's energy (sum of squares: an integer,
   * exact in any order).
   */
  filter(source: Int16Array, start: number, ring: Int16Array, ringStart: number, values: Float64Array, valuesAt: number): number {
    const c = this.plan.coefficient;
    const c0 = c[0]!, c1 = c[1]!, c2 = c[2]!, c3 = c[3]!, c4 = c[4]!, c5 = c[5]!, c6 = c[6]!, c7 = c[7]!;
    let a1 = 0, a2 = 0, b1 = 0, b2 = 0, d1 = 0, d2 = 0, e1 = 0, e2 = 0;
    let f1 = 0, f2 = 0, g1 = 0, g2 = 0, h1 = 0, h2 = 0, k1 = 0, k2 = 0;
    let even = 0;
    let odd = 0;
    const offset = ringStart - start;
    const end = start + this.plan.hop;
    // Two samples per pass (hops are even), swapping the roles of s1 and s2
    // so no copies are needed.
    for (let n = start; n < end; n += 2) {
      const x0 = source[n]!;
      const x1 = source[n + 1]!;
      ring[n + offset] = x0;
      ring[n + offset + 1] = x1;
      even += x0 * x0;
      odd += x1 * x1;
      a2 = x0 + c0 * a1 - a2; a1 = x1 + c0 * a2 - a1;
      b2 = x0 + c1 * b1 - b2; b1 = x1 + c1 * b2 - b1;
      d2 = x0 + c2 * d1 - d2; d1 = x1 + c2 * d2 - d1;
      e2 = x0 + c3 * e1 - e2; e1 = x1 + c3 * e2 - e1;
      f2 = x0 + c4 * f1 - f2; f1 = x1 + c4 * f2 - f1;
      g2 = x0 + c5 * g1 - g2; g1 = x1 + c5 * g2 - g1;
      h2 = x0 + c6 * h1 - h2; h1 = x1 + c6 * h2 - h1;
      k2 = x0 + c7 * k1 - k2; k1 = x1 + c7 * k2 - k1;
    }
    const s = this.states;
    s[0] = a1; s[1] = a2; s[2] = b1; s[3] = b2; s[4] = d1; s[5] = d2; s[6] = e1; s[7] = e2;
    s[8] = f1; s[9] = f2; s[10] = g1; s[11] = g2; s[12] = h1; s[13] = h2; s[14] = k1; s[15] = k2;
    this.store(values, valuesAt);
    return even + odd;
  }

  /**
   * Continues the filters of a hop in progress (or starts one, `fresh`)
   * over `count` samples of `source` from `start`, copying them to `ring`
   * at `ringStart`, and returns their energy. The same recurrence steps in
   * the same order as filter(), so a hop split across pushes gives
   * identical values.
   */
  run(source: Int16Array, start: number, count: number, ring: Int16Array, ringStart: number, fresh: boolean): number {
    const c = this.plan.coefficient;
    const c0 = c[0]!, c1 = c[1]!, c2 = c[2]!, c3 = c[3]!, c4 = c[4]!, c5 = c[5]!, c6 = c[6]!, c7 = c[7]!;
    const s = this.states;
    if (fresh) s.fill(0);
    let a1 = s[0]!, a2 = s[1]!, b1 = s[2]!, b2 = s[3]!, d1 = s[4]!, d2 = s[5]!, e1 = s[6]!, e2 = s[7]!;
    let f1 = s[8]!, f2 = s[9]!, g1 = s[10]!, g2 = s[11]!, h1 = s[12]!, h2 = s[13]!, k1 = s[14]!, k2 = s[15]!;
    let even = 0;
    let odd = 0;
    const offset = ringStart - start;
    const pairsEnd = start + (count & ~1);
    let n = start;
    for (; n < pairsEnd; n += 2) {
      const x0 = source[n]!;
      const x1 = source[n + 1]!;
      ring[n + offset] = x0;
      ring[n + offset + 1] = x1;
      even += x0 * x0;
      odd += x1 * x1;
      a2 = x0 + c0 * a1 - a2; a1 = x1 + c0 * a2 - a1;
      b2 = x0 + c1 * b1 - b2; b1 = x1 + c1 * b2 - b1;
      d2 = x0 + c2 * d1 - d2; d1 = x1 + c2 * d2 - d1;
      e2 = x0 + c3 * e1 - e2; e1 = x1 + c3 * e2 - e1;
      f2 = x0 + c4 * f1 - f2; f1 = x1 + c4 * f2 - f1;
      g2 = x0 + c5 * g1 - g2; g1 = x1 + c5 * g2 - g1;
      h2 = x0 + c6 * h1 - h2; h1 = x1 + c6 * h2 - h1;
      k2 = x0 + c7 * k1 - k2; k1 = x1 + c7 * k2 - k1;
    }
    s[0] = a1; s[1] = a2; s[2] = b1; s[3] = b2; s[4] = d1; s[5] = d2; s[6] = e1; s[7] = e2;
    s[8] = f1; s[9] = f2; s[10] = g1; s[11] = g2; s[12] = h1; s[13] = h2; s[14] = k1; s[15] = k2;
    if (n < start + count) {
      const x = source[n]!;
      ring[n + offset] = x;
      even += x * x;
      this.stepOne(x);
    }
    return even + odd;
  }

  /** One recurrence step of every filter on the stored states (odd piece lengths). */
  private stepOne(x: number): void {
    const c = this.plan.coefficient;
    const s = this.states;
    for (let t = 0; t < 8; t++) {
      const s1 = s[t * 2]!;
      s[t * 2] = x + c[t]! * s1 - s[t * 2 + 1]!;
      s[t * 2 + 1] = s1;
    }
  }

  /** Ends a hop filtered with run(): writes its values. */
  finish(values: Float64Array, valuesAt: number): void {
    this.store(values, valuesAt);
  }

  /** Forgets a hop in progress. */
  reset(): void {
    this.states.fill(0);
  }

  /** y = s1 - e^{-jw} s2: the hop's DFT at the tone, referenced to its last sample. */
  private store(values: Float64Array, at: number): void {
    const rotation = this.plan.rotation;
    const states = this.states;
    for (let t = 0; t < 16; t += 2) {
      const s2 = states[t + 1]!;
      values[at + t] = states[t]! - rotation[t]! * s2;
      values[at + t + 1] = rotation[t + 1]! * s2;
    }
  }
}

/**
 * The detector's hot loop: eight Goertzel filters (four rows, four
 * columns) over one hop, giving each tone's complex DFT value over the hop
 * (phase referenced to the hop's last sample). No allocation.
 *
 * A hop's filters always run over samples that are all present: from the
 * input, or from the detector's ring once a hop split across pushes is
 * complete. Resuming the filters piece by piece instead would save and
 * restore 16 states per piece for the same arithmetic; copying the first
 * piece to the ring is cheaper. All eight run in one pass (filterHop), or
 * the columns first and the rows later from the ring (filterColumnHop,
 * filterRowHop); each filter goes through the same recurrence steps over
 * the same samples either way, so the values depend neither on the
 * chunking nor on the split.
 */
import type { DetectorPlan } from './detector-plan.ts';

/**
 * Filters `plan.hop` samples of `source` from `start`, copying them to
 * `ring` at `ringStart` (a copy onto itself when `source` is the ring
 * there). Writes the hop's 8 complex values (re, im) to `values` from
 * `slot * 16`, its energy (sum of squares) to `energies[slot]` and its sum
 * to `sums[slot]` (integers, exact in any order; returned, a number this
 * large would be boxed on the heap once per hop).
 * The sum costs one add per sample; it lets the detector take a DC
 * offset out (dtmf-detector.ts).
 */
export function filterHop(
  plan: DetectorPlan,
  source: Int16Array,
  start: number,
  ring: Int16Array,
  ringStart: number,
  values: Float64Array,
  energies: Float64Array,
  sums: Float64Array,
  slot: number,
): void {
  const c = plan.coefficient;
  const c0 = c[0]!, c1 = c[1]!, c2 = c[2]!, c3 = c[3]!, c4 = c[4]!, c5 = c[5]!, c6 = c[6]!, c7 = c[7]!;
  let a1 = 0, a2 = 0, b1 = 0, b2 = 0, d1 = 0, d2 = 0, e1 = 0, e2 = 0;
  let f1 = 0, f2 = 0, g1 = 0, g2 = 0, h1 = 0, h2 = 0, k1 = 0, k2 = 0;
  let even = 0;
  let odd = 0;
  let sum = 0;
  const offset = ringStart - start;
  const end = start + plan.hop;
  // Two samples per pass (hops are even), swapping the roles of s1 and s2
  // so no copies are needed. Each step is x - s2 + c s1 rather than
  // x + c s1 - s2: x - s2 does not wait for the product, which shortens
  // the chain from one step to the next by an add (the three passes
  // below use the same form, so their values are the same).
  for (let n = start; n < end; n += 2) {
    const x0 = source[n]!;
    const x1 = source[n + 1]!;
    ring[n + offset] = x0;
    ring[n + offset + 1] = x1;
    even += x0 * x0;
    odd += x1 * x1;
    sum += x0 + x1;
    a2 = x0 - a2 + c0 * a1; a1 = x1 - a1 + c0 * a2;
    b2 = x0 - b2 + c1 * b1; b1 = x1 - b1 + c1 * b2;
    d2 = x0 - d2 + c2 * d1; d1 = x1 - d1 + c2 * d2;
    e2 = x0 - e2 + c3 * e1; e1 = x1 - e1 + c3 * e2;
    f2 = x0 - f2 + c4 * f1; f1 = x1 - f1 + c4 * f2;
    g2 = x0 - g2 + c5 * g1; g1 = x1 - g1 + c5 * g2;
    h2 = x0 - h2 + c6 * h1; h1 = x1 - h1 + c6 * h2;
    k2 = x0 - k2 + c7 * k1; k1 = x1 - k1 + c7 * k2;
  }
  // y = s1 - e^{-jw} s2 per tone: the hop's DFT at the tone, referenced to
  // its last sample.
  const r = plan.rotation;
  const at = slot * 16;
  values[at] = a1 - r[0]! * a2; values[at + 1] = r[1]! * a2;
  values[at + 2] = b1 - r[2]! * b2; values[at + 3] = r[3]! * b2;
  values[at + 4] = d1 - r[4]! * d2; values[at + 5] = r[5]! * d2;
  values[at + 6] = e1 - r[6]! * e2; values[at + 7] = r[7]! * e2;
  values[at + 8] = f1 - r[8]! * f2; values[at + 9] = r[9]! * f2;
  values[at + 10] = g1 - r[10]! * g2; values[at + 11] = r[11]! * g2;
  values[at + 12] = h1 - r[12]! * h2; values[at + 13] = r[13]! * h2;
  values[at + 14] = k1 - r[14]! * k2; values[at + 15] = r[15]! * k2;
  energies[slot] = even + odd;
  sums[slot] = sum;
}

/**
 * The column half of filterHop: the four column filters, the copy to the
 * ring, the energy and the sum, with the same recurrence steps, so the
 * column values are exactly filterHop's. Writes values 8-15 of the slot;
 * filterRowHop adds the rows later, from the ring, if a block needs them.
 */
export function filterColumnHop(
  plan: DetectorPlan,
  source: Int16Array,
  start: number,
  ring: Int16Array,
  ringStart: number,
  values: Float64Array,
  energies: Float64Array,
  sums: Float64Array,
  slot: number,
): void {
  const c = plan.coefficient;
  const c4 = c[4]!, c5 = c[5]!, c6 = c[6]!, c7 = c[7]!;
  let f1 = 0, f2 = 0, g1 = 0, g2 = 0, h1 = 0, h2 = 0, k1 = 0, k2 = 0;
  let even = 0;
  let odd = 0;
  let sum = 0;
  const offset = ringStart - start;
  const end = start + plan.hop;
  for (let n = start; n < end; n += 2) {
    const x0 = source[n]!;
    const x1 = source[n + 1]!;
    ring[n + offset] = x0;
    ring[n + offset + 1] = x1;
    even += x0 * x0;
    odd += x1 * x1;
    sum += x0 + x1;
    f2 = x0 - f2 + c4 * f1; f1 = x1 - f1 + c4 * f2;
    g2 = x0 - g2 + c5 * g1; g1 = x1 - g1 + c5 * g2;
    h2 = x0 - h2 + c6 * h1; h1 = x1 - h1 + c6 * h2;
    k2 = x0 - k2 + c7 * k1; k1 = x1 - k1 + c7 * k2;
  }
  const r = plan.rotation;
  const at = slot * 16;
  values[at + 8] = f1 - r[8]! * f2; values[at + 9] = r[9]! * f2;
  values[at + 10] = g1 - r[10]! * g2; values[at + 11] = r[11]! * g2;
  values[at + 12] = h1 - r[12]! * h2; values[at + 13] = r[13]! * h2;
  values[at + 14] = k1 - r[14]! * k2; values[at + 15] = r[15]! * k2;
  energies[slot] = even + odd;
  sums[slot] = sum;
}

/** The row half of filterHop over the hop at `ringStart` of the ring: values 0-7 of the slot. */
export function filterRowHop(plan: DetectorPlan, ring: Int16Array, ringStart: number, values: Float64Array, slot: number): void {
  const c = plan.coefficient;
  const c0 = c[0]!, c1 = c[1]!, c2 = c[2]!, c3 = c[3]!;
  let a1 = 0, a2 = 0, b1 = 0, b2 = 0, d1 = 0, d2 = 0, e1 = 0, e2 = 0;
  const end = ringStart + plan.hop;
  for (let n = ringStart; n < end; n += 2) {
    const x0 = ring[n]!;
    const x1 = ring[n + 1]!;
    a2 = x0 - a2 + c0 * a1; a1 = x1 - a1 + c0 * a2;
    b2 = x0 - b2 + c1 * b1; b1 = x1 - b1 + c1 * b2;
    d2 = x0 - d2 + c2 * d1; d1 = x1 - d1 + c2 * d2;
    e2 = x0 - e2 + c3 * e1; e1 = x1 - e1 + c3 * e2;
  }
  const r = plan.rotation;
  const at = slot * 16;
  values[at] = a1 - r[0]! * a2; values[at + 1] = r[1]! * a2;
  values[at + 2] = b1 - r[2]! * b2; values[at + 3] = r[3]! * b2;
  values[at + 4] = d1 - r[4]! * d2; values[at + 5] = r[5]! * d2;
  values[at + 6] = e1 - r[6]! * e2; values[at + 7] = r[7]! * e2;
}

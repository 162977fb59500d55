/**
 * Arithmetic on RTP's 16-bit sequence numbers and 32-bit timestamps, which
 * wrap around (RFC 3550 section 5.1, Appendix A.1): a difference is taken
 * modulo the field size and read as the shortest signed distance.
 */

/** a - b in [-32768, 32767]: positive when `a` comes after `b`. */
export function sequenceDiff(a: number, b: number): number {
  return ((((a - b) & 0xffff) + 0x8000) & 0xffff) - 0x8000;
}

export function sequenceAdd(a: number, n: number): number {
  return (a + n) & 0xffff;
}

export function isSequenceAfter(a: number, b: number): boolean {
  return sequenceDiff(a, b) > 0;
}

/** a - b for 32-bit RTP timestamps, as a signed 32-bit distance. */
export function timestampDiff(a: number, b: number): number {
  return (a - b) | 0;
}

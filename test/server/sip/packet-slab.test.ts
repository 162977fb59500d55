import { describe, expect, it } from 'vitest';
import { PacketSlab } from '../../../src/server/sip/packet-slab.ts';

describe('PacketSlab', () => {
  it('hands out zeroed views that never overlap, within a slab and across slabs', () => {
    const slab = new PacketSlab();
    const taken = Array.from({ length: 1000 }, () => slab.take(172));
    for (const [i, bytes] of taken.entries()) {
      expect(bytes).toHaveLength(172);
      expect(bytes.every((byte) => byte === 0)).toBe(true);
      bytes.fill(i % 251);
    }
    // Written after all were taken: a shared byte would show another packet's mark.
    for (const [i, bytes] of taken.entries()) expect(bytes.every((byte) => byte === i % 251)).toBe(true);
    expect(new Set(taken.map((bytes) => bytes.buffer)).size).toBeGreaterThan(1);
    expect(new Set(taken.map((bytes) => bytes.buffer)).size).toBeLessThan(10);
  });

  it('gives a packet larger than a slab an array of its own', () => {
    const big = new PacketSlab().take(100_000);
    expect(big).toHaveLength(100_000);
    expect(big.byteOffset).toBe(0);
  });
});

import { describe, expect, it } from 'vitest';
import { isSequenceAfter, sequenceAdd, sequenceDiff, timestampDiff } from '../../src/rtp/sequence-number.ts';

describe('sequence number arithmetic', () => {
  it('measures distance across the 16-bit wrap', () => {
    expect(sequenceDiff(2, 65534)).toBe(4);
    expect(sequenceDiff(65534, 2)).toBe(-4);
    expect(sequenceDiff(100, 100)).toBe(0);
    expect(sequenceDiff(32767, 0)).toBe(32767);
    expect(sequenceDiff(32768, 0)).toBe(-32768);
  });

  it('adds with wrap and orders across it', () => {
    expect(sequenceAdd(65535, 1)).toBe(0);
    expect(sequenceAdd(0, -1)).toBe(65535);
    expect(isSequenceAfter(0, 65535)).toBe(true);
    expect(isSequenceAfter(65535, 0)).toBe(false);
  });

  it('measures 32-bit timestamp distance across the wrap', () => {
    expect(timestampDiff(80, 0xffffffff - 79)).toBe(160);
    expect(timestampDiff(0xffffffff - 79, 80)).toBe(-160);
  });
});

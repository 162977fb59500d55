/** The key table against ITU-T Q.23, whose numbers are written here, not imported. */
import { describe, expect, it } from 'vitest';
import { COLUMN_HZ, DTMF_KEYS, KEYPAD, keyFrequencies, ROW_HZ } from '../../src/dsp/dtmf-keys.ts';

describe('DTMF key table', () => {
  it('has the Q.23 low-group (697, 770, 852, 941 Hz) and high-group (1209, 1336, 1477, 1633 Hz) frequencies', () => {
    expect([...ROW_HZ]).toEqual([697, 770, 852, 941]);
    expect([...COLUMN_HZ]).toEqual([1209, 1336, 1477, 1633]);
  });

  it('lays the sixteen keys out as the Q.23 4 x 4 keypad', () => {
    expect(KEYPAD.map((row) => row.join(''))).toEqual(['123A', '456B', '789C', '*0#D']);
    expect([...DTMF_KEYS].sort()).toEqual([...'0123456789*#ABCD'].sort());
  });

  it.each([
    ['1', 697, 1209], ['2', 697, 1336], ['3', 697, 1477], ['A', 697, 1633],
    ['4', 770, 1209], ['5', 770, 1336], ['6', 770, 1477], ['B', 770, 1633],
    ['7', 852, 1209], ['8', 852, 1336], ['9', 852, 1477], ['C', 852, 1633],
    ['*', 941, 1209], ['0', 941, 1336], ['#', 941, 1477], ['D', 941, 1633],
  ] as const)('sends key %s as %i Hz + %i Hz', (key, lowHz, highHz) => {
    expect(keyFrequencies(key)).toEqual({ lowHz, highHz });
  });
});

/**
 * The sixteen DTMF keys and their frequency pairs (ITU-T Q.23 Table 1).
 * Letters are upper-case everywhere in dialin-sim.
 */
export const DTMF_KEYS = [
  '1', '2', '3', 'A',
  '4', '5', '6', 'B',
  '7', '8', '9', 'C',
  '*', '0', '#', 'D',
] as const;

export type DtmfKey = (typeof DTMF_KEYS)[number];

/** Low-group (row) frequencies in Hz, ITU-T Q.23. */
export const ROW_HZ = [697, 770, 852, 941] as const;
/** High-group (column) frequencies in Hz, ITU-T Q.23. */
export const COLUMN_HZ = [1209, 1336, 1477, 1633] as const;

/** Keypad layout: KEYPAD[row][column]. */
export const KEYPAD: readonly (readonly DtmfKey[])[] = [
  ['1', '2', '3', 'A'],
  ['4', '5', '6', 'B'],
  ['7', '8', '9', 'C'],
  ['*', '0', '#', 'D'],
];

export interface KeyFrequencies {
  readonly lowHz: number;
  readonly highHz: number;
}

const FREQUENCIES = new Map<string, KeyFrequencies>();
KEYPAD.forEach((keys, row) =>
  keys.forEach((key, column) =>
    FREQUENCIES.set(key, { lowHz: ROW_HZ[row]!, highHz: COLUMN_HZ[column]! }),
  ),
);

export function isDtmfKey(value: string): value is DtmfKey {
  return FREQUENCIES.has(value);
}

export function keyFrequencies(key: DtmfKey): KeyFrequencies {
  return FREQUENCIES.get(key)!;
}

/** The first character of `digits` that is not a DTMF key, or undefined. */
export function firstInvalidKey(digits: string): { index: number; char: string } | undefined {
  for (let index = 0; index < digits.length; index++) {
    const char = digits[index]!;
    if (!isDtmfKey(char)) return { index, char };
  }
  return undefined;
}

/** A key press found in audio. Times come from the sample count, never the clock. */
export interface DigitEvent {
  readonly digit: DtmfKey;
  /** Start of the tone, ms from the first sample of the input. */
  readonly startMs: number;
  /** End of the tone (first sample after it), ms from the first sample. */
  readonly endMs: number;
}

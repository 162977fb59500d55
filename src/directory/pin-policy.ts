/**
 * The PIN rules that need no stored data: format, length and common
 * patterns. History needs the stored hashes and is checked by the directory.
 *
 * Common patterns (after Set-CsPinPolicy -AllowCommonPatterns), rejected
 * unless the policy allows them:
 * - repeated-digit: the whole PIN is one digit repeated (11111).
 * - consecutive-digits: four or more digits anywhere in the PIN that each go
 *   up by one (1234) or each go down by one (9876). 0 does not follow 9, so
 *   8901 is not a run.
 * - extension: the PIN equals the user's extension, or contains it when the
 *   extension has at least 4 digits.
 * - phone-number: the PIN equals the last digits of the user's phone number
 *   (the phone's digits end with the PIN), or contains the phone's whole
 *   number (of at least 4 digits). Only digits count: "+1 (555) 123-4567" is 15551234567.
 * Rules are checked in this order and the first one broken is reported,
 * except that a PIN that is the phone number (or its trailing digits) is
 * reported as phone-number even when the extension, usually those same
 * trailing digits, is inside it; only a PIN equal to the extension is
 * reported as extension then.
 */
import { MAX_PIN_DIGITS } from './settings.ts';

export const PIN_RULES = [
  'digits-only',
  'min-length',
  'max-length',
  'repeated-digit',
  'consecutive-digits',
  'extension',
  'phone-number',
  'history',
] as const;
export type PinRule = (typeof PIN_RULES)[number];

/** What the rules need to know about the user and the policy. */
export interface PinRuleContext {
  readonly minLength: number;
  readonly allowCommonPatterns: boolean;
  readonly phone?: string | null | undefined;
  readonly extension?: string | null | undefined;
}

/** Shortest run of consecutive digits counted as a pattern. */
const RUN_LENGTH = 4;
/** Shortest extension or phone number that is also looked for inside a PIN. */
const CONTAINED_EXTENSION_DIGITS = 4;

export function digitsOf(text: string | null | undefined): string {
  return (text ?? '').replace(/\D/g, '');
}

export function isDigitString(text: string): boolean {
  return /^[0-9]+$/.test(text);
}

export function hasRepeatedDigit(pin: string): boolean {
  return pin.length > 1 && /^(\d)\1+$/.test(pin);
}

export function hasConsecutiveRun(pin: string, runLength = RUN_LENGTH): boolean {
  let up = 1;
  let down = 1;
  for (let i = 1; i < pin.length; i++) {
    const step = pin.charCodeAt(i) - pin.charCodeAt(i - 1);
    up = step === 1 ? up + 1 : 1;
    down = step === -1 ? down + 1 : 1;
    if (up >= runLength || down >= runLength) return true;
  }
  return false;
}

export function matchesExtension(pin: string, extension: string | null | undefined): boolean {
  const digits = digitsOf(extension);
  if (digits === '') return false;
  if (pin === digits) return true;
  return digits.length >= CONTAINED_EXTENSION_DIGITS && pin.includes(digits);
}

export function matchesPhone(pin: string, phone: string | null | undefined): boolean {
  const digits = digitsOf(phone);
  if (digits === '') return false;
  return digits.endsWith(pin) || (digits.length >= CONTAINED_EXTENSION_DIGITS && pin.includes(digits));
}

/** Human wording of each rule, for error messages (never includes the PIN). */
export const PIN_RULE_TEXT: Record<PinRule, string> = {
  'digits-only': 'a PIN may contain only the digits 0-9',
  'min-length': 'the PIN is shorter than the policy minimum',
  'max-length': `a PIN may have at most ${MAX_PIN_DIGITS} digits`,
  'repeated-digit': 'the PIN is one digit repeated',
  'consecutive-digits': 'the PIN contains 4 or more consecutive ascending or descending digits',
  extension: "the PIN matches the user's extension",
  'phone-number': "the PIN matches the user's phone number",
  history: "the PIN is one of the user's recent PINs",
};

/** The first rule `pin` breaks, or undefined when it passes every stateless rule. */
export function findPinViolation(pin: string, context: PinRuleContext): PinRule | undefined {
  if (pin.length > 0 && !isDigitString(pin)) return 'digits-only';
  if (pin.length < context.minLength) return 'min-length';
  if (pin.length > MAX_PIN_DIGITS) return 'max-length';
  if (context.allowCommonPatterns) return undefined;
  if (hasRepeatedDigit(pin)) return 'repeated-digit';
  if (hasConsecutiveRun(pin)) return 'consecutive-digits';
  if (pin === digitsOf(context.extension)) return 'extension';
  if (matchesPhone(pin, context.phone)) return 'phone-number';
  if (matchesExtension(pin, context.extension)) return 'extension';
  return undefined;
}

/** The message for a broken rule, with the numbers that apply. */
export function describeViolation(rule: PinRule, context: PinRuleContext, historyCount?: number): string {
  switch (rule) {
    case 'min-length':
      return `the PIN must have at least ${context.minLength} digits`;
    case 'history':
      return `the PIN must not be one of the user's last ${historyCount ?? 'few'} PINs`;
    default:
      return PIN_RULE_TEXT[rule];
  }
}

import { describe, expect, it } from 'vitest';
import {
  findPinViolation,
  hasConsecutiveRun,
  hasRepeatedDigit,
  matchesExtension,
  matchesPhone,
  type PinRuleContext,
} from '../../src/directory/pin-policy.ts';

const strict: PinRuleContext = { minLength: 5, allowCommonPatterns: false, phone: '+1 (555) 123-4567', extension: '4567' };

describe('PIN rules', () => {
  it('accepts a PIN that breaks no rule', () => {
    expect(findPinViolation('24680', strict)).toBeUndefined();
    expect(findPinViolation('739182046571938204657193', strict)).toBeUndefined();
  });

  it('rejects anything but the digits 0-9', () => {
    expect(findPinViolation('12*45', strict)).toBe('digits-only');
    expect(findPinViolation('2468#', strict)).toBe('digits-only');
    expect(findPinViolation('24 68', strict)).toBe('digits-only');
    expect(findPinViolation('２４６８０', strict)).toBe('digits-only');
  });

  it('rejects an empty PIN and one shorter than minLength', () => {
    expect(findPinViolation('', strict)).toBe('min-length');
    expect(findPinViolation('2468', strict)).toBe('min-length');
    expect(findPinViolation('246802', { ...strict, minLength: 7 })).toBe('min-length');
    expect(findPinViolation('2468025', { ...strict, minLength: 7 })).toBeUndefined();
  });

  it('rejects more than 24 digits', () => {
    expect(findPinViolation('2468024680246802468024680', strict)).toBe('max-length');
    expect(findPinViolation('246802468024680246802468', strict)).toBeUndefined();
  });

  it('finds one digit repeated over the whole PIN', () => {
    expect(hasRepeatedDigit('11111')).toBe(true);
    expect(hasRepeatedDigit('000000')).toBe(true);
    expect(hasRepeatedDigit('11112')).toBe(false);
    expect(findPinViolation('99999', strict)).toBe('repeated-digit');
  });

  it('finds four consecutive ascending or descending digits anywhere', () => {
    expect(hasConsecutiveRun('1234')).toBe(true);
    expect(hasConsecutiveRun('81234')).toBe(true);
    expect(hasConsecutiveRun('59876')).toBe(true);
    expect(hasConsecutiveRun('3456')).toBe(true);
    expect(hasConsecutiveRun('1235')).toBe(false);
    expect(hasConsecutiveRun('12312')).toBe(false);
    // 0 does not follow 9.
    expect(hasConsecutiveRun('78901')).toBe(false);
    expect(hasConsecutiveRun('21098')).toBe(false);
    expect(findPinViolation('91234', strict)).toBe('consecutive-digits');
    expect(findPinViolation('59876', strict)).toBe('consecutive-digits');
  });

  it('matches the extension when equal, or contained when it has 4 or more digits', () => {
    expect(matchesExtension('4567', '4567')).toBe(true);
    expect(matchesExtension('94567', '4567')).toBe(true);
    expect(matchesExtension('045670', 'x4567')).toBe(true);
    expect(matchesExtension('123', '123')).toBe(true);
    expect(matchesExtension('81239', '123')).toBe(false);
    expect(matchesExtension('24680', null)).toBe(false);
    expect(findPinViolation('90018', { ...strict, phone: null, extension: '0018' })).toBe('extension');
    expect(findPinViolation('24680', { ...strict, phone: null, extension: '24680' })).toBe('extension');
  });

  it('matches the trailing digits of the phone number, or the whole number inside the PIN', () => {
    expect(matchesPhone('34567', '+1 (555) 123-4567')).toBe(true);
    expect(matchesPhone('15551234567', '+1 (555) 123-4567')).toBe(true);
    expect(matchesPhone('0015551234567', '+1 (555) 123-4567')).toBe(true);
    // Inside the number but not at its end: allowed.
    expect(matchesPhone('55512', '+1 (555) 123-4567')).toBe(false);
    expect(matchesPhone('24680', undefined)).toBe(false);
    expect(findPinViolation('39175', { ...strict, phone: '+1 555 803 9175', extension: null })).toBe('phone-number');
    expect(findPinViolation('75501', { ...strict, phone: '+44 20 7946 0018 75501' })).toBe('phone-number');
  });

  it('reports the phone number, not the extension inside it, for a PIN that is the number or its end', () => {
    const user = { ...strict, phone: '+1 (555) 803-9175', extension: '9175' };
    expect(findPinViolation('15558039175', user)).toBe('phone-number');
    expect(findPinViolation('8039175', user)).toBe('phone-number');
    expect(findPinViolation('39175', user)).toBe('phone-number');
    expect(findPinViolation('9175', { ...user, minLength: 4 })).toBe('extension');
    expect(findPinViolation('99175', user)).toBe('extension');
  });

  it('allows every common pattern when the policy does, but never a bad format or length', () => {
    const relaxed = { ...strict, allowCommonPatterns: true };
    const patterns = { ...relaxed, phone: '+1 555 803 9175', extension: '0018' };
    for (const pin of ['11111', '12345', '90018', '39175']) expect(findPinViolation(pin, patterns)).toBeUndefined();
    expect(findPinViolation('1234', relaxed)).toBe('min-length');
    expect(findPinViolation('12*45', relaxed)).toBe('digits-only');
  });
});

import { describe, expect, it } from 'vitest';
import { DTMF_KEYS } from '../../src/dsp/dtmf-keys.ts';
import { callerFrom, callerId, callerKey, CallerFieldError, MAX_CALLER_FIELD_CHARS } from '../../src/session/caller-fields.ts';

function problem(fn: () => unknown): { field: string; message: string } {
  try {
    fn();
  } catch (error) {
    expect(error).toBeInstanceOf(CallerFieldError);
    expect((error as CallerFieldError).code).toBe('E_BAD_FIELD');
    return { field: (error as CallerFieldError).field, message: (error as CallerFieldError).message };
  }
  throw new Error('expected a CallerFieldError');
}

describe('callerId', () => {
  it('accepts a non-empty id up to the limit, unchanged', () => {
    expect(callerId('CA0123', 'start.callSid')).toBe('CA0123');
    expect(callerId('c'.repeat(MAX_CALLER_FIELD_CHARS), 'start.callSid')).toHaveLength(64);
  });

  it('refuses an id that is too long, empty or not a string, naming the field and the rule', () => {
    expect(problem(() => callerId('C'.repeat(200), 'start.callSid'))).toEqual({
      field: 'start.callSid',
      message: 'start.callSid: longer than 64 characters (got 200)',
    });
    expect(problem(() => callerId('', 'Call-ID')).message).toBe('Call-ID: empty');
    expect(problem(() => callerId(null, 'start.streamSid')).message).toBe('start.streamSid: not a string (got null)');
    expect(problem(() => callerId(['CA1'], 'start.streamSid')).message).toBe('start.streamSid: not a string (got array)');
  });
});

describe('callerFrom', () => {
  it('is undefined when the caller names no one, and keeps a name up to the limit whole', () => {
    expect(callerFrom(undefined, 'start.from')).toBeUndefined();
    expect(callerFrom('', 'start.from')).toBe('');
    expect(callerFrom('+15550100', 'start.from')).toBe('+15550100');
    expect(callerFrom('n'.repeat(64), 'start.from')).toBe('n'.repeat(64));
  });

  it('refuses a name over the limit instead of cutting it', () => {
    expect(problem(() => callerFrom('n'.repeat(65), 'From')).message).toBe('From: longer than 64 characters (got 65)');
    expect(problem(() => callerFrom(15550100, 'start.from')).message).toBe('start.from: not a string (got number)');
  });
});

describe('callerKey', () => {
  it('accepts each of the sixteen keys, letters in either case, as the upper-case key', () => {
    for (const key of DTMF_KEYS) {
      expect(callerKey(key, 'dtmf.digit')).toBe(key);
      expect(callerKey(key.toLowerCase(), 'dtmf.digit')).toBe(key);
    }
  });

  it('refuses anything but one key', () => {
    for (const value of ['', '12', 'E', ' 1', '#'.repeat(1000)]) {
      expect(problem(() => callerKey(value, 'dtmf.digit')).message).toBe('dtmf.digit: not a DTMF key (one of 0-9, *, #, A-D)');
    }
    expect(problem(() => callerKey(1, 'dtmf.digit')).message).toBe('dtmf.digit: not a string (got number)');
  });
});

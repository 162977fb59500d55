import { describe, expect, it } from 'vitest';
import { SettingError } from '../../src/directory/errors.ts';
import {
  DEFAULT_POLICY,
  DEFAULT_TENANT,
  isSettingProblem,
  mergePolicy,
  mergeTenant,
  orThrow,
  pinExpiresAtMs,
} from '../../src/directory/settings.ts';

function problem(result: object): string | undefined {
  return isSettingProblem(result) ? `${result.field}: ${result.problem}` : undefined;
}

describe('settings', () => {
  it('has the documented defaults', () => {
    expect(DEFAULT_TENANT).toEqual({ pinLength: 5, allowAnonymousStart: false, sendEmailToUser: true, emailOverride: null });
    expect(DEFAULT_POLICY).toEqual({
      minLength: 5,
      historyCount: 5,
      lifetimeDays: 0,
      allowCommonPatterns: false,
      maxLogonAttempts: 'auto',
      logonFailuresBeforePinReset: null,
    });
  });

  it('accepts the ends of every range and refuses one past them', () => {
    const ranges: [string, number, number][] = [
      ['minLength', 4, 24],
      ['historyCount', 0, 20],
      ['lifetimeDays', 0, 999],
    ];
    for (const [field, min, max] of ranges) {
      // historyCount 0 needs lifetimeDays 0, which is the default.
      expect(problem(mergePolicy(DEFAULT_POLICY, { [field]: min }))).toBeUndefined();
      expect(problem(mergePolicy(DEFAULT_POLICY, { [field]: max }))).toBeUndefined();
      expect(problem(mergePolicy(DEFAULT_POLICY, { [field]: min - 1 }))).toMatch(new RegExp(`^policy.${field}: must be`));
      expect(problem(mergePolicy(DEFAULT_POLICY, { [field]: max + 1 }))).toMatch(new RegExp(`^policy.${field}: must be`));
    }
    expect(problem(mergeTenant(DEFAULT_TENANT, { pinLength: 4 }))).toBeUndefined();
    expect(problem(mergeTenant(DEFAULT_TENANT, { pinLength: 12 }))).toBeUndefined();
    expect(problem(mergeTenant(DEFAULT_TENANT, { pinLength: 13 }))).toMatch(/^tenant.pinLength: must be a whole number from 4 to 12/);
    expect(problem(mergeTenant(DEFAULT_TENANT, { pinLength: 4.5 }))).toMatch(/got 4.5/);
  });

  it('requires a PIN history when PINs expire', () => {
    expect(problem(mergePolicy(DEFAULT_POLICY, { lifetimeDays: 90, historyCount: 0 }))).toMatch(/^policy.historyCount: must be above 0/);
    expect(problem(mergePolicy(DEFAULT_POLICY, { lifetimeDays: 90, historyCount: 1 }))).toBeUndefined();
  });

  it('reads logon limits as auto or local/global with global at least local', () => {
    expect(mergePolicy(DEFAULT_POLICY, { maxLogonAttempts: { local: 10, global: 100 } })).toMatchObject({
      maxLogonAttempts: { local: 10, global: 100 },
    });
    expect(mergePolicy(DEFAULT_POLICY, { maxLogonAttempts: 'auto' })).toMatchObject({ maxLogonAttempts: 'auto' });
    expect(problem(mergePolicy(DEFAULT_POLICY, { maxLogonAttempts: { local: 10, global: 5 } }))).toMatch(/global must be at least/);
    expect(problem(mergePolicy(DEFAULT_POLICY, { maxLogonAttempts: { local: 0, global: 5 } }))).toMatch(/\.local must be/);
    expect(problem(mergePolicy(DEFAULT_POLICY, { maxLogonAttempts: { local: 3, global: 5, extra: 1 } }))).toMatch(/unknown key 'extra'/);
    expect(problem(mergePolicy(DEFAULT_POLICY, { maxLogonAttempts: '7' }))).toMatch(/must be auto, a number \(the local limit\) or \{ local, global \}, got '7'/);
  });

  it('reads a single number of logon attempts as the local limit with the automatic global one', () => {
    expect(mergePolicy(DEFAULT_POLICY, { maxLogonAttempts: 7 })).toMatchObject({ maxLogonAttempts: { local: 7, global: 'auto' } });
    expect(mergePolicy(DEFAULT_POLICY, { maxLogonAttempts: { local: 7, global: 'auto' } })).toMatchObject({ maxLogonAttempts: { local: 7, global: 'auto' } });
    expect(problem(mergePolicy(DEFAULT_POLICY, { maxLogonAttempts: 0 }))).toMatch(/^policy.maxLogonAttempts: must be a whole number from 1 to 999 \(the local limit\), auto or \{ local, global \}, got 0/);
    expect(problem(mergePolicy(DEFAULT_POLICY, { maxLogonAttempts: 2.5 }))).toMatch(/got 2.5/);
  });

  it('turns the automatic PIN reset off with off or null', () => {
    expect(mergePolicy(DEFAULT_POLICY, { logonFailuresBeforePinReset: 5 })).toMatchObject({ logonFailuresBeforePinReset: 5 });
    expect(mergePolicy({ ...DEFAULT_POLICY, logonFailuresBeforePinReset: 5 }, { logonFailuresBeforePinReset: 'off' }))
      .toMatchObject({ logonFailuresBeforePinReset: null });
    expect(problem(mergePolicy(DEFAULT_POLICY, { logonFailuresBeforePinReset: 0 }))).toMatch(/from 1 to 999 or off, got 0/);
  });

  it('refuses unknown fields, wrong types and a bad override address', () => {
    expect(problem(mergePolicy(DEFAULT_POLICY, { minLenght: 5 }))).toMatch(/^policy.minLenght: is not a policy setting/);
    expect(problem(mergePolicy(DEFAULT_POLICY, { allowCommonPatterns: 'yes' }))).toMatch(/must be true or false, got 'yes'/);
    expect(problem(mergeTenant(DEFAULT_TENANT, { emailOverride: 'not an address' }))).toMatch(/^tenant.emailOverride: must be an e-mail/);
    expect(mergeTenant(DEFAULT_TENANT, { emailOverride: 'pins@contoso.com' })).toMatchObject({ emailOverride: 'pins@contoso.com' });
  });

  it('throws a SettingError naming the field', () => {
    try {
      orThrow(mergePolicy(DEFAULT_POLICY, { minLength: 3 }));
      expect.unreachable();
    } catch (error) {
      expect(error).toBeInstanceOf(SettingError);
      expect((error as SettingError).code).toBe('E_SETTING');
      expect((error as SettingError).field).toBe('policy.minLength');
      expect((error as SettingError).message).toBe('policy.minLength must be a whole number from 4 to 24, got 3');
    }
  });

  it('expires a PIN at exactly lifetimeDays after it was set, and never for 0', () => {
    expect(pinExpiresAtMs(1000, 90)).toBe(1000 + 90 * 86_400_000);
    expect(pinExpiresAtMs(1000, 0)).toBeNull();
  });
});

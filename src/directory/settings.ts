/**
 * Tenant settings and the PIN policy: their types, defaults, allowed ranges
 * and validation. Pure: used by the SQLite directory, the deployment loader
 * and the CLI, each of which reports a problem in its own words.
 */
import { SettingError } from './errors.ts';

export interface TenantSettings {
  /** Digits in newly generated PINs (4–12). Existing PINs keep their length. */
  readonly pinLength: number;
  /** Whether meetings start without their organizer, unless a conference overrides it. */
  readonly allowAnonymousStart: boolean;
  /** Whether a new or reset PIN is mailed (to the user, or to `emailOverride`). */
  readonly sendEmailToUser: boolean;
  /** When set, PIN mails go to this address instead of the user's own. */
  readonly emailOverride: string | null;
}

/**
 * Lockout thresholds; `'auto'` derives both from the user's PIN length. A
 * global of `'auto'` (what `maxLogonAttempts: 10` means, as
 * Set-CsPinPolicy -MaximumLogonAttempts 10 sets only the local limit) is
 * the automatic global limit for the policy's minimum PIN length, never below the local one.
 */
export type LogonAttemptLimits = 'auto' | { readonly local: number; readonly global: number | 'auto' };

export interface PinPolicy {
  /** Fewest digits a PIN may have (4–24). */
  readonly minLength: number;
  /** How many of the user's most recent PINs (the current one included) cannot be reused (0–20). */
  readonly historyCount: number;
  /** Days a PIN stays valid before it must be changed at logon; 0 = never expires (0–999). */
  readonly lifetimeDays: number;
  /** Whether repeated digits, runs like 1234 and the user's phone number or extension are allowed. */
  readonly allowCommonPatterns: boolean;
  /** Failures before a 1-hour lock (local) and before a lock until an admin unlocks (global); see LogonAttemptLimits. */
  readonly maxLogonAttempts: LogonAttemptLimits;
  /** Consecutive failures after which the PIN is replaced and mailed (Exchange UM); null = off. */
  readonly logonFailuresBeforePinReset: number | null;
}

/**
 * Ranges and defaults. Sources: Set-CsPinPolicy (Skype for Business Server):
 * MinPasswordLength 4–24, default 5; PINHistoryCount 0–20; PINLifetime 0–999
 * days, 0 = never; MaximumLogonAttempts 1–999 or automatic; a PINLifetime
 * above 0 requires a PINHistoryCount above 0. Teams audio conferencing: PIN
 * length 4–12, default 5. Exchange UM LogonFailuresBeforePINReset: 0–999.
 */
export const SETTING_LIMITS = {
  pinLength: { min: 4, max: 12 },
  minLength: { min: 4, max: 24 },
  historyCount: { min: 0, max: 20 },
  lifetimeDays: { min: 0, max: 999 },
  localLogonAttempts: { min: 1, max: 999 },
  globalLogonAttempts: { min: 1, max: 99_999 },
  logonFailuresBeforePinReset: { min: 1, max: 999 },
} as const;

/**
 * When a PIN set at `setAtMs` stops being valid, or null if it never does.
 * At that exact millisecond it is already expired.
 */
export function pinExpiresAtMs(setAtMs: number, lifetimeDays: number): number | null {
  return lifetimeDays > 0 ? setAtMs + lifetimeDays * 86_400_000 : null;
}

/** The longest PIN the directory accepts or the keypad flow collects. */
export const MAX_PIN_DIGITS = 24;

export const DEFAULT_TENANT: TenantSettings = {
  pinLength: 5,
  allowAnonymousStart: false,
  sendEmailToUser: true,
  emailOverride: null,
};

export const DEFAULT_POLICY: PinPolicy = {
  minLength: 5,
  historyCount: 5,
  lifetimeDays: 0,
  allowCommonPatterns: false,
  maxLogonAttempts: 'auto',
  logonFailuresBeforePinReset: null,
};

type Mutable<T> = { -readonly [K in keyof T]: T[K] };

/** A problem with one field: where it is (`policy.minLength`) and what is wrong. */
export interface SettingProblem {
  readonly field: string;
  readonly problem: string;
}

function integerProblem(value: unknown, limits: { min: number; max: number }): string | undefined {
  if (typeof value !== 'number' || !Number.isInteger(value) || value < limits.min || value > limits.max) {
    return `must be a whole number from ${limits.min} to ${limits.max}, got ${describe(value)}`;
  }
  return undefined;
}

function booleanProblem(value: unknown): string | undefined {
  return typeof value === 'boolean' ? undefined : `must be true or false, got ${describe(value)}`;
}

export function describe(value: unknown): string {
  if (typeof value === 'string') return `'${value}'`;
  if (value === null) return 'null';
  if (typeof value === 'object') return Array.isArray(value) ? 'a list' : 'a map';
  return String(value);
}

/** A deliberately loose check: one '@' with text on both sides and no spaces. */
export function isEmailAddress(value: string): boolean {
  return /^[^\s@]+@[^\s@]+$/.test(value);
}

/**
 * Checks a partial tenant object. Unknown keys are problems too, so a typo
 * never passes silently. Returns the merged settings or the first problem.
 */
export function mergeTenant(current: TenantSettings, patch: Record<string, unknown>): TenantSettings | SettingProblem {
  const next: Mutable<TenantSettings> = { ...current };
  for (const [key, value] of Object.entries(patch)) {
    const field = `tenant.${key}`;
    let problem: string | undefined;
    switch (key) {
      case 'pinLength':
        problem = integerProblem(value, SETTING_LIMITS.pinLength);
        if (!problem) next.pinLength = value as number;
        break;
      case 'allowAnonymousStart':
      case 'sendEmailToUser':
        problem = booleanProblem(value);
        if (!problem) next[key] = value as boolean;
        break;
      case 'emailOverride':
        if (value === null) next.emailOverride = null;
        else if (typeof value === 'string' && isEmailAddress(value)) next.emailOverride = value;
        else problem = `must be an e-mail address or null, got ${describe(value)}`;
        break;
      default:
        problem = 'is not a tenant setting (pinLength, allowAnonymousStart, sendEmailToUser, emailOverride)';
    }
    if (problem) return { field, problem };
  }
  return next;
}

/** Checks a partial policy object and the rules that tie fields together. */
export function mergePolicy(current: PinPolicy, patch: Record<string, unknown>): PinPolicy | SettingProblem {
  const next: Mutable<PinPolicy> = { ...current };
  for (const [key, value] of Object.entries(patch)) {
    const field = `policy.${key}`;
    let problem: string | undefined;
    switch (key) {
      case 'minLength':
      case 'historyCount':
      case 'lifetimeDays':
        problem = integerProblem(value, SETTING_LIMITS[key]);
        if (!problem) next[key] = value as number;
        break;
      case 'allowCommonPatterns':
        problem = booleanProblem(value);
        if (!problem) next.allowCommonPatterns = value as boolean;
        break;
      case 'maxLogonAttempts': {
        const checked = logonLimitsProblem(value);
        if (typeof checked === 'string') problem = checked;
        else next.maxLogonAttempts = checked.limits;
        break;
      }
      case 'logonFailuresBeforePinReset':
        if (value === null || value === 'off') next.logonFailuresBeforePinReset = null;
        else {
          problem = integerProblem(value, SETTING_LIMITS.logonFailuresBeforePinReset);
          if (problem) problem = `${problem.replace(/, got .*/, '')} or off, got ${describe(value)}`;
          else next.logonFailuresBeforePinReset = value as number;
        }
        break;
      default:
        problem =
          'is not a policy setting (minLength, historyCount, lifetimeDays, allowCommonPatterns, ' +
          'maxLogonAttempts, logonFailuresBeforePinReset)';
    }
    if (problem) return { field, problem };
  }
  if (next.lifetimeDays > 0 && next.historyCount === 0) {
    return {
      field: 'policy.historyCount',
      problem: 'must be above 0 when lifetimeDays is above 0 (an expired PIN could be set again)',
    };
  }
  return next;
}

function logonLimitsProblem(value: unknown): string | { limits: LogonAttemptLimits } {
  if (value === 'auto' || value === null) return { limits: 'auto' };
  if (typeof value === 'number') {
    const problem = integerProblem(value, SETTING_LIMITS.localLogonAttempts);
    return problem ? `${problem.replace(/, got .*/, '')} (the local limit), auto or { local, global }, got ${describe(value)}` : { limits: { local: value, global: 'auto' } };
  }
  if (typeof value !== 'object' || Array.isArray(value)) {
    return `must be auto, a number (the local limit) or { local, global }, got ${describe(value)}`;
  }
  const { local, global, ...rest } = value as Record<string, unknown>;
  const extra = Object.keys(rest)[0];
  if (extra !== undefined) return `has an unknown key '${extra}' (expected local and global)`;
  const localProblem = integerProblem(local, SETTING_LIMITS.localLogonAttempts);
  if (localProblem) return `.local ${localProblem}`;
  if (global === 'auto') return { limits: { local: local as number, global: 'auto' } };
  const globalProblem = integerProblem(global, SETTING_LIMITS.globalLogonAttempts);
  if (globalProblem) return `.global ${globalProblem.replace(/, got /, ' or auto, got ')}`;
  if ((global as number) < (local as number)) {
    return `.global must be at least the local limit (${local as number}), got ${global as number}`;
  }
  return { limits: { local: local as number, global: global as number } };
}

/** Formats a problem the way every setting error reads: `policy.minLength must be ...`. */
export function problemMessage(problem: SettingProblem): string {
  return problem.problem.startsWith('.')
    ? `${problem.field}${problem.problem}`
    : `${problem.field} ${problem.problem}`;
}

export function isSettingProblem(value: object): value is SettingProblem {
  return 'problem' in value && 'field' in value;
}

/** mergeTenant/mergePolicy for callers that want an exception. */
export function orThrow<T extends object>(result: T | SettingProblem): T {
  if (isSettingProblem(result)) {
    throw new SettingError(result.field, problemMessage(result));
  }
  return result;
}

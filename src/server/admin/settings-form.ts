/**
 * Policy and tenant forms into the patches the directory validates. Values
 * are converted as a form can spell them (numbers, checkboxes, `auto`,
 * `LOCAL/GLOBAL`, empty for off); anything else is passed on as the string it
 * is, so the directory's own check names the field and the value.
 */
import type { LogonAttemptLimits, PinPolicy, TenantSettings } from '../../directory/settings.ts';
import type { FormFields } from './form-body.ts';

function numberOr(value: string | undefined): number | string | undefined {
  if (value === undefined) return undefined;
  return /^\d{1,9}$/.test(value.trim()) ? Number(value.trim()) : value;
}

function limits(value: string | undefined): LogonAttemptLimits | string | undefined {
  if (value === undefined) return undefined;
  const text = value.trim().toLowerCase();
  if (text === 'auto') return 'auto';
  if (/^\d{1,9}$/.test(text)) return { local: Number(text), global: 'auto' };
  const match = /^(\d{1,9})\/(\d{1,9}|auto)$/.exec(text);
  if (!match) return value;
  return { local: Number(match[1]), global: match[2] === 'auto' ? 'auto' : Number(match[2]) };
}

/** A checkbox is on when present; the form always posts every other field. */
const checked = (form: FormFields, name: string) => form.get(name) === 'on';

export function policyPatch(form: FormFields): Record<keyof PinPolicy, unknown> {
  const reset = form.get('logonFailuresBeforePinReset')?.trim();
  return {
    minLength: numberOr(form.get('minLength')),
    historyCount: numberOr(form.get('historyCount')),
    lifetimeDays: numberOr(form.get('lifetimeDays')),
    allowCommonPatterns: checked(form, 'allowCommonPatterns'),
    maxLogonAttempts: limits(form.get('maxLogonAttempts')),
    logonFailuresBeforePinReset: reset === undefined || reset === '' ? null : numberOr(reset),
  };
}

export function tenantPatch(form: FormFields): Record<keyof TenantSettings, unknown> {
  const override = form.get('emailOverride')?.trim();
  return {
    pinLength: numberOr(form.get('pinLength')),
    allowAnonymousStart: checked(form, 'allowAnonymousStart'),
    sendEmailToUser: checked(form, 'sendEmailToUser'),
    emailOverride: override === undefined || override === '' ? null : override,
  };
}

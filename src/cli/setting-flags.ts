/**
 * The `policy set` flag of each tenant and policy setting, so that setting
 * errors from the directory (`policy.minLength must be ...`) reach the
 * command line in its own words (`--min-length must be ...`).
 */
import type { SettingError } from '../directory/errors.ts';
import type { PinPolicy, TenantSettings } from '../directory/settings.ts';

export const SETTING_FLAGS = {
  minLength: 'min-length',
  historyCount: 'history-count',
  lifetimeDays: 'lifetime-days',
  allowCommonPatterns: 'allow-common-patterns',
  maxLogonAttempts: 'max-logon-attempts',
  logonFailuresBeforePinReset: 'logon-failures-before-pin-reset',
  pinLength: 'pin-length',
  allowAnonymousStart: 'allow-anonymous-start',
  sendEmailToUser: 'send-email-to-user',
  emailOverride: 'email-override',
} as const satisfies Record<keyof PinPolicy | keyof TenantSettings, string>;

function flagOf(name: string): string | undefined {
  return Object.hasOwn(SETTING_FLAGS, name) ? `--${SETTING_FLAGS[name as keyof typeof SETTING_FLAGS]}` : undefined;
}

/**
 * A SettingError's message with setting names as flags: `.local`/`.global`
 * of --max-logon-attempts become its LOCAL and GLOBAL parts, and null (no
 * value) becomes `off`, as the flags spell it.
 */
export function settingMessage(error: SettingError): string {
  const name = error.field.slice(error.field.indexOf('.') + 1);
  const rest = error.message.startsWith(error.field) ? error.message.slice(error.field.length) : ` ${error.message}`;
  const words = rest
    .replace(/^\.(local|global)\b/, (_, part: string) => ` ${part.toUpperCase()}`)
    .replace(/\b[a-z]+(?:[A-Z][a-z]*)+\b/g, (word) => flagOf(word) ?? word)
    .replace(/\bor null\b/g, 'or off');
  return `${flagOf(name) ?? error.field}${words}`;
}

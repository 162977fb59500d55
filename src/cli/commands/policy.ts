import { CLI_ACTOR, DirectoryActions } from '../../directory/directory-actions.ts';
import { SettingError } from '../../directory/errors.ts';
import { automaticLimits, effectiveLimits } from '../../directory/lockout-rules.ts';
import { SETTING_LIMITS, type LogonAttemptLimits, type PinPolicy, type TenantSettings } from '../../directory/settings.ts';
import { UsageError } from '../../errors.ts';
import { numberOption, parseCommandArgs } from '../args.ts';
import type { Command } from '../command.ts';
import { DIRECTORY_OPTIONS, openCliDirectory } from '../directory-options.ts';
import { SETTING_FLAGS, settingMessage } from '../setting-flags.ts';

const usage = `usage: dialin-sim policy show [options]
       dialin-sim policy set SETTING... [options]

Show or change the PIN policy and the tenant's dial-in settings. Changes
apply to PINs set from now on; existing PINs keep working.

PIN policy settings:
  --min-length N                           fewest digits in a PIN (4-24; default 5)
  --history-count N                        recent PINs that cannot be reused (0-20; default 5)
  --lifetime-days N                        days until a PIN must be changed, 0 = never (0-999)
  --allow-common-patterns true|false       allow one repeated digit (11111), runs of 4 like
                                           1234 or 9876, and the user's phone number or extension
  --max-logon-attempts LOCAL/GLOBAL|N|auto
                                           failures within 30 minutes that lock the PIN for an
                                           hour / failures since the last logon that lock it until
                                           unlocked; auto follows the PIN length (4 digits: 10/100,
                                           5: 25/1000, 6 or more: 25/5000); N alone, as
                                           Set-CsPinPolicy -MaximumLogonAttempts takes it, is the
                                           local limit, with the automatic global limit for
                                           --min-length (never below N)
  --logon-failures-before-pin-reset N|off  after N consecutive failures replace the PIN with a
                                           new one and mail it (1-999; default off)
Tenant settings:
  --pin-length N                           digits in generated PINs (4-12; default 5)
  --allow-anonymous-start true|false       meetings start without their organizer unless the
                                           conference says otherwise (default false)
  --send-email-to-user true|false          mail new PINs (default true)
  --email-override ADDRESS|off             mail new PINs to ADDRESS instead of the user

Options:
  --db FILE       the directory database (default dialin.db); it must exist
                  unless --config is given
  --config FILE   load users and conferences from this deployment file first,
                  creating the database if there is none
  --read-only     open the database read-only (show works, set fails)`;

const wholeNumber = ({ min, max }: { min: number; max: number }) => `a whole number from ${min} to ${max}`;
const TRUE_OR_FALSE = 'true or false';
const LIMITS_SYNTAX = 'LOCAL/GLOBAL (like 10/100), N (the local limit alone) or auto';

function booleanOption(name: string, value: string | undefined): boolean | undefined {
  if (value === undefined) return undefined;
  if (value === 'true') return true;
  if (value === 'false') return false;
  throw new UsageError(`--${name} expects true or false, got '${value}'`);
}

function limitsOption(value: string | undefined): LogonAttemptLimits | undefined {
  if (value === undefined) return undefined;
  if (value === 'auto') return 'auto';
  // A single number is the local limit alone, as in a deployment file's `maxLogonAttempts: N`.
  if (/^\d+$/.test(value)) return { local: Number(value), global: 'auto' };
  const match = /^(\d+)\/(\d+)$/.exec(value);
  if (!match) throw new UsageError(`--max-logon-attempts expects ${LIMITS_SYNTAX}, got '${value}'`);
  return { local: Number(match[1]), global: Number(match[2]) };
}

function describeLimits(policy: PinPolicy): string {
  const limits = policy.maxLogonAttempts;
  if (limits === 'auto') return 'auto (by PIN length: 4 digits 10/100, 5 digits 25/1000, 6 or more 25/5000)';
  const { global } = effectiveLimits(limits, policy.minLength);
  const raised = limits.local > automaticLimits(policy.minLength).global ? ', raised to the local limit' : '';
  const note = limits.global === 'auto' ? `; automatic for minLength ${policy.minLength}${raised}` : '';
  return `${limits.local} within 30 minutes (1-hour lock) / ${global} since the last logon (lock until unlocked${note})`;
}

export function policyLines(policy: PinPolicy, tenant: TenantSettings): string[] {
  const row = (name: string, value: string) => `  ${name.padEnd(29)} ${value}`;
  return [
    'PIN policy',
    row('minLength', String(policy.minLength)),
    row('historyCount', String(policy.historyCount)),
    row('lifetimeDays', policy.lifetimeDays === 0 ? '0 (PINs never expire)' : String(policy.lifetimeDays)),
    row('allowCommonPatterns', String(policy.allowCommonPatterns)),
    row('maxLogonAttempts', describeLimits(policy)),
    row('logonFailuresBeforePinReset', String(policy.logonFailuresBeforePinReset ?? 'off')),
    'Tenant',
    row('pinLength', String(tenant.pinLength)),
    row('allowAnonymousStart', String(tenant.allowAnonymousStart)),
    row('sendEmailToUser', String(tenant.sendEmailToUser)),
    row('emailOverride', tenant.emailOverride ?? 'off'),
  ];
}

export const command: Command = {
  summary: 'show or change the PIN policy and tenant settings',
  usage,
  async run(args, io) {
    const { values, positionals } = parseCommandArgs(args, {
      ...DIRECTORY_OPTIONS,
      [SETTING_FLAGS.minLength]: { type: 'string', expects: wholeNumber(SETTING_LIMITS.minLength) },
      [SETTING_FLAGS.historyCount]: { type: 'string', expects: wholeNumber(SETTING_LIMITS.historyCount) },
      [SETTING_FLAGS.lifetimeDays]: { type: 'string', expects: wholeNumber(SETTING_LIMITS.lifetimeDays) },
      [SETTING_FLAGS.allowCommonPatterns]: { type: 'string', expects: TRUE_OR_FALSE },
      [SETTING_FLAGS.maxLogonAttempts]: { type: 'string', expects: LIMITS_SYNTAX },
      [SETTING_FLAGS.logonFailuresBeforePinReset]: {
        type: 'string',
        expects: `${wholeNumber(SETTING_LIMITS.logonFailuresBeforePinReset)} or off`,
      },
      [SETTING_FLAGS.pinLength]: { type: 'string', expects: wholeNumber(SETTING_LIMITS.pinLength) },
      [SETTING_FLAGS.allowAnonymousStart]: { type: 'string', expects: TRUE_OR_FALSE },
      [SETTING_FLAGS.sendEmailToUser]: { type: 'string', expects: TRUE_OR_FALSE },
      [SETTING_FLAGS.emailOverride]: { type: 'string', expects: 'an e-mail address or off' },
    });
    const [action, ...extra] = positionals;
    if (action !== 'show' && action !== 'set') {
      throw new UsageError(
        action === undefined
          ? 'missing action (show or set)'
          : `unknown action '${action}' (expected show or set)`,
      );
    }
    if (extra.length > 0) throw new UsageError(`${action}: unexpected argument '${extra[0]}'`);

    const resetAfter = values['logon-failures-before-pin-reset'];
    const override = values['email-override'];
    const policy: Partial<PinPolicy> = {
      minLength: numberOption('min-length', values['min-length']),
      historyCount: numberOption('history-count', values['history-count']),
      lifetimeDays: numberOption('lifetime-days', values['lifetime-days']),
      allowCommonPatterns: booleanOption('allow-common-patterns', values['allow-common-patterns']),
      maxLogonAttempts: limitsOption(values['max-logon-attempts']),
      logonFailuresBeforePinReset:
        resetAfter === 'off' ? null : numberOption('logon-failures-before-pin-reset', resetAfter),
    };
    const tenant: Partial<TenantSettings> = {
      pinLength: numberOption('pin-length', values['pin-length']),
      allowAnonymousStart: booleanOption('allow-anonymous-start', values['allow-anonymous-start']),
      sendEmailToUser: booleanOption('send-email-to-user', values['send-email-to-user']),
      emailOverride: override === undefined ? undefined : override === 'off' ? null : override,
    };
    const changes = [...Object.values(policy), ...Object.values(tenant)].filter((value) => value !== undefined).length;
    if (action === 'set' && changes === 0) throw new UsageError('nothing to set (see dialin-sim policy --help)');
    if (action === 'show' && changes > 0) {
      throw new UsageError("show takes no settings (did you mean 'policy set'?)");
    }

    const directory = await openCliDirectory(values, action === 'set');
    try {
      if (action === 'set') {
        try {
          new DirectoryActions(directory, CLI_ACTOR).changeSettings({ policy, tenant });
        } catch (error) {
          // A setting out of range here is a flag with a bad value: a command-line error.
          throw error instanceof SettingError ? new UsageError(settingMessage(error)) : error;
        }
      }
      for (const line of policyLines(directory.getPolicy(), directory.getTenant())) io.out(line);
      return 0;
    } finally {
      directory.close();
    }
  },
};

import { CLI_ACTOR, DirectoryActions } from '../../directory/directory-actions.ts';
import { SettingError } from '../../directory/errors.ts';
import { automaticLimits, effectiveLimits } from '../../directory/lockout-rules.ts';
import { describeScope, type EffectivePolicy, type NamedScope } from '../../directory/policy-scope.ts';
import { SETTING_LIMITS, type LogonAttemptLimits, type PinPolicy, type TenantSettings } from '../../directory/settings.ts';
import { UsageError } from '../../errors.ts';
import { numberOption, parseCommandArgs } from '../args.ts';
import type { Command } from '../command.ts';
import { DIRECTORY_OPTIONS, openCliDirectory } from '../directory-options.ts';
import { SETTING_FLAGS, settingMessage } from '../setting-flags.ts';

const usage = `usage: dialin-sim policy show [--site NAME | --user ID] [options]
       dialin-sim policy set [--site NAME | --user ID] SETTING... [options]
       dialin-sim policy remove --site NAME | --user ID [options]

Show or change the PIN policy and the tenant's dial-in settings. Changes
apply to PINs set from now on; existing PINs keep working.

A site (a user's 'site' in the deployment file) or a user may have a PIN
policy of its own, as in Skype for Business Server: a whole policy, which
applies instead of the global one. A user's policy is the user's own, else
the site's, else the global one. 'set --site/--user' on a scope without a
policy starts from the one that applied to it until then; 'show --site/--user'
shows the policy that applies and whose it is, with the global value beside
each one that differs; 'remove' goes back to the next scope's policy.
Tenant settings have no site or user scope.

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

Scope:
  --site NAME     the policy of the users of site NAME
  --user ID       the policy of user ID

Options:
  --db FILE|URL   the directory database: an SQLite file (default dialin.db)
                  or postgres://USER@HOST[:PORT]/DATABASE; it must exist
                  unless --config is given
  --config FILE   load users and conferences from this deployment file first,
                  creating the database if there is none
  --read-only     open the database read-only (show works, set and remove fail)`;

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

const row = (name: string, value: string) => `  ${name.padEnd(29)} ${value}`;

/** The policy's settings, one row each; `global` given: each setting that differs is followed by the global value. */
function settingRows(policy: PinPolicy, global?: PinPolicy): string[] {
  const rows: [keyof PinPolicy, (of: PinPolicy) => string][] = [
    ['minLength', (of) => String(of.minLength)],
    ['historyCount', (of) => String(of.historyCount)],
    ['lifetimeDays', (of) => (of.lifetimeDays === 0 ? '0 (PINs never expire)' : String(of.lifetimeDays))],
    ['allowCommonPatterns', (of) => String(of.allowCommonPatterns)],
    ['maxLogonAttempts', describeLimits],
    ['logonFailuresBeforePinReset', (of) => String(of.logonFailuresBeforePinReset ?? 'off')],
  ];
  return rows.map(([name, show]) => {
    const differs = global !== undefined && JSON.stringify(policy[name]) !== JSON.stringify(global[name]);
    return row(name, differs ? `${show(policy)}  (global: ${show(global)})` : show(policy));
  });
}

export function policyLines(
  policy: PinPolicy,
  tenant: TenantSettings,
  scoped: readonly { scope: NamedScope }[] = [],
): string[] {
  return [
    'PIN policy',
    ...settingRows(policy),
    'Tenant',
    row('pinLength', String(tenant.pinLength)),
    row('allowAnonymousStart', String(tenant.allowAnonymousStart)),
    row('sendEmailToUser', String(tenant.sendEmailToUser)),
    row('emailOverride', tenant.emailOverride ?? 'off'),
    ...(scoped.length === 0 ? [] : ['Site and user policies', ...scoped.map(({ scope }) => `  ${describeScope(scope)}`)]),
  ];
}

/** The policy that applies to a site or user, whose it is, and how it differs from the global one. */
export function scopedPolicyLines(scope: NamedScope, effective: EffectivePolicy, global: PinPolicy): string[] {
  const from = effective.scope.kind === 'global' ? 'the global policy' : `the policy of ${describeScope(effective.scope)}`;
  return [`PIN policy for ${describeScope(scope)}: ${from}`, ...settingRows(effective.policy, global)];
}

function scopeOption(values: { site?: string | undefined; user?: string | undefined }): NamedScope | undefined {
  if (values.site !== undefined && values.user !== undefined) throw new UsageError('--site and --user do not go together (a policy has one scope)');
  if (values.site !== undefined) return { kind: 'site', site: values.site };
  if (values.user !== undefined) return { kind: 'user', userId: values.user };
  return undefined;
}

export const command: Command = {
  summary: 'show or change the PIN policy and tenant settings',
  usage,
  async run(args, io) {
    const { values, positionals } = parseCommandArgs(args, {
      ...DIRECTORY_OPTIONS,
      site: { type: 'string', expects: 'a site name' },
      user: { type: 'string', expects: 'a user id' },
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
    if (action !== 'show' && action !== 'set' && action !== 'remove') {
      throw new UsageError(
        action === undefined
          ? 'missing action (show, set or remove)'
          : `unknown action '${action}' (expected show, set or remove)`,
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
    const given = (settings: object) => Object.values(settings).filter((value) => value !== undefined).length;
    const changes = given(policy) + given(tenant);
    if (action === 'set' && changes === 0) throw new UsageError('nothing to set (see dialin-sim policy --help)');
    if (action !== 'set' && changes > 0) {
      throw new UsageError(`${action} takes no settings (did you mean 'policy set'?)`);
    }
    const scope = scopeOption(values);
    if (action === 'remove' && scope === undefined) throw new UsageError('remove needs --site NAME or --user ID (the global policy stays)');
    if (scope !== undefined && given(tenant) > 0) {
      throw new UsageError(`tenant settings apply to everyone: they cannot be set for ${describeScope(scope)}`);
    }

    const directory = await openCliDirectory(values, action !== 'show');
    try {
      const actions = new DirectoryActions(directory, CLI_ACTOR);
      // An unknown --user is an error, not an empty policy.
      if (scope?.kind === 'user') await directory.getStatus(scope.userId);
      if (action === 'remove') {
        await actions.removeScopedPolicy(scope!);
        io.out(`Removed the PIN policy of ${describeScope(scope!)}.`);
      }
      if (action === 'set') {
        try {
          if (scope === undefined) await actions.changeSettings({ policy, tenant });
          else await actions.changeScopedPolicy(scope, policy);
        } catch (error) {
          // A setting out of range here is a flag with a bad value: a command-line error.
          throw error instanceof SettingError ? new UsageError(settingMessage(error)) : error;
        }
      }
      const lines =
        scope === undefined
          ? policyLines(await directory.getPolicy(), await directory.getTenant(), await directory.listScopedPolicies())
          : scopedPolicyLines(
              scope,
              scope.kind === 'site' ? await directory.sitePolicy(scope.site) : await directory.effectivePolicy(scope.userId),
              await directory.getPolicy(),
            );
      for (const line of lines) io.out(line);
      return 0;
    } finally {
      await directory.close();
    }
  },
};

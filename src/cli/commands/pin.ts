import { auditText, type AuditEntry } from '../../directory/audit-log.ts';
import { CLI_ACTOR, DirectoryActions } from '../../directory/directory-actions.ts';
import type { IssuedPin } from '../../directory/pin-issuer.ts';
import { describeScope } from '../../directory/policy-scope.ts';
import type { PinStatus } from '../../directory/pin-status.ts';
import { UsageError } from '../../errors.ts';
import { parseCommandArgs } from '../args.ts';
import type { CliIo, Command } from '../command.ts';
import { DIRECTORY_OPTIONS, MAIL_OPTIONS, openCliDirectory, SMTP_USAGE } from '../directory-options.ts';

const usage = `usage: dialin-sim pin <action> USER [options]

Manage a user's dial-in PIN. A new PIN is printed once; everywhere else it
shows as *****. PINs are stored only as salted scrypt hashes.

Actions:
  set USER [--pin N]     set the PIN: N if given (it must meet the PIN policy),
                         otherwise a generated one of --pin-length digits (see
                         dialin-sim policy); mailed if the tenant sends PIN mail
  reset USER [--not-expired]
                         replace the PIN with a generated one and mail it; the
                         user must choose a new PIN at the next dial-in (as with
                         Exchange's -PinExpired, on by default; --expired says so),
                         unless --not-expired
  unlock USER            end a lock and clear the failure counts
  lock USER              lock the PIN until 'pin unlock'
  remove USER            delete the PIN
  status USER            set or not, lock state, failures, expiry
  audit [USER]           the event log (set, reset, changed, failure, locked, ...;
                         without USER also conference IDs and admin accounts)
                         with who acted: 'by cli', 'by admin NAME' (the admin
                         center), 'by the user' (the self-service page)

A locked PIN must be unlocked before it can be set or reset. When the PIN
mail cannot be delivered the new PIN stays set (and is printed as usual);
the failure is one line on standard error, the exit status is 1, and
'pin audit' records it.

Options:
  --db FILE|URL   the directory database: an SQLite file (default dialin.db)
                  or postgres://USER@HOST[:PORT]/DATABASE; it must exist
                  unless --config is given
  --config FILE   load users and conferences from this deployment file first,
                  creating the database if there is none
  --read-only     open the database read-only: status and audit work (with
                  --config too, on the database as it is), changes fail
${SMTP_USAGE}`;

const ACTIONS = ['set', 'reset', 'unlock', 'lock', 'remove', 'status', 'audit'] as const;
type Action = (typeof ACTIONS)[number];

export const command: Command = {
  summary: 'set, reset, unlock, lock, remove or show a PIN',
  usage,
  async run(args, io) {
    const { values, positionals } = parseCommandArgs(args, {
      ...DIRECTORY_OPTIONS,
      ...MAIL_OPTIONS,
      pin: { type: 'string', expects: 'the digits of the PIN' },
      expired: { type: 'boolean' },
      'not-expired': { type: 'boolean' },
    });
    const [action, user, ...extra] = positionals;
    if (action === undefined) throw new UsageError(`missing action (${ACTIONS.join(', ')})`);
    if (!(ACTIONS as readonly string[]).includes(action)) {
      throw new UsageError(`unknown action '${action}' (expected ${ACTIONS.join(', ')})`);
    }
    if (user === undefined && action !== 'audit') throw new UsageError(`${action} needs a USER`);
    if (extra.length > 0) throw new UsageError(`${action}: unexpected argument '${extra[0]}'`);
    if (values.pin !== undefined && action !== 'set') throw new UsageError(`--pin only goes with 'pin set'`);
    for (const flag of ['expired', 'not-expired'] as const) {
      if (values[flag] && action !== 'reset') throw new UsageError(`--${flag} only goes with 'pin reset'`);
    }
    if (values.expired && values['not-expired']) throw new UsageError('--expired and --not-expired contradict each other');
    if (values.smtp !== undefined && action !== 'set' && action !== 'reset') {
      throw new UsageError(`--smtp only goes with 'pin set' and 'pin reset' (the actions that send mail)`);
    }

    const directory = await openCliDirectory(values, action !== 'status' && action !== 'audit');
    try {
      return await perform(new DirectoryActions(directory, CLI_ACTOR), action as Action, user, values, io);
    } finally {
      await directory.close();
    }
  },
};

async function perform(
  actions: DirectoryActions,
  action: Action,
  user: string | undefined,
  values: { pin?: string | undefined; 'not-expired'?: boolean | undefined },
  io: CliIo,
): Promise<number> {
  switch (action) {
    case 'set': {
      const issued = await actions.setPin(user!, { pin: values.pin });
      io.out(values.pin === undefined ? announce(issued) : `PIN for ${issued.userId} set (*****; ${mailNote(issued)})`);
      return reportMailError(issued, io);
    }
    case 'reset': {
      const issued = await actions.resetPin(user!, { requireChange: !values['not-expired'] });
      io.out(announce(issued));
      return reportMailError(issued, io);
    }
    case 'unlock': {
      const { wasLocked } = await actions.unlockPin(user!);
      io.out(`PIN of ${user!} ${wasLocked ? 'unlocked' : 'was not locked'}; failure counts cleared`);
      return 0;
    }
    case 'lock':
      await actions.lockPin(user!);
      io.out(`PIN of ${user!} locked until 'dialin-sim pin unlock ${user!}'`);
      return 0;
    case 'remove':
      await actions.removePin(user!);
      io.out(`PIN of ${user!} removed`);
      return 0;
    case 'status':
      for (const line of statusLines(await actions.getStatus(user!))) io.out(line);
      return 0;
    case 'audit': {
      if (user !== undefined) await actions.getStatus(user);
      const entries = await actions.listAudit({ userId: user });
      if (entries.length === 0) io.out('No PIN events.');
      for (const entry of entries) io.out(auditLine(entry));
      return 0;
    }
  }
}

function mailNote(issued: IssuedPin): string {
  if (issued.mailedTo === null) return 'not mailed: the tenant does not send PIN mail';
  if (issued.mailError !== null) return `the mail to ${issued.mailedTo} failed; give the user the PIN another way`;
  return `it has been mailed to ${issued.mailedTo}`;
}

/** The PIN is set either way; a failed mail is an error line and exit status 1, so scripts notice. */
function reportMailError(issued: IssuedPin, io: CliIo): number {
  if (issued.mailError === null) return 0;
  io.err(`dialin-sim pin: ${issued.mailError}; the PIN of ${issued.userId} is set`);
  return 1;
}

function announce(issued: IssuedPin): string {
  const change = issued.mustChange ? '; it must be changed at the next dial-in' : '';
  return `New PIN for ${issued.userId}: ${issued.pin} (shown once; ${mailNote(issued)}${change})`;
}

export function iso(ms: number): string {
  return new Date(ms).toISOString();
}

export function statusLines(status: PinStatus): string[] {
  const pin = !status.pinSet
    ? 'not set'
    : [
        `***** set ${iso(status.lastSetAt!)}`,
        status.expiresAt === null
          ? 'never expires'
          : `lifetime ends ${iso(status.expiresAt)}${status.pinExpired && !status.mustChange ? ' (expired)' : ''}`,
        ...(status.mustChange ? ['must be changed at the next dial-in'] : []),
      ].join('; ');
  const lock = !status.lockedOut
    ? 'not locked'
    : status.lockKind === 'local'
      ? `locked until ${iso(status.lockedUntil!)} (too many failures in 30 minutes)`
      : status.lockKind === 'global'
        ? 'locked until unlocked (too many failures since the last logon)'
        : 'locked by an administrator until unlocked';
  return [
    `${status.userId} (${status.name})`,
    `  PIN:       ${pin}`,
    `  Lock:      ${lock}`,
    `  Failures:  ${status.failures} in the last 30 minutes (limit ${status.limits.local}), ` +
      `${status.globalFailures} since the last logon (limit ${status.limits.global})`,
    `  Policy:    ${describeScope(status.policyScope)}`,
  ];
}

function auditLine(entry: AuditEntry): string {
  return `${iso(entry.at)}  ${entry.userId.padEnd(12)} ${entry.event.padEnd(8)} ${auditText(entry)}`;
}

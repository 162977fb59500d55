import type { AdminAccount } from '../../directory/access/admin-accounts.ts';
import { ADMIN_LOCKOUT, ADMIN_ROLES, PASSWORD_LENGTH, isAdminRole } from '../../directory/access/admin-accounts.ts';
import { CLI_ACTOR, DirectoryActions } from '../../directory/directory-actions.ts';
import { DirectoryError } from '../../directory/errors.ts';
import { UsageError } from '../../errors.ts';
import { parseCommandArgs } from '../args.ts';
import type { CliInput, Command } from '../command.ts';
import { DIRECTORY_OPTIONS, openCliDirectory } from '../directory-options.ts';

const usage = `usage: dialin-sim admin <action> [NAME] [options]

Manage the accounts that sign in to the admin center (/admin). Passwords
are stored only as salted scrypt hashes; a generated one is printed once.

Actions:
  add NAME --role ROLE   add an account; ROLE is user-admin (PIN and conference
                         ID actions on users) or admin (also the PIN policy,
                         tenant settings and admin accounts). The password is
                         read from standard input when it is not a terminal (or
                         with --password-stdin): its first line, ${PASSWORD_LENGTH.min} to ${PASSWORD_LENGTH.max}
                         characters. From a terminal one is generated and shown once.
  remove NAME            delete the account and end its web sessions
  list                   the accounts, their roles and locks (never a password)
  unlock NAME            end a lock after failed sign-ins (${ADMIN_LOCKOUT.maxFailures} within 15 minutes
                         lock an account for 15 minutes)

Options:
  --role ROLE         user-admin or admin (add only)
  --password-stdin    read the password from standard input even from a terminal
  --db FILE           the directory database (default dialin.db); it must exist
                      unless --config is given
  --config FILE       load users and conferences from this deployment file first,
                      creating the database if there is none
  --read-only         open the database read-only (list works, changes fail)`;

const ACTIONS = ['add', 'remove', 'list', 'unlock'] as const;
type Action = (typeof ACTIONS)[number];

/** The first line of standard input: the password, without its line ending. */
async function passwordFromInput(input: CliInput | undefined): Promise<string> {
  if (input === undefined) throw new UsageError('--password-stdin: there is no standard input to read');
  const [line = ''] = (await input.readAll()).split(/\r?\n/);
  if (line === '') throw new UsageError('no password on standard input (its first line is empty)');
  return line;
}

function lockText(account: AdminAccount): string {
  if (account.lockedUntil !== null) return `locked until ${new Date(account.lockedUntil).toISOString()}`;
  return account.recentFailures > 0 ? `not locked (${account.recentFailures} failed sign-ins in 15 minutes)` : 'not locked';
}

export const command: Command = {
  summary: 'add, remove, list or unlock admin center accounts',
  usage,
  async run(args, io) {
    const { values, positionals } = parseCommandArgs(args, {
      ...DIRECTORY_OPTIONS,
      role: { type: 'string', expects: ADMIN_ROLES.join(' or ') },
      'password-stdin': { type: 'boolean' },
    });
    const [action, name, ...extra] = positionals;
    if (action === undefined) throw new UsageError(`missing action (${ACTIONS.join(', ')})`);
    if (!(ACTIONS as readonly string[]).includes(action)) {
      throw new UsageError(`unknown action '${action}' (expected ${ACTIONS.join(', ')})`);
    }
    if (action === 'list' && name !== undefined) throw new UsageError(`list: unexpected argument '${name}'`);
    if (action !== 'list' && name === undefined) throw new UsageError(`${action} needs a NAME`);
    if (extra.length > 0) throw new UsageError(`${action}: unexpected argument '${extra[0]}'`);
    if (action !== 'add' && values.role !== undefined) throw new UsageError("--role only goes with 'admin add'");
    if (action !== 'add' && values['password-stdin']) throw new UsageError("--password-stdin only goes with 'admin add'");
    if (action === 'add' && values.role === undefined) throw new UsageError(`add needs --role (${ADMIN_ROLES.join(' or ')})`);
    if (values.role !== undefined && !isAdminRole(values.role)) {
      throw new UsageError(`--role must be ${ADMIN_ROLES.join(' or ')}, got '${values.role}'`);
    }
    const readPassword = action === 'add' && (values['password-stdin'] === true || (io.input !== undefined && !io.input.isTTY));
    // Read before the database opens, so a bad password changes nothing.
    const password = readPassword ? await passwordFromInput(io.input) : undefined;

    const directory = await openCliDirectory(values, action !== 'list');
    try {
      const actions = new DirectoryActions(directory, CLI_ACTOR);
      switch (action as Action) {
        case 'add': {
          const role = values.role as (typeof ADMIN_ROLES)[number];
          const { generatedPassword } = await actions.addAdmin(name!, role, { password });
          io.out(
            generatedPassword === undefined
              ? `Admin ${name!} added (role ${role})`
              : `Admin ${name!} added (role ${role}); password: ${generatedPassword} (shown once)`,
          );
          break;
        }
        case 'remove':
          await actions.removeAdmin(name!);
          io.out(`Admin ${name!} removed; their web sessions have ended`);
          break;
        case 'list': {
          const accounts = await actions.listAdmins();
          if (accounts.length === 0) io.out('No admin accounts.');
          for (const account of accounts) {
            const added = new Date(account.createdAt).toISOString();
            io.out(`${account.name.padEnd(16)} ${account.role.padEnd(10)} added ${added}  ${lockText(account)}`);
          }
          break;
        }
        case 'unlock': {
          const { wasLocked } = await actions.unlockAdmin(name!);
          io.out(`Admin ${name!} ${wasLocked ? 'unlocked' : 'was not locked'}; failed sign-ins cleared`);
          break;
        }
      }
      return 0;
    } catch (error) {
      if (error instanceof DirectoryError && error.code === 'E_UNKNOWN_ADMIN') {
        throw new DirectoryError(error.code, `${error.message} (see dialin-sim admin list)`);
      }
      throw error;
    } finally {
      await directory.close();
    }
  },
};

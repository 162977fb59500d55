import { CLI_ACTOR, DirectoryActions } from '../../directory/directory-actions.ts';
import { UsageError } from '../../errors.ts';
import { parseCommandArgs } from '../args.ts';
import type { Command } from '../command.ts';
import { DIRECTORY_OPTIONS, MAIL_OPTIONS, openCliDirectory, SMTP_USAGE } from '../directory-options.ts';

const usage = `usage: dialin-sim conference list [options]
       dialin-sim conference reset-id ID [options]

The directory's conferences (meetings) and their dial-in IDs.

Actions:
  list          each conference ID, its organizer, and whether it may start
                without its organizer
  reset-id ID   give the meeting a new random conference ID (as many digits
                as ID, at least 6) and mail it to the organizer; ID stops
                working at once, and a deployment file that still lists it
                updates the meeting under its new ID

Options:
  --db FILE       the directory database (default dialin.db); it must exist
                  unless --config is given
  --config FILE   load users and conferences from this deployment file first,
                  creating the database if there is none
  --read-only     open the database read-only (list works, reset-id fails)
${SMTP_USAGE}

When the mail cannot be delivered the new ID stays (and is printed); the
failure is one line on standard error and the exit status is 1.`;

export const command: Command = {
  summary: 'list conferences or give one a new conference ID',
  usage,
  async run(args, io) {
    const { values, positionals } = parseCommandArgs(args, { ...DIRECTORY_OPTIONS, ...MAIL_OPTIONS });
    const [action, id, ...extra] = positionals;
    if (action !== 'list' && action !== 'reset-id') {
      throw new UsageError(
        action === undefined ? 'missing action (list or reset-id)' : `unknown action '${action}' (expected list or reset-id)`,
      );
    }
    if (action === 'list' && id !== undefined) throw new UsageError(`list: unexpected argument '${id}'`);
    if (action === 'reset-id' && id === undefined) throw new UsageError('reset-id needs a conference ID');
    if (extra.length > 0) throw new UsageError(`${action}: unexpected argument '${extra[0]}'`);
    if (values.smtp !== undefined && action !== 'reset-id') throw new UsageError(`--smtp only goes with 'conference reset-id' (it sends mail)`);

    const directory = await openCliDirectory(values, action === 'reset-id');
    try {
      if (action === 'reset-id') {
        const reset = await new DirectoryActions(directory, CLI_ACTOR).resetConferenceId(id!);
        const mail =
          reset.mailedTo === null
            ? 'not mailed: the tenant does not send mail'
            : reset.mailError === null
              ? `mailed to ${reset.mailedTo}`
              : `the mail to ${reset.mailedTo} failed`;
        io.out(`Conference ${reset.oldId} is now ${reset.newId} (organizer ${reset.organizerId}; ${reset.oldId} no longer works; ${mail})`);
        if (reset.mailError === null) return 0;
        io.err(`dialin-sim conference: ${reset.mailError}; conference ${reset.oldId} is now ${reset.newId}`);
        return 1;
      }
      const tenant = await directory.getTenant();
      const conferences = await directory.listConferences();
      if (conferences.length === 0) io.out('No conferences.');
      for (const conference of conferences) {
        const anonymous = conference.allowAnonymousStart ?? tenant.allowAnonymousStart;
        const source = conference.allowAnonymousStart === null ? ' (tenant setting)' : '';
        const start = anonymous ? 'may start without the organizer' : 'waits for the organizer';
        io.out(`${conference.id.padEnd(12)} ${conference.organizerId.padEnd(12)} ${start}${source}`);
      }
      return 0;
    } finally {
      await directory.close();
    }
  },
};

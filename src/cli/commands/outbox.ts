import { UsageError } from '../../errors.ts';
import { parseCommandArgs } from '../args.ts';
import type { Command } from '../command.ts';
import { DIRECTORY_OPTIONS, openCliDirectory } from '../directory-options.ts';

const usage = `usage: dialin-sim outbox [--user USER] [--clear] [options]

Show the mail the directory has sent into its mail folder, the folder
beside the database (dialin.db: dialin.mail/), one RFC 5322 .eml file per
message, named by its time: each new or reset PIN is mailed to its user (or
to the address set by 'policy set --email-override'). These files hold the
PINs in clear (the database never does); --clear deletes them. Mail sent
with --smtp goes to that server and is not kept here.

Options:
  --user USER     only this user's messages
  --clear         delete the messages shown instead of printing them
  --db FILE|URL   the directory database: an SQLite file (default dialin.db)
                  or postgres://USER@HOST[:PORT]/DATABASE; it must exist
                  unless --config is given
  --config FILE   load users and conferences from this deployment file first,
                  creating the database if there is none
  --read-only     open the database read-only (listing works, --clear fails)`;

export const command: Command = {
  summary: 'show the mail carrying new PINs',
  usage,
  async run(args, io) {
    const { values, positionals } = parseCommandArgs(args, {
      user: { type: 'string', expects: 'a user id' },
      clear: { type: 'boolean' },
      ...DIRECTORY_OPTIONS,
    });
    if (positionals.length > 0) throw new UsageError(`unexpected argument '${positionals[0]}'`);
    const directory = await openCliDirectory(values, values.clear ?? false);
    try {
      // An unknown --user is an error, not an empty outbox.
      if (values.user !== undefined) await directory.getStatus(values.user);
      if (values.clear) {
        const count = directory.clearOutbox(values.user);
        io.out(`Deleted ${count} message${count === 1 ? '' : 's'}.`);
        return 0;
      }
      const messages = directory.listOutbox(values.user);
      if (messages.length === 0) io.out('The outbox is empty.');
      for (const [index, message] of messages.entries()) {
        const user = message.userId === null ? '' : ` (user ${message.userId})`;
        io.out(`#${index + 1} ${new Date(message.at).toISOString()} to ${message.to}${user}`);
        io.out(`Subject: ${message.subject}`);
        for (const line of message.body.split('\n')) io.out(line === '' ? '' : `  ${line}`);
        io.out('');
      }
      return 0;
    } finally {
      await directory.close();
    }
  },
};

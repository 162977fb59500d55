/**
 * What `pin`, `policy`, `outbox`, `conference` and `admin` share: the options that pick the
 * directory, and opening it so that only a deployment file creates one;
 * and --smtp, for the commands that send mail.
 */
import { openDirectory } from '../directory/open-directory.ts';
import { DirectoryError } from '../directory/errors.ts';
import { MailError } from '../directory/mail/mail-error.ts';
import type { MailTransport } from '../directory/mail/mail-transport.ts';
import { SmtpTransport } from '../directory/mail/smtp-transport.ts';
import type { PinDirectory } from '../directory/pin-directory.ts';
import { UsageError } from '../errors.ts';
import type { CliOption } from './args.ts';

export const DIRECTORY_OPTIONS = {
  db: { type: 'string', expects: 'a database file name or postgres:// URL' },
  config: { type: 'string', expects: 'a deployment file name' },
  'read-only': { type: 'boolean' },
} as const satisfies Record<string, CliOption>;

/** For the commands that send mail: deliver it to this SMTP server instead of the mail folder. */
export const MAIL_OPTIONS = {
  smtp: { type: 'string', expects: 'smtp://HOST:PORT' },
} as const satisfies Record<string, CliOption>;

/** The usage text of --smtp, the same in every command that has it. */
export const SMTP_USAGE = `  --smtp URL      send mail to this SMTP server (smtp://HOST:PORT, smtps:// for TLS,
                  smtp://USER:PASSWORD@HOST:PORT to log in) instead of writing it to
                  the mail folder beside the database (dialin.db: dialin.mail/)`;

export interface DirectoryValues {
  readonly db?: string | undefined;
  readonly config?: string | undefined;
  readonly 'read-only'?: boolean | undefined;
  readonly smtp?: string | undefined;
}

/** The transport --smtp names, or undefined for the mail folder; UsageError for a URL that is not one. */
export function mailTransportOption(smtp: string | undefined): MailTransport | undefined {
  if (smtp === undefined) return undefined;
  try {
    return new SmtpTransport(smtp);
  } catch (error) {
    if (error instanceof MailError) throw new UsageError(`--smtp ${error.message}`);
    throw error;
  }
}

/**
 * Opens the directory a command names. Without --config the database must
 * exist: a mistyped --db is an error, not a new empty directory. `writes`
 * says whether the command changes it (see OpenDirectoryOptions.writes).
 */
export async function openCliDirectory(values: DirectoryValues, writes: boolean): Promise<PinDirectory> {
  const mail = mailTransportOption(values.smtp);
  try {
    const { directory } = await openDirectory({
      mail,
      db: values.db,
      config: values.config,
      readonly: values['read-only'],
      create: values.config !== undefined,
      writes,
    });
    return directory;
  } catch (error) {
    mail?.close();
    if (error instanceof DirectoryError && error.code === 'E_DB_MISSING') {
      throw new DirectoryError(error.code, `${error.message} (create one with --config FILE, or run dialin-sim serve)`);
    }
    throw error;
  }
}

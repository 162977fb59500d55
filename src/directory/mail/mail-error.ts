import { DialinError } from '../../errors.ts';

/**
 * Mail that could not be sent or read. Codes:
 * - E_MAIL_DELIVERY: the transport refused or failed (the message names the server).
 * - E_MAIL_CONFIG: an --smtp URL that is not smtp://HOST:PORT or smtps://HOST:PORT.
 * - E_MAIL_FOLDER: the mail folder cannot be read or cleared.
 * - E_NO_MAILBOX: listing mail from a transport that keeps none (SMTP).
 */
export class MailError extends DialinError {}

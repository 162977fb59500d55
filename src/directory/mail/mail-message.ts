/**
 * One mail the directory sends, whatever carries it (an SMTP server, a
 * folder of .eml files, a scenario's in-memory mailbox), and its RFC 5322
 * form. The raw form is built by nodemailer's MailComposer, so every
 * transport sends the same bytes.
 */
import MailComposer from 'nodemailer/lib/mail-composer';

/** What a mail says: composed in pin-mail.ts and notice-mails.ts, the only places mail text is written. */
export interface MailText {
  readonly subject: string;
  /** Plain text; lines end with \n. */
  readonly body: string;
}

export interface MailMessage {
  /** The recipient's address. */
  readonly to: string;
  readonly subject: string;
  /** Plain text; lines end with \n. */
  readonly body: string;
  /** The user it concerns, when there is one; carried in the X-Dialin-User header. */
  readonly userId?: string | undefined;
  /** When it was sent, ms since the epoch, from the directory's clock (the Date header). */
  readonly atMs: number;
}

/** The sender of every mail. */
export const MAIL_FROM = { name: 'dialin-sim', address: 'dialin-sim@localhost' } as const;

/** Custom header naming the user a mail concerns (RFC 6648: no X- meaning, just a private name). */
export const USER_HEADER = 'X-Dialin-User';

/** The message as nodemailer takes it. */
export function nodemailerFields(message: MailMessage) {
  return {
    from: MAIL_FROM,
    to: message.to,
    subject: message.subject,
    text: message.body,
    date: new Date(message.atMs),
    headers: message.userId === undefined ? {} : { [USER_HEADER]: message.userId },
  };
}

/** The message as RFC 5322 bytes (CRLF line ends). */
export function rawMessage(message: MailMessage): Promise<Buffer> {
  return new MailComposer(nodemailerFields(message)).compile().build();
}

/**
 * What carries the directory's mail. `deliver` either hands the message on
 * or throws MailDeliveryError; the Mailer turns that into an outcome, so a
 * failed delivery never undoes what the mail reports.
 */
import type { MailMessage } from './mail-message.ts';
import type { StoredMail } from './stored-mail.ts';

export interface MailTransport {
  /** Where mail goes, for messages: `smtp://mail.contoso.com:25`, `the mail folder dialin.mail`. */
  readonly name: string;
  deliver(message: MailMessage): Promise<void>;
  close(): void;
}

/** A transport that also keeps what it delivered, so it can be listed and cleared (`dialin-sim outbox`). */
export interface Mailbox extends MailTransport {
  /** Delivered messages, oldest first; one user's when `userId` is given. */
  list(userId?: string): StoredMail[];
  /** Deletes messages (one user's, or all); returns how many. */
  clear(userId?: string): number;
}

export function isMailbox(transport: MailTransport): transport is Mailbox {
  return 'list' in transport && 'clear' in transport;
}

/**
 * Sending a mail and telling the caller how it went, without ever
 * throwing for a failed delivery: whatever the mail reports (a new PIN, a
 * conference ID) is already done when it is sent, and stays done.
 */
import { MailError } from './mail-error.ts';
import type { MailMessage } from './mail-message.ts';
import type { MailTransport } from './mail-transport.ts';

export type MailOutcome =
  | { readonly sent: true; readonly to: string }
  /** `error.message` is one line naming the recipient and the server, never the body. */
  | { readonly sent: false; readonly to: string; readonly error: MailError };

/** Sends one mail and says how it went; never rejects (what PinDirectory hands its parts). */
export type SendMail = (message: MailMessage) => Promise<MailOutcome>;

export class Mailer {
  readonly transport: MailTransport;

  constructor(transport: MailTransport) {
    this.transport = transport;
  }

  async send(message: MailMessage): Promise<MailOutcome> {
    try {
      await this.transport.deliver(message);
      return { sent: true, to: message.to };
    } catch (error) {
      const why = error instanceof MailError ? error.message : `${this.transport.name}: ${(error as Error).message}`;
      const failure = new MailError('E_MAIL_DELIVERY', `mail to ${message.to} was not sent: ${why}`, { cause: error });
      return { sent: false, to: message.to, error: failure };
    }
  }
}

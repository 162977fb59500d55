/**
 * The mailbox of a scenario run and of an in-memory directory: messages
 * stay in memory and vanish with the run. `deliver` stores the message at
 * once, so a mail is in the box in the same instant its PIN is set,
 * whatever the simulated clock does next.
 */
import type { MailMessage } from './mail-message.ts';
import type { Mailbox } from './mail-transport.ts';
import type { StoredMail } from './stored-mail.ts';

export class MemoryMailbox implements Mailbox {
  readonly name = 'the in-memory mailbox';
  private messages: StoredMail[] = [];
  private count = 0;

  deliver(message: MailMessage): Promise<void> {
    const { to, subject, body, atMs } = message;
    this.messages.push({ id: String(++this.count), at: atMs, userId: message.userId ?? null, to, subject, body });
    return Promise.resolve();
  }

  list(userId?: string): StoredMail[] {
    return this.messages.filter((mail) => userId === undefined || mail.userId === userId);
  }

  clear(userId?: string): number {
    const before = this.messages.length;
    this.messages = this.messages.filter((mail) => userId !== undefined && mail.userId !== userId);
    return before - this.messages.length;
  }

  close(): void {}
}

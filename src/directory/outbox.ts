/**
 * Mail that carries a new PIN. The directory does not send mail; it queues
 * the message here and `dialin-sim outbox` shows it. The body is the one
 * place a PIN is stored in clear, as the product mails it to the user;
 * `outbox --clear` deletes the messages (and secure_delete overwrites them).
 */
import type { Db } from './database.ts';

export interface OutboxMessage {
  readonly id: number;
  /** ms since the epoch, from the directory's clock. */
  readonly at: number;
  readonly userId: string;
  readonly to: string;
  readonly subject: string;
  readonly body: string;
}

export type PinMailReason = 'set' | 'reset' | 'auto-reset';

export interface PinMail {
  readonly subject: string;
  readonly body: string;
}

/** The text of a PIN mail. */
export function composePinMail(
  userName: string,
  pin: string,
  reason: PinMailReason,
  mustChange: boolean,
): PinMail {
  const why =
    reason === 'auto-reset'
      ? 'Your dial-in conferencing PIN was reset because of repeated failed attempts to use it.'
      : reason === 'reset'
        ? 'Your dial-in conferencing PIN has been reset by an administrator.'
        : 'A dial-in conferencing PIN has been set for you.';
  const lines = [
    `Hello ${userName},`,
    '',
    why,
    `Your new PIN is: ${pin}`,
    '',
    'Use it to start your meetings when you dial in.',
  ];
  if (mustChange) lines.push('You will be asked to choose a new PIN the next time you dial in.');
  return { subject: 'Your dial-in conferencing PIN', body: lines.join('\n') };
}

export function enqueueMail(db: Db, at: number, userId: string, to: string, mail: PinMail): void {
  db.prepare('INSERT INTO outbox (at, user_id, to_address, subject, body) VALUES (?, ?, ?, ?, ?)').run(
    at,
    userId,
    to,
    mail.subject,
    mail.body,
  );
}

export function listOutbox(db: Db, userId?: string): OutboxMessage[] {
  return db
    .prepare(
      `SELECT id, at, user_id AS userId, to_address AS "to", subject, body FROM outbox
       WHERE (:user IS NULL OR user_id = :user) ORDER BY id`,
    )
    .all({ user: userId ?? null }) as OutboxMessage[];
}

/** Deletes queued messages (one user's, or all); returns how many. */
export function clearOutbox(db: Db, userId?: string): number {
  return db.prepare('DELETE FROM outbox WHERE (:user IS NULL OR user_id = :user)').run({ user: userId ?? null })
    .changes;
}

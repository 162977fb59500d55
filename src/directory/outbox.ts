/**
 * Mail that carries a new PIN. The directory does not send mail; it queues
 * the message here and `dialin-sim outbox` shows it. The body is the one
 * place a PIN is stored in clear, as the product mails it to the user;
 * `outbox --clear` deletes the messages (in SQLite, secure_delete overwrites them).
 */
import type { DirectoryStore } from './directory-store.ts';

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

export async function enqueueMail(store: DirectoryStore, at: number, userId: string, to: string, mail: PinMail): Promise<void> {
  await store.q.insertInto('outbox').values({ at, user_id: userId, to_address: to, subject: mail.subject, body: mail.body }).execute();
}

export async function listOutbox(store: DirectoryStore, userId?: string): Promise<OutboxMessage[]> {
  let query = store.q.selectFrom('outbox').select(['id', 'at', 'user_id as userId', 'to_address as to', 'subject', 'body']).orderBy('id');
  if (userId !== undefined) query = query.where('user_id', '=', userId);
  return query.execute();
}

/** Deletes queued messages (one user's, or all); returns how many. */
export async function clearOutbox(store: DirectoryStore, userId?: string): Promise<number> {
  let query = store.q.deleteFrom('outbox');
  if (userId !== undefined) query = query.where('user_id', '=', userId);
  const result = await query.executeTakeFirst();
  return Number(result.numDeletedRows);
}

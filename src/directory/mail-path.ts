/**
 * The one way the directory's own notices (a new conference ID, a sign-in
 * link) leave it: today they are queued in the outbox with the PIN mails.
 * Callers run it inside the write transaction that makes the change, so a
 * notice exists exactly when the change does.
 */
import type { Db } from './database.ts';
import { enqueueMail } from './outbox.ts';

export interface DirectoryMail {
  readonly subject: string;
  readonly body: string;
}

export function deliverMail(db: Db, at: number, userId: string, to: string, mail: DirectoryMail): void {
  enqueueMail(db, at, userId, to, mail);
}

/** Where the tenant sends a user's notices: its override address, the user's own, or nowhere. */
export function noticeAddress(
  tenant: { readonly sendEmailToUser: boolean; readonly emailOverride: string | null },
  userEmail: string,
): string | null {
  return tenant.sendEmailToUser ? (tenant.emailOverride ?? userEmail) : null;
}

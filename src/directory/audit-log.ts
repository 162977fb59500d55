/**
 * The audit log of PIN events. Entries say what happened to whose PIN and
 * why; they never hold a PIN or a hash.
 */
import type { Db } from './database.ts';

export const AUDIT_EVENTS = ['set', 'reset', 'changed', 'failure', 'locked', 'unlocked', 'removed', 'mail-failed'] as const;
export type AuditEvent = (typeof AUDIT_EVENTS)[number];

export interface AuditEntry {
  readonly id: number;
  /** ms since the epoch, from the directory's clock. */
  readonly at: number;
  readonly userId: string;
  readonly event: AuditEvent;
  /** Why or how: 'generated', 'wrong PIN for conference 123456', 'local lock for 60 min'. */
  readonly detail: string;
}

export function recordAudit(db: Db, at: number, userId: string, event: AuditEvent, detail: string): void {
  db.prepare('INSERT INTO audit_log (at, user_id, event, detail) VALUES (?, ?, ?, ?)').run(at, userId, event, detail);
}

export interface AuditQuery {
  /** Only this user's entries. */
  readonly userId?: string | undefined;
  /** At most this many of the latest entries (default: all). */
  readonly limit?: number | undefined;
}

export function listAudit(db: Db, query: AuditQuery = {}): AuditEntry[] {
  const rows = db
    .prepare(
      `SELECT id, at, user_id AS userId, event, detail FROM (
         SELECT * FROM audit_log WHERE (:user IS NULL OR user_id = :user) ORDER BY id DESC LIMIT :limit
       ) ORDER BY id`,
    )
    .all({ user: query.userId ?? null, limit: query.limit ?? -1 });
  return rows as AuditEntry[];
}

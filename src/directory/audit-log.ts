/**
 * The audit log of PIN events. Entries say what happened to whose PIN and
 * why; they never hold a PIN or a hash.
 */
import type { DirectoryStore } from './directory-store.ts';

export const AUDIT_EVENTS = ['set', 'reset', 'changed', 'failure', 'locked', 'unlocked', 'removed'] as const;
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

export async function recordAudit(store: DirectoryStore, at: number, userId: string, event: AuditEvent, detail: string): Promise<void> {
  await store.q.insertInto('audit_log').values({ at, user_id: userId, event, detail }).execute();
}

export interface AuditQuery {
  /** Only this user's entries. */
  readonly userId?: string | undefined;
  /** At most this many of the latest entries (default: all). */
  readonly limit?: number | undefined;
}

export async function listAudit(store: DirectoryStore, query: AuditQuery = {}): Promise<AuditEntry[]> {
  let latest = store.q
    .selectFrom('audit_log')
    .select(['id', 'at', 'user_id as userId', 'event', 'detail'])
    .orderBy('id', 'desc');
  if (query.userId !== undefined) latest = latest.where('user_id', '=', query.userId);
  if (query.limit !== undefined) latest = latest.limit(query.limit);
  const rows = await latest.execute();
  return rows.reverse() as AuditEntry[];
}

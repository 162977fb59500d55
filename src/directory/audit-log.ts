/**
 * The audit log of PIN, conference ID and admin account events. Entries say
 * what happened to whose PIN, who did it and why; they never hold a PIN, a
 * password, a token or a hash. Entries about an admin account have the
 * subject `admin:NAME`, changes of the PIN policy and tenant settings the
 * subject `tenant:settings` (user ids cannot contain ':', so they never mix).
 */
import type { DirectoryStore } from './directory-store.ts';

export const AUDIT_EVENTS = [
  'set',
  'reset',
  'changed',
  'failure',
  'locked',
  'unlocked',
  'removed',
  'conference-id',
  'account-added',
  'account-removed',
  'account-locked',
  'account-unlocked',
  'settings',
  'mail-failed',
] as const;
export type AuditEvent = (typeof AUDIT_EVENTS)[number];

export interface AuditEntry {
  readonly id: number;
  /** ms since the epoch, from the directory's clock. */
  readonly at: number;
  /** The user the entry is about, or `admin:NAME` for an admin account. */
  readonly userId: string;
  readonly event: AuditEvent;
  /** Why or how: 'generated', 'wrong PIN for conference 123456', 'local lock for 60 min'. */
  readonly detail: string;
  /**
   * Who did it, as the log line says it after 'by': 'admin alice', 'cli',
   * 'the user'. Null for what the directory did by itself (a failed PIN, a
   * lock after failures) and for entries written before actors were kept.
   */
  readonly actor: string | null;
}

/** The subject of audit entries about the PIN policy and tenant settings. */
export const SETTINGS_SUBJECT = 'tenant:settings';

/** The subject of audit entries about an admin account. */
export function adminSubject(name: string): string {
  return `admin:${name}`;
}

export async function recordAudit(
  store: DirectoryStore,
  at: number,
  userId: string,
  event: AuditEvent,
  detail: string,
  actor: string | null = null,
): Promise<void> {
  await store.q.insertInto('audit_log').values({ at, user_id: userId, event, detail, actor }).execute();
}

/** An entry in words: `by cli, generated; mailed to amos@contoso.com`. */
export function auditText(entry: Pick<AuditEntry, 'detail' | 'actor'>): string {
  if (entry.actor === null) return entry.detail;
  return entry.detail === '' ? `by ${entry.actor}` : `by ${entry.actor}, ${entry.detail}`;
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
    .select(['id', 'at', 'user_id as userId', 'event', 'detail', 'actor'])
    .orderBy('id', 'desc');
  if (query.userId !== undefined) latest = latest.where('user_id', '=', query.userId);
  if (query.limit !== undefined) latest = latest.limit(query.limit);
  const rows = await latest.execute();
  return rows.reverse() as AuditEntry[];
}

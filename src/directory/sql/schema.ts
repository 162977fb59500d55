/**
 * The directory's tables as Kysely sees them, one shape for both dialects.
 * Times are ms since the epoch (INTEGER in SQLite, bigint in PostgreSQL,
 * read back as numbers). Flags are INTEGER 0/1 in SQLite, which has no
 * boolean type, and boolean in PostgreSQL; `readFlag` reads either.
 */
import type { ColumnType, Generated } from 'kysely';
import type { LockKind } from '../lockout-rules.ts';

export type Flag = ColumnType<number | boolean, number | boolean, number | boolean>;

export function readFlag(value: number | boolean): boolean {
  return value === true || value === 1;
}

export interface UsersTable {
  id: string;
  name: string;
  email: string;
  phone: string | null;
  extension: string | null;
  /** The site the user belongs to, whose PIN policy applies when the user has none of their own. */
  site: string | null;
}

export interface ConferencesTable {
  id: string;
  organizer_id: string;
  /** NULL: the tenant's allowAnonymousStart applies. */
  allow_anonymous_start: Flag | null;
}

export interface TenantTable {
  id: number;
  pin_length: number;
  allow_anonymous_start: Flag;
  send_email_to_user: Flag;
  email_override: string | null;
}

export interface PinPolicyTable {
  id: number;
  min_length: number;
  history_count: number;
  lifetime_days: number;
  allow_common_patterns: Flag;
  /** Both NULL: the limits follow the minimum PIN length. */
  max_logon_local: number | null;
  max_logon_global: number | null;
  /** NULL: off. */
  logon_failures_before_pin_reset: number | null;
}

export interface PinsTable {
  user_id: string;
  hash: string;
  set_at: number;
  must_change: Flag;
}

export interface PinHistoryTable {
  id: Generated<number>;
  user_id: string;
  hash: string;
  set_at: number;
}

export interface LockoutsTable {
  user_id: string;
  global_failures: Generated<number>;
  lock_kind: LockKind | null;
  locked_until: number | null;
  locked_at: number | null;
}

export interface PinFailuresTable {
  id: Generated<number>;
  user_id: string;
  at: number;
}

export interface AuditLogTable {
  id: Generated<number>;
  at: number;
  user_id: string;
  event: string;
  detail: string;
  /** Who did it; NULL for what the directory did by itself and for entries from before actors were kept. */
  actor: string | null;
}

export interface ScopedPinPoliciesTable {
  scope: 'site' | 'user';
  /** The site's name, or the user's id. */
  name: string;
  min_length: number;
  history_count: number;
  lifetime_days: number;
  allow_common_patterns: Flag;
  max_logon_local: number | null;
  max_logon_global: number | null;
  logon_failures_before_pin_reset: number | null;
}

export interface AdminAccountsTable {
  name: string;
  role: 'user-admin' | 'admin';
  password_hash: string;
  created_at: number;
  /** End of a lock after too many failed sign-ins; NULL: not locked. */
  locked_until: number | null;
}

export interface AdminSignInFailuresTable {
  id: Generated<number>;
  name: string;
  at: number;
}

export interface WebSessionsTable {
  token_hash: string;
  subject_kind: 'admin' | 'user';
  subject: string;
  csrf_token: string;
  created_at: number;
  last_seen_at: number;
}

export interface SignInLinksTable {
  token_hash: string;
  user_id: string;
  created_at: number;
  expires_at: number;
  used_at: number | null;
}

export interface RetiredConferenceIdsTable {
  id: string;
  replaced_by: string;
  retired_at: number;
}

export interface DirectorySchema {
  users: UsersTable;
  conferences: ConferencesTable;
  tenant: TenantTable;
  pin_policy: PinPolicyTable;
  pins: PinsTable;
  pin_history: PinHistoryTable;
  lockouts: LockoutsTable;
  pin_failures: PinFailuresTable;
  audit_log: AuditLogTable;
  scoped_pin_policies: ScopedPinPoliciesTable;
  admin_accounts: AdminAccountsTable;
  admin_sign_in_failures: AdminSignInFailuresTable;
  web_sessions: WebSessionsTable;
  sign_in_links: SignInLinksTable;
  retired_conference_ids: RetiredConferenceIdsTable;
}

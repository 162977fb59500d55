/**
 * The PIN policy rows: the global one (pin_policy) and those of sites and
 * users (scoped_pin_policies), which have the same columns. Runs inside the
 * DirectoryStore's read/write wrappers.
 */
import type { Statement } from 'better-sqlite3';
import type { DirectoryStore } from './directory-store.ts';
import { DirectoryError } from './errors.ts';
import { GLOBAL_SCOPE, scopeName, SITE_PATTERN, type EffectivePolicy, type NamedScope } from './policy-scope.ts';
import { mergePolicy, orThrow, type PinPolicy } from './settings.ts';

/** Prepares (or reuses) a statement: DirectoryStore.sql. */
export type Sql = (text: string) => Statement;

interface PolicyRow {
  min_length: number;
  history_count: number;
  lifetime_days: number;
  allow_common_patterns: number;
  max_logon_local: number | null;
  max_logon_global: number | null;
  logon_failures_before_pin_reset: number | null;
}

const COLUMNS =
  'min_length, history_count, lifetime_days, allow_common_patterns, max_logon_local, max_logon_global, logon_failures_before_pin_reset';

function fromRow(row: PolicyRow): PinPolicy {
  return {
    minLength: row.min_length,
    historyCount: row.history_count,
    lifetimeDays: row.lifetime_days,
    allowCommonPatterns: row.allow_common_patterns === 1,
    // A local limit without a global one: the global limit is the automatic one.
    maxLogonAttempts:
      row.max_logon_local === null ? 'auto' : { local: row.max_logon_local, global: row.max_logon_global ?? 'auto' },
    logonFailuresBeforePinReset: row.logon_failures_before_pin_reset,
  };
}

function toRow(policy: PinPolicy): PolicyRow {
  const limits = policy.maxLogonAttempts === 'auto' ? null : policy.maxLogonAttempts;
  return {
    min_length: policy.minLength,
    history_count: policy.historyCount,
    lifetime_days: policy.lifetimeDays,
    allow_common_patterns: Number(policy.allowCommonPatterns),
    max_logon_local: limits?.local ?? null,
    max_logon_global: limits === null || limits.global === 'auto' ? null : limits.global,
    logon_failures_before_pin_reset: policy.logonFailuresBeforePinReset,
  };
}

export function readGlobalPolicy(sql: Sql): PinPolicy {
  return fromRow(sql(`SELECT ${COLUMNS} FROM pin_policy WHERE id = 1`).get() as PolicyRow);
}

export function writeGlobalPolicy(sql: Sql, policy: PinPolicy): void {
  sql(
    `UPDATE pin_policy SET min_length = :min_length, history_count = :history_count, lifetime_days = :lifetime_days,
       allow_common_patterns = :allow_common_patterns, max_logon_local = :max_logon_local,
       max_logon_global = :max_logon_global, logon_failures_before_pin_reset = :logon_failures_before_pin_reset
     WHERE id = 1`,
  ).run(toRow(policy));
}

export function readScopedPolicy(sql: Sql, scope: NamedScope): PinPolicy | undefined {
  const row = sql(`SELECT ${COLUMNS} FROM scoped_pin_policies WHERE scope = ? AND name = ?`).get(scope.kind, scopeName(scope)) as PolicyRow | undefined;
  return row && fromRow(row);
}

export function writeScopedPolicy(sql: Sql, scope: NamedScope, policy: PinPolicy): void {
  const values = COLUMNS.split(', ').map((column) => `:${column}`).join(', ');
  const updates = COLUMNS.split(', ').map((column) => `${column} = excluded.${column}`).join(', ');
  sql(
    `INSERT INTO scoped_pin_policies (scope, name, ${COLUMNS}) VALUES (:scope, :name, ${values})
     ON CONFLICT (scope, name) DO UPDATE SET ${updates}`,
  ).run({ scope: scope.kind, name: scopeName(scope), ...toRow(policy) });
}

export function deleteScopedPolicy(sql: Sql, scope: NamedScope): boolean {
  return sql('DELETE FROM scoped_pin_policies WHERE scope = ? AND name = ?').run(scope.kind, scopeName(scope)).changes > 0;
}

/** Every site and user policy: sites first, each kind by name. */
export function listScopedPolicies(sql: Sql): { scope: NamedScope; policy: PinPolicy }[] {
  const rows = sql(`SELECT scope, name, ${COLUMNS} FROM scoped_pin_policies ORDER BY scope, name`).all() as (PolicyRow & {
    scope: 'site' | 'user';
    name: string;
  })[];
  return rows.map((row) => ({
    scope: row.scope === 'site' ? { kind: 'site', site: row.name } : { kind: 'user', userId: row.name },
    policy: fromRow(row),
  }));
}

/** The policy that applies to a site's users: the site's own, else the global one. */
export function sitePolicy(sql: Sql, site: string | null): EffectivePolicy {
  const own = site === null ? undefined : readScopedPolicy(sql, { kind: 'site', site });
  return own ? { policy: own, scope: { kind: 'site', site: site! } } : { policy: readGlobalPolicy(sql), scope: GLOBAL_SCOPE };
}

/** The policy that applies to a user: the user's own, else the site's, else the global one. */
export function userPolicy(sql: Sql, userId: string, site: string | null): EffectivePolicy {
  const own = readScopedPolicy(sql, { kind: 'user', userId });
  return own ? { policy: own, scope: { kind: 'user', userId } } : sitePolicy(sql, site);
}

/**
 * Changes some fields of a site's or user's policy (inside a write); a
 * scope without one starts from the policy that applied to it until now.
 * Returns that starting policy, whether the scope had one, and the new one.
 * SettingError for a bad field; E_UNKNOWN_USER, or E_INVALID_RECORD for a
 * malformed site name.
 */
export function patchScopedPolicy(
  store: DirectoryStore,
  scope: NamedScope,
  patch: Record<string, unknown>,
): { before: PinPolicy; created: boolean; policy: PinPolicy } {
  const own = readScopedPolicy(store.sql, scope);
  let current = own;
  if (scope.kind === 'user') {
    const user = store.requireUser(scope.userId);
    current ??= userPolicy(store.sql, scope.userId, user.site ?? null).policy;
  } else {
    if (!SITE_PATTERN.test(scope.site)) {
      throw new DirectoryError('E_INVALID_RECORD', `site '${scope.site}': must be letters, digits, '.', '_' or '-' (at most 64)`);
    }
    current ??= readGlobalPolicy(store.sql);
  }
  const next = orThrow(mergePolicy(current, patch));
  writeScopedPolicy(store.sql, scope, next);
  return { before: current, created: own === undefined, policy: next };
}

/**
 * The PIN policy rows: the global one (pin_policy) and those of sites and
 * users (scoped_pin_policies), which have the same columns. Runs inside the
 * DirectoryStore's read/write wrappers.
 */
import type { DirectoryStore } from './directory-store.ts';
import { DirectoryError } from './errors.ts';
import { GLOBAL_SCOPE, scopeName, SITE_PATTERN, type EffectivePolicy, type NamedScope } from './policy-scope.ts';
import { mergePolicy, orThrow, type PinPolicy } from './settings.ts';
import { readFlag } from './sql/schema.ts';

interface PolicyRow {
  min_length: number;
  history_count: number;
  lifetime_days: number;
  allow_common_patterns: number | boolean;
  max_logon_local: number | null;
  max_logon_global: number | null;
  logon_failures_before_pin_reset: number | null;
}

const COLUMNS = [
  'min_length',
  'history_count',
  'lifetime_days',
  'allow_common_patterns',
  'max_logon_local',
  'max_logon_global',
  'logon_failures_before_pin_reset',
] as const;

function fromRow(row: PolicyRow): PinPolicy {
  return {
    minLength: row.min_length,
    historyCount: row.history_count,
    lifetimeDays: row.lifetime_days,
    allowCommonPatterns: readFlag(row.allow_common_patterns),
    // A local limit without a global one: the global limit is the automatic one.
    maxLogonAttempts:
      row.max_logon_local === null ? 'auto' : { local: row.max_logon_local, global: row.max_logon_global ?? 'auto' },
    logonFailuresBeforePinReset: row.logon_failures_before_pin_reset,
  };
}

function toRow(store: DirectoryStore, policy: PinPolicy): PolicyRow {
  const limits = policy.maxLogonAttempts === 'auto' ? null : policy.maxLogonAttempts;
  return {
    min_length: policy.minLength,
    history_count: policy.historyCount,
    lifetime_days: policy.lifetimeDays,
    allow_common_patterns: store.flag(policy.allowCommonPatterns),
    max_logon_local: limits?.local ?? null,
    max_logon_global: limits === null || limits.global === 'auto' ? null : limits.global,
    logon_failures_before_pin_reset: policy.logonFailuresBeforePinReset,
  };
}

export async function readGlobalPolicy(store: DirectoryStore): Promise<PinPolicy> {
  return fromRow(await store.q.selectFrom('pin_policy').select(COLUMNS).where('id', '=', 1).executeTakeFirstOrThrow());
}

export async function writeGlobalPolicy(store: DirectoryStore, policy: PinPolicy): Promise<void> {
  await store.q.updateTable('pin_policy').set(toRow(store, policy)).where('id', '=', 1).execute();
}

export async function readScopedPolicy(store: DirectoryStore, scope: NamedScope): Promise<PinPolicy | undefined> {
  const row = await store.q
    .selectFrom('scoped_pin_policies')
    .select(COLUMNS)
    .where('scope', '=', scope.kind)
    .where('name', '=', scopeName(scope))
    .executeTakeFirst();
  return row && fromRow(row);
}

export async function writeScopedPolicy(store: DirectoryStore, scope: NamedScope, policy: PinPolicy): Promise<void> {
  const row = toRow(store, policy);
  await store.q
    .insertInto('scoped_pin_policies')
    .values({ scope: scope.kind, name: scopeName(scope), ...row })
    .onConflict((conflict) => conflict.columns(['scope', 'name']).doUpdateSet(row))
    .execute();
}

export async function deleteScopedPolicy(store: DirectoryStore, scope: NamedScope): Promise<boolean> {
  const result = await store.q
    .deleteFrom('scoped_pin_policies')
    .where('scope', '=', scope.kind)
    .where('name', '=', scopeName(scope))
    .executeTakeFirst();
  return result.numDeletedRows > 0n;
}

/** Every site and user policy: sites first, each kind by name. */
export async function listScopedPolicies(store: DirectoryStore): Promise<{ scope: NamedScope; policy: PinPolicy }[]> {
  const rows = await store.q.selectFrom('scoped_pin_policies').select(['scope', 'name', ...COLUMNS]).orderBy('scope').orderBy('name').execute();
  return rows.map((row) => ({
    scope: row.scope === 'site' ? { kind: 'site', site: row.name } : { kind: 'user', userId: row.name },
    policy: fromRow(row),
  }));
}

/** The policy that applies to a site's users: the site's own, else the global one. */
export async function sitePolicy(store: DirectoryStore, site: string | null): Promise<EffectivePolicy> {
  const own = site === null ? undefined : await readScopedPolicy(store, { kind: 'site', site });
  return own ? { policy: own, scope: { kind: 'site', site: site! } } : { policy: await readGlobalPolicy(store), scope: GLOBAL_SCOPE };
}

/** The policy that applies to a user: the user's own, else the site's, else the global one. */
export async function userPolicy(store: DirectoryStore, userId: string, site: string | null): Promise<EffectivePolicy> {
  const own = await readScopedPolicy(store, { kind: 'user', userId });
  return own ? { policy: own, scope: { kind: 'user', userId } } : sitePolicy(store, site);
}

/**
 * Changes some fields of a site's or user's policy (inside a write); a
 * scope without one starts from the policy that applied to it until now.
 * Returns that starting policy, whether the scope had one, and the new one.
 * SettingError for a bad field; E_UNKNOWN_USER, or E_INVALID_RECORD for a
 * malformed site name.
 */
export async function patchScopedPolicy(
  store: DirectoryStore,
  scope: NamedScope,
  patch: Record<string, unknown>,
): Promise<{ before: PinPolicy; created: boolean; policy: PinPolicy }> {
  const own = await readScopedPolicy(store, scope);
  let current = own;
  if (scope.kind === 'user') {
    const user = await store.requireUser(scope.userId);
    current ??= (await userPolicy(store, scope.userId, user.site ?? null)).policy;
  } else {
    if (!SITE_PATTERN.test(scope.site)) {
      throw new DirectoryError('E_INVALID_RECORD', `site '${scope.site}': must be letters, digits, '.', '_' or '-' (at most 64)`);
    }
    current ??= await readGlobalPolicy(store);
  }
  const next = orThrow(mergePolicy(current, patch));
  await writeScopedPolicy(store, scope, next);
  return { before: current, created: own === undefined, policy: next };
}

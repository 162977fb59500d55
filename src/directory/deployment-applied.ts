/**
 * Whether a directory already holds everything a deployment would write,
 * so a read-only database can still be used with its deployment file.
 */
import type { Deployment } from './deployment.ts';
import type { PinDirectory } from './pin-directory.ts';
import type { ConferenceRecord, UserRecord } from './records.ts';
import { isSettingProblem, mergePolicy, mergeTenant } from './settings.ts';

function sameFields<T extends object>(stored: T, wanted: T, fields: readonly (keyof T)[]): boolean {
  return fields.every((field) => JSON.stringify(stored[field] ?? null) === JSON.stringify(wanted[field] ?? null));
}

function definedOnly(patch: object): Record<string, unknown> {
  return Object.fromEntries(Object.entries(patch).filter(([, value]) => value !== undefined));
}

const USER_FIELDS: readonly (keyof UserRecord)[] = ['name', 'email', 'phone', 'extension', 'site'];
const CONFERENCE_FIELDS: readonly (keyof ConferenceRecord)[] = ['organizerId', 'allowAnonymousStart'];

/**
 * True when applying `deployment` would change nothing: its settings equal
 * the stored ones (site and user policies included), its users and conferences are stored as written, and
 * every user with an initial `pin:` already has a PIN (and every
 * `locked: true` user without one is locked).
 */
export async function isDeploymentApplied(directory: PinDirectory, deployment: Deployment): Promise<boolean> {
  const tenant = await directory.getTenant();
  const policy = await directory.getPolicy();
  const nextTenant = mergeTenant(tenant, definedOnly(deployment.tenant ?? {}));
  const nextPolicy = mergePolicy(policy, definedOnly(deployment.policy ?? {}));
  if (isSettingProblem(nextTenant) || isSettingProblem(nextPolicy)) return false;
  if (!sameFields(tenant, nextTenant, Object.keys(tenant) as (keyof typeof tenant)[])) return false;
  if (!sameFields(policy, nextPolicy, Object.keys(policy) as (keyof typeof policy)[])) return false;
  const scoped = await directory.listScopedPolicies();
  for (const { scope, patch } of deployment.policies ?? []) {
    const stored = scoped.find((entry) => JSON.stringify(entry.scope) === JSON.stringify(scope))?.policy;
    const next = stored && mergePolicy(stored, definedOnly(patch));
    if (!stored || !next || isSettingProblem(next) || !sameFields(stored, next, Object.keys(stored) as (keyof typeof stored)[])) return false;
  }
  for (const user of deployment.users) {
    const stored = await directory.getUser(user.id);
    if (!stored || !sameFields(stored, user, USER_FIELDS)) return false;
    const status = await directory.getStatus(user.id);
    if (user.pin !== undefined && !status.pinSet) return false;
    // `locked: true` is applied while the user has no PIN yet (see applyDeployment).
    if (user.locked && !status.pinSet && !status.lockedOut) return false;
  }
  const conferences = new Map((await directory.listConferences()).map((conference) => [conference.id, conference]));
  for (const conference of deployment.conferences) {
    const stored = conferences.get(await directory.currentConferenceId(conference.id));
    if (stored === undefined || !sameFields(stored, conference, CONFERENCE_FIELDS)) return false;
  }
  return true;
}

/**
 * The deployment file: the users, conferences and (optionally) tenant
 * settings, PIN policy and initial PINs that a directory starts from.
 *
 *   tenant: { pinLength: 5, allowAnonymousStart: false, sendEmailToUser: true }
 *   policy: { minLength: 5, historyCount: 5, maxLogonAttempts: { local: 10, global: 100 } }
 *   policies:
 *     - { site: emea, minLength: 6 }
 *     - { user: bea, lifetimeDays: 30 }
 *   users:
 *     - { id: amos, name: Amos Marble, email: amos@contoso.com, phone: "+15551234567", extension: "4567", site: emea }
 *     - { id: bea, name: Bea Trice, email: bea@contoso.com, pin: "80264", pinExpired: true, locked: false }
 *   conferences:
 *     - { id: "123456", organizer: amos, allowAnonymousStart: false }
 *
 * `policies` gives sites and users a PIN policy of their own (see
 * policy-scope.ts): each entry names one `site` (the `site` of some user
 * in the file) or one `user` (a user in the file), and the policy fields it
 * sets; a scope without a policy yet starts from the one that applied to
 * it, the file's `policy` included.
 *
 * `loadDeployment` only parses and checks (every problem names the file,
 * line and field); `applyDeployment` writes it. Applying again is safe:
 * users and conferences are updated in place, nobody is deleted, tenant and
 * policy fields given in the file are set again, and a user's `pin:` is
 * only used while that user has no PIN (it is an initial PIN, not a reset).
 * `pinExpired: true` goes with that initial PIN (it must be changed at the
 * first dial-in) and `locked: true` locks a user who has no PIN yet or has
 * just been given the initial one, as an administrator's `pin lock` does;
 * neither undoes what happened to the user since.
 */
import { isMap, isScalar, isSeq, LineCounter, parseDocument, YAMLMap, type Node, type Scalar } from 'yaml';
import { placeSyntaxError } from '../yaml/yaml-syntax-error.ts';
import { DeploymentError, DirectoryError, PinPolicyError, SettingError } from './errors.ts';
import type { PinDirectory, ScopedPolicyPatch } from './pin-directory.ts';
import { SITE_PATTERN, type NamedScope } from './policy-scope.ts';
import { conferenceProblem, userProblem, type ConferenceRecord, type UserRecord } from './records.ts';
import {
  DEFAULT_POLICY,
  DEFAULT_TENANT,
  isSettingProblem,
  MAX_PIN_DIGITS,
  mergePolicy,
  mergeTenant,
  problemMessage,
  type PinPolicy,
  type SettingProblem,
  type TenantSettings,
} from './settings.ts';

export interface DeploymentUser extends UserRecord {
  /** Initial PIN, used only while the user has none. */
  readonly pin?: string | undefined;
  /** The initial PIN must be changed at the first dial-in (Set-UMMailboxPIN -PINExpired). */
  readonly pinExpired?: boolean | undefined;
  /** Locked by an administrator until unlocked (Lock-CsClientPin). */
  readonly locked?: boolean | undefined;
}

export interface Deployment {
  readonly file: string;
  readonly tenant?: Partial<TenantSettings> | undefined;
  readonly policy?: Partial<PinPolicy> | undefined;
  readonly users: readonly DeploymentUser[];
  readonly conferences: readonly ConferenceRecord[];
  /** Site and user policies, in file order. */
  readonly policies?: readonly ScopedPolicyPatch[] | undefined;
  /** Line of each section and each user's `pin:`, for errors found while applying. */
  readonly lines: ReadonlyMap<string, number>;
}

/** The top-level fields of a deployment file. */
export const DEPLOYMENT_FIELDS = ['tenant', 'policy', 'policies', 'users', 'conferences'] as const;

/** True for a parsed YAML root that is a non-empty mapping of deployment fields only. */
export function looksLikeDeployment(root: unknown): boolean {
  return (
    isMap(root) &&
    root.items.length > 0 &&
    root.items.every((pair) => isScalar(pair.key) && (DEPLOYMENT_FIELDS as readonly unknown[]).includes(pair.key.value))
  );
}
/** Problems listed for one file, as for scenario files; more are worth fixing before reading the rest. */
const MAX_REPORTED_PROBLEMS = 20;
const USER_FIELDS = ['id', 'name', 'email', 'phone', 'extension', 'site', 'pin', 'pinExpired', 'locked'] as const;
const CONFERENCE_FIELDS = ['id', 'organizer', 'allowAnonymousStart'] as const;

class Reader {
  readonly file: string;
  private readonly lineCounter: LineCounter;
  readonly lines = new Map<string, number>();

  constructor(file: string, lineCounter: LineCounter) {
    this.file = file;
    this.lineCounter = lineCounter;
  }

  line(node: Node | null | undefined): number | undefined {
    return node?.range ? this.lineCounter.linePos(node.range[0]).line : undefined;
  }

  fail(node: Node | null | undefined, problem: string): never {
    throw new DeploymentError(this.file, this.line(node), problem);
  }

  /** Problems found so far; reading goes on past them, so a file reports all of them at once. */
  readonly problems: DeploymentError[] = [];

  /** Reads one independent part (a section, a user, a conference); undefined when it had a problem. */
  attempt<T>(part: () => T): T | undefined {
    try {
      return part();
    } catch (error) {
      if (!(error instanceof DeploymentError)) throw error;
      this.problems.push(...error.problems);
      return undefined;
    }
  }

  /** The fields of a map node by key, refusing keys not in `allowed`. */
  fields(node: Node | null | undefined, path: string, allowed: readonly string[]): Map<string, Node | null> {
    if (!isMap(node)) this.fail(node, `${path} must be a map of fields`);
    const fields = new Map<string, Node | null>();
    for (const pair of node.items) {
      const key = isScalar(pair.key) ? String(pair.key.value) : undefined;
      if (key === undefined) this.fail(node, `${path} has a key that is not a plain name`);
      if (!allowed.includes(key)) {
        this.fail(pair.key as Node, `${path}.${key} is not a known field (expected ${allowed.join(', ')})`);
      }
      fields.set(key, (pair.value as Node | null) ?? null);
    }
    return fields;
  }

  /**
   * A text field. Digits written without quotes (`extension: 0123`) are
   * taken as written, so leading zeros survive.
   */
  text(fields: Map<string, Node | null>, owner: Node, path: string, required: boolean): string | undefined {
    const name = path.slice(path.lastIndexOf('.') + 1);
    const node = fields.get(name);
    if (node === undefined || node === null || (isScalar(node) && node.value === null)) {
      if (required) this.fail(owner, `${path} is missing`);
      return undefined;
    }
    if (!isScalar(node)) this.fail(node, `${path} must be text, not a ${isSeq(node) ? 'list' : 'map'}`);
    const scalar = node as Scalar;
    if (typeof scalar.value === 'string') return scalar.value;
    if (typeof scalar.value === 'number' && scalar.type === 'PLAIN' && /^[0-9]+$/.test(scalar.source ?? '')) {
      return scalar.source!;
    }
    return this.fail(node, `${path} must be text, got ${String(scalar.value)}`);
  }

  /** A true/false field; undefined when absent. */
  flag(fields: Map<string, Node | null>, path: string): boolean | undefined {
    const node = fields.get(path.slice(path.lastIndexOf('.') + 1));
    if (node === undefined || node === null) return undefined;
    const value = node.toJSON() as unknown;
    if (typeof value !== 'boolean') this.fail(node, `${path} must be true or false, got ${String(value)}`);
    return value;
  }
}

/** `path`: how problems name the section when it is not the setting's own (`policies[0]` for `policy.minLength`). */
function settingsSection<T extends object>(
  reader: Reader,
  node: Node | null,
  section: 'tenant' | 'policy',
  merge: (patch: Record<string, unknown>) => T | { field: string; problem: string },
  path: string = section,
): Record<string, unknown> {
  if (!isMap(node)) reader.fail(node, `${section} must be a map of settings`);
  const named = (problem: SettingProblem) => problemMessage({ ...problem, field: problem.field.replace(section, path) });
  const patch: Record<string, unknown> = {};
  for (const pair of node.items) {
    const key = isScalar(pair.key) ? String(pair.key.value) : '?';
    const value = (pair.value as Node | null)?.toJSON() ?? null;
    const result = merge({ [key]: value });
    if (isSettingProblem(result)) reader.fail((pair.value as Node | null) ?? (pair.key as Node), named(result));
    patch[key] = value;
  }
  const whole = merge(patch);
  if (isSettingProblem(whole)) reader.fail(node, named(whole));
  return patch;
}

/** Parses and checks a deployment file; throws DeploymentError naming `fileName`, the line and the field. */
export function loadDeployment(text: string, fileName: string): Deployment {
  const lineCounter = new LineCounter();
  const doc = parseDocument(text, { lineCounter, uniqueKeys: true, prettyErrors: false });
  const reader = new Reader(fileName, lineCounter);
  const syntax = doc.errors[0];
  if (syntax) {
    const { line, problem } = placeSyntaxError(text, syntax, lineCounter);
    throw new DeploymentError(fileName, line, `not valid YAML: ${problem}`);
  }
  const root = doc.contents as Node | null;
  if (root === null) throw new DeploymentError(fileName, undefined, 'the file is empty (expected users and conferences)');
  const top = reader.fields(root, 'the deployment', DEPLOYMENT_FIELDS);

  let tenant: Partial<TenantSettings> | undefined;
  let policy: Partial<PinPolicy> | undefined;
  const tenantNode = top.get('tenant');
  if (tenantNode !== undefined) {
    tenant = reader.attempt(() => settingsSection(reader, tenantNode, 'tenant', (patch) => mergeTenant(DEFAULT_TENANT, patch)));
    reader.lines.set('tenant', reader.line(tenantNode) ?? 1);
  }
  const policyNode = top.get('policy');
  if (policyNode !== undefined) {
    policy = reader.attempt(() => settingsSection(reader, policyNode, 'policy', (patch) => mergePolicy(DEFAULT_POLICY, patch)));
    reader.lines.set('policy', reader.line(policyNode) ?? 1);
  }

  const { users, named } = reader.attempt(() => readUsers(reader, top.get('users'), root)) ?? { users: [], named: undefined };
  const conferences = readConferences(reader, top.get('conferences'), named);
  const policiesNode = top.get('policies');
  const policies = policiesNode === undefined ? undefined : readPolicies(reader, policiesNode, named, users);
  if (policiesNode !== undefined) reader.lines.set('policies', reader.line(policiesNode) ?? 1);
  if (reader.problems.length > 0) {
    const sorted = [...reader.problems].sort((a, b) => (a.line ?? 0) - (b.line ?? 0));
    throw DeploymentError.combine(sorted.slice(0, MAX_REPORTED_PROBLEMS));
  }
  return { file: fileName, tenant, policy, policies, users, conferences, lines: reader.lines };
}

function list(reader: Reader, node: Node | null | undefined, path: string, root: Node): readonly (Node | null)[] {
  if (node === undefined || node === null) return reader.fail(root, `${path} is missing`);
  if (!isSeq(node)) return reader.fail(node, `${path} must be a list`);
  return node.items as (Node | null)[];
}

/** The users that read well, and the ids of every user written (a conference may name one with another problem). */
function readUsers(reader: Reader, node: Node | null | undefined, root: Node): { users: DeploymentUser[]; named: Set<string> } {
  const users: DeploymentUser[] = [];
  const seen = new Set<string>();
  const named = new Set<string>();
  list(reader, node, 'users', root).forEach((item, index) => reader.attempt(() => {
    const path = `users[${index}]`;
    const fields = reader.fields(item, path, USER_FIELDS);
    const owner = item as Node;
    const idNode = fields.get('id');
    if (isScalar(idNode) && idNode.value !== null) named.add(typeof idNode.value === 'string' ? idNode.value : (idNode.source ?? String(idNode.value)));
    const user: DeploymentUser = {
      id: reader.text(fields, owner, `${path}.id`, true)!,
      name: reader.text(fields, owner, `${path}.name`, true)!,
      email: reader.text(fields, owner, `${path}.email`, true)!,
      phone: reader.text(fields, owner, `${path}.phone`, false) ?? null,
      extension: reader.text(fields, owner, `${path}.extension`, false) ?? null,
      site: reader.text(fields, owner, `${path}.site`, false),
      pin: reader.text(fields, owner, `${path}.pin`, false),
      pinExpired: reader.flag(fields, `${path}.pinExpired`),
      locked: reader.flag(fields, `${path}.locked`),
    };
    const problem = userProblem(user);
    if (problem) reader.fail(fields.get(problem.field) ?? owner, `${path}.${problem.field} ${problem.problem}`);
    if (seen.has(user.id)) reader.fail(fields.get('id'), `${path}.id '${user.id}' appears twice`);
    seen.add(user.id);
    if (user.pin !== undefined) {
      const pinNode = fields.get('pin');
      if (!/^[0-9]*$/.test(user.pin)) reader.fail(pinNode, `${path}.pin may contain only the digits 0-9`);
      if (user.pin.length === 0 || user.pin.length > MAX_PIN_DIGITS) {
        reader.fail(pinNode, `${path}.pin must have 1 to ${MAX_PIN_DIGITS} digits`);
      }
      reader.lines.set(`pin:${user.id}`, reader.line(pinNode) ?? 1);
    }
    if (user.pinExpired && user.pin === undefined) {
      reader.fail(fields.get('pinExpired'), `${path}.pinExpired needs a pin: it expires the initial PIN, so that it must be changed at the first dial-in`);
    }
    users.push(user);
  }));
  return { users, named };
}

/** `userIds` undefined: the users could not be read, so organizers are not checked against them. */
function readConferences(reader: Reader, node: Node | null | undefined, userIds: ReadonlySet<string> | undefined): ConferenceRecord[] {
  if (node === undefined || node === null) return [];
  const conferences: ConferenceRecord[] = [];
  const seen = new Set<string>();
  const items = reader.attempt(() => list(reader, node, 'conferences', node)) ?? [];
  items.forEach((item, index) => reader.attempt(() => {
    const path = `conferences[${index}]`;
    const fields = reader.fields(item, path, CONFERENCE_FIELDS);
    const owner = item as Node;
    const anonymousNode = fields.get('allowAnonymousStart');
    const anonymous = anonymousNode === undefined || anonymousNode === null ? null : anonymousNode.toJSON();
    if (anonymous !== null && typeof anonymous !== 'boolean') {
      reader.fail(anonymousNode, `${path}.allowAnonymousStart must be true or false, got ${String(anonymous)}`);
    }
    const conference: ConferenceRecord = {
      id: reader.text(fields, owner, `${path}.id`, true)!,
      organizerId: reader.text(fields, owner, `${path}.organizer`, true)!,
      allowAnonymousStart: anonymous as boolean | null,
    };
    const problem = conferenceProblem(conference);
    if (problem) reader.fail(fields.get(problem.field) ?? owner, `${path}.${problem.field} ${problem.problem}`);
    if (seen.has(conference.id)) reader.fail(fields.get('id'), `${path}.id '${conference.id}' appears twice`);
    if (userIds !== undefined && !userIds.has(conference.organizerId)) {
      reader.fail(fields.get('organizer'), `${path}.organizer '${conference.organizerId}' is not one of the users`);
    }
    seen.add(conference.id);
    conferences.push(conference);
  }));
  return conferences;
}

/**
 * `policies`: each entry a `site` or a `user` and the policy fields it sets.
 * `userIds` undefined: the users could not be read, so scopes are not checked against them.
 */
function readPolicies(
  reader: Reader,
  node: Node | null,
  userIds: ReadonlySet<string> | undefined,
  users: readonly DeploymentUser[],
): ScopedPolicyPatch[] {
  const policies: ScopedPolicyPatch[] = [];
  const seen = new Set<string>();
  const sites = new Set(users.map((user) => user.site).filter((site) => site != null));
  const items = reader.attempt(() => list(reader, node, 'policies', node as Node)) ?? [];
  items.forEach((item, index) => reader.attempt(() => {
    const path = `policies[${index}]`;
    if (!isMap(item)) reader.fail(item, `${path} must be a map: site or user, and policy settings`);
    const fields = new Map(item.items.map((pair) => [isScalar(pair.key) ? String(pair.key.value) : '?', pair]));
    const siteNode = fields.get('site');
    const userNode = fields.get('user');
    if ((siteNode === undefined) === (userNode === undefined)) {
      reader.fail(item, `${path} needs exactly one of site and user (whose policy it is)`);
    }
    const kind = siteNode ? 'site' : 'user';
    const pair = (siteNode ?? userNode)!;
    const name = reader.text(new Map([[kind, pair.value as Node | null]]), item, `${path}.${kind}`, true)!;
    const where = pair.value as Node;
    if (kind === 'site' && !SITE_PATTERN.test(name)) {
      reader.fail(where, `${path}.site must be letters, digits, '.', '_' or '-' (at most 64), got '${name}'`);
    }
    if (kind === 'site' && userIds !== undefined && !sites.has(name)) {
      reader.fail(where, `${path}.site '${name}' is not the site of any user (${sites.size ? [...sites].join(', ') : 'no user has a site'})`);
    }
    if (kind === 'user' && userIds !== undefined && !userIds.has(name)) {
      reader.fail(where, `${path}.user '${name}' is not one of the users`);
    }
    if (seen.has(`${kind}:${name}`)) reader.fail(where, `${path}: ${kind} '${name}' has a policy earlier in the list`);
    seen.add(`${kind}:${name}`);
    const settings = new YAMLMap<unknown, unknown>();
    settings.range = item.range;
    settings.items = item.items.filter((entry) => entry !== pair);
    if (settings.items.length === 0) reader.fail(item, `${path} sets no policy settings`);
    const patch = settingsSection(reader, settings, 'policy', (values) => mergePolicy(DEFAULT_POLICY, values), path);
    const scope: NamedScope = kind === 'site' ? { kind, site: name } : { kind, userId: name };
    policies.push({ scope, patch: patch as Partial<PinPolicy> });
    reader.lines.set(`policies:${kind}:${name}`, reader.line(item) ?? 1);
  }));
  return policies;
}

function definedOnly(patch: object): Record<string, unknown> {
  return Object.fromEntries(Object.entries(patch).filter(([, value]) => value !== undefined));
}

export interface AppliedDeployment {
  readonly users: number;
  readonly conferences: number;
  /** Users whose initial `pin:` was stored (they had none). */
  readonly pinsSet: readonly string[];
}

/**
 * Writes a loaded deployment: settings, users and conferences in one
 * transaction, then the initial PINs (not mailed). A PIN that breaks the
 * PIN policy stops the apply with a DeploymentError at its line; the records
 * written before it stay.
 */
export async function applyDeployment(directory: PinDirectory, deployment: Deployment): Promise<AppliedDeployment> {
  try {
    await directory.importRecords(deployment);
  } catch (error) {
    if (error instanceof SettingError) {
      // The global policy is saved before the site and user ones: if it alone is fine, a scoped one broke a rule.
      const globalProblem = isSettingProblem(mergePolicy(await directory.getPolicy(), definedOnly(deployment.policy ?? {})));
      const section = error.field.startsWith('tenant.') ? 'tenant' : globalProblem || !deployment.policies?.length ? 'policy' : 'policies';
      throw new DeploymentError(deployment.file, deployment.lines.get(section), error.message);
    }
    throw error;
  }
  const pinsSet: string[] = [];
  for (const [index, user] of deployment.users.entries()) {
    if ((await directory.getStatus(user.id)).pinSet) continue;
    if (user.pin !== undefined) {
      const line = deployment.lines.get(`pin:${user.id}`);
      try {
        // setFirstPin: another process applying the same file at the same moment may have set it first.
        if (await directory.setFirstPin(user.id, user.pin, { mail: false, source: deployment.file, expired: user.pinExpired ?? false })) pinsSet.push(user.id);
      } catch (error) {
        if (error instanceof PinPolicyError) {
          const problem = `users[${index}].pin breaks the PIN policy: ${error.reason} (rule ${error.rule})`;
          throw new DeploymentError(deployment.file, line, problem);
        }
        if (error instanceof DirectoryError && error.code === 'E_PIN_LOCKED') {
          throw new DeploymentError(deployment.file, line, `users[${index}].pin cannot be set: ${error.message}`);
        }
        throw error;
      }
    }
    // After the PIN: a locked PIN cannot be set.
    if (user.locked && !(await directory.getStatus(user.id)).lockedOut) await directory.lock(user.id);
  }
  return { users: deployment.users.length, conferences: deployment.conferences.length, pinsSet };
}

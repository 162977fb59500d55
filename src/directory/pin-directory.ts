/**
 * The PIN directory: SQLite or PostgreSQL behind the flow's DirectoryPort,
 * plus the admin operations of the CLI and the scenario runner.
 *
 * Verification order: lock check (a locked PIN is never compared, so a lock
 * is no oracle) -> scrypt outside any transaction -> a write transaction
 * that re-reads the lock and the hash and records the outcome. Failures are
 * counted with one atomic UPDATE ... RETURNING per attempt, inside a
 * transaction no other writer interleaves with, so parallel attempts, from
 * this process or another one on the same database, are counted exactly. An attempt whose outcome arrives after another attempt locked the
 * PIN reports 'locked' and is not counted, even if it was the right PIN.
 *
 * A conference whose organizer has no PIN: the caller is rejected, the
 * attempt is audited but not counted (there is nothing to guess, and
 * counting would let strangers lock a user before the first PIN is set).
 */
import type { ConferenceInfo, DirectoryPort, PinChange, PinEntryLimits, PinVerification } from '../flow/directory-port.ts';
import { AdminAccounts, DEFAULT_PASSWORD_COST } from './access/admin-accounts.ts';
import { SignInLinks } from './access/sign-in-links.ts';
import { WebSessions } from './access/web-sessions.ts';
import { listAudit, recordAudit, SETTINGS_SUBJECT, type AuditEntry, type AuditQuery } from './audit-log.ts';
import { systemClock, type Clock } from './clock.ts';
import { resetConferenceId, type ConferenceIdReset } from './conference-ids.ts';
import { DirectoryStore } from './directory-store.ts';
import { DirectoryError, PinPolicyError } from './errors.ts';
import { isLocked } from './lockout-rules.ts';
import { recordFailure, recordSuccess } from './logon-recorder.ts';
import { EmlFolder, mailFolderFor } from './mail/eml-folder.ts';
import { MailError } from './mail/mail-error.ts';
import type { MailMessage } from './mail/mail-message.ts';
import { isMailbox, type MailTransport } from './mail/mail-transport.ts';
import { Mailer, type MailOutcome } from './mail/mailer.ts';
import { MemoryMailbox } from './mail/memory-mailbox.ts';
import type { StoredMail } from './mail/stored-mail.ts';
import { describeScope, type EffectivePolicy, type NamedScope } from './policy-scope.ts';
import { deleteScopedPolicy, listScopedPolicies, patchScopedPolicy, sitePolicy } from './scoped-policies.ts';
import { DEFAULT_SCRYPT_COST, hashPin, needsRehash, verifyPin, type ScryptCost } from './pin-hash.ts';
import { PinIssuer, type IssuedPin } from './pin-issuer.ts';
import { isDigitString, type PinRule } from './pin-policy.ts';
import { readStatus, type PinStatus } from './pin-status.ts';
import { conferenceProblem, userProblem, type ConferenceRecord, type UserRecord } from './records.ts';
import { MAX_PIN_DIGITS, mergePolicy, mergeTenant, orThrow, type PinPolicy, type TenantSettings } from './settings.ts';
import type { DbTarget } from './sql/db-target.ts';
import { openDatabase } from './sql/database.ts';
import { searchUsers, type UserMatch, type UserQuery } from './user-search.ts';

export interface PinDirectoryOptions {
  /** Source of time; the system clock by default. Scenarios pass their simulated clock. */
  readonly clock?: Clock;
  /** scrypt cost for new hashes; existing hashes keep the cost they were made with. */
  readonly hashCost?: ScryptCost;
  /** scrypt cost for new admin passwords (DEFAULT_PASSWORD_COST by default). */
  readonly passwordCost?: ScryptCost;
  /** Open without write access: reads work, writes fail with E_DB_READONLY. */
  readonly readonly?: boolean | undefined;
  /** How long a write waits for another process's transaction, in ms (default 5000). */
  readonly busyTimeoutMs?: number | undefined;
  /** E_DB_MISSING instead of creating a directory where there is none yet. */
  readonly mustExist?: boolean | undefined;
  /**
   * What carries mail: an SmtpTransport, or by default the mail folder
   * beside the database file (see mailFolderFor; for PostgreSQL, DATABASE.mail
   * in the working directory), or an in-memory mailbox for a `:memory:` database.
   */
  readonly mail?: MailTransport | undefined;
  /** Told each failed delivery in one line (never the message), e.g. for the server's log. */
  readonly onMailError?: ((line: string) => void) | undefined;
}

/** Who a mail goes to: a user of the directory (to the user's own address), or an address. */
export type MailRecipient = { readonly userId: string } | { readonly to: string };

/** How often verification restarts when the PIN is replaced while scrypt runs. */
const MAX_VERIFY_ROUNDS = 3;
/** Directory errors after which a hash upgrade simply waits for the next logon. */
const REHASH_LATER: ReadonlySet<string> = new Set(['E_DB_READONLY', 'E_DB_BUSY']);

/** Everything `importRecords` can store at once. */
export interface DirectoryRecords {
  readonly tenant?: Partial<TenantSettings> | undefined;
  readonly policy?: Partial<PinPolicy> | undefined;
  readonly users?: readonly UserRecord[] | undefined;
  readonly conferences?: readonly ConferenceRecord[] | undefined;
  /** Site and user policies: each patches the scope's policy (creating it from the one that applied until then). */
  readonly policies?: readonly ScopedPolicyPatch[] | undefined;
}

export interface ScopedPolicyPatch {
  readonly scope: NamedScope;
  readonly patch: Partial<PinPolicy>;
}

export class PinDirectory implements DirectoryPort {
  /** The database in messages: the file, or the PostgreSQL server and database without the password. */
  readonly label: string;
  /** Opened without write access. */
  readonly readonly: boolean;
  readonly clock: Clock;
  private readonly store: DirectoryStore;
  private readonly cost: ScryptCost;
  private readonly issuer: PinIssuer;
  private readonly mailer: Mailer;
  private readonly onMailError: ((line: string) => void) | undefined;
  private dummyHash: Promise<string> | undefined;
  /** Admin accounts of the admin center and their sign-in. */
  readonly accounts: AdminAccounts;
  /** Web sessions, shared by every server process on this file. */
  readonly sessions: WebSessions;
  /** One-time sign-in links for the self-service page. */
  readonly signInLinks: SignInLinks;

  /**
   * Opens (creating and migrating if needed) the directory at `db`: a
   * `postgres://` URL, or an SQLite file (`:memory:` for a private one).
   */
  static async open(db: string, options: PinDirectoryOptions = {}): Promise<PinDirectory> {
    return new PinDirectory(new DirectoryStore(await openDatabase(db, options)), options);
  }

  private constructor(store: DirectoryStore, options: PinDirectoryOptions) {
    this.store = store;
    this.label = store.database.label;
    this.clock = options.clock ?? systemClock;
    this.cost = options.hashCost ?? DEFAULT_SCRYPT_COST;
    this.readonly = store.database.readonly;
    this.onMailError = options.onMailError;
    this.mailer = new Mailer(options.mail ?? defaultMailbox(store.database.target));
    this.issuer = new PinIssuer(store, this.clock, this.cost, (message) => this.deliver(message));
    this.accounts = new AdminAccounts(store, this.clock, options.passwordCost ?? DEFAULT_PASSWORD_COST);
    this.sessions = new WebSessions(store, this.clock);
    this.signInLinks = new SignInLinks(store, this.clock, (message) => this.deliver(message));
  }

  async close(): Promise<void> {
    await this.store.database.close();
    this.mailer.transport.close();
  }

  // ---- DirectoryPort -------------------------------------------------------

  async findConference(conferenceId: string): Promise<ConferenceInfo | undefined> {
    return this.store.read('look up a conference', async (rows) => {
      const conference = await rows.getConference(conferenceId);
      if (!conference) return undefined;
      const tenant = await rows.getTenant();
      return {
        id: conference.id,
        organizerId: conference.organizerId,
        allowAnonymousStart: conference.allowAnonymousStart ?? tenant.allowAnonymousStart,
      };
    });
  }

  async verifyLeaderPin(conferenceId: string, pin: string): Promise<PinVerification> {
    const { organizerId: userId } = await this.store.read('look up a conference', (rows) => rows.requireConference(conferenceId));
    for (let round = 0; round < MAX_VERIFY_ROUNDS; round++) {
      const { lock, pinRow } = await this.store.read('read the PIN', async (rows) => ({
        lock: await rows.getLock(userId),
        pinRow: await rows.getPin(userId),
      }));
      if (isLocked(lock, this.clock.now())) return { outcome: 'locked', userId };
      if (!pinRow) {
        // Same cost as a real comparison, so the answer's timing does not tell that no PIN is set.
        await verifyPin(pin.slice(0, MAX_PIN_DIGITS), await this.dummy());
        const why = `conference ${conferenceId}: no PIN set; not counted`;
        await this.store.write('record a PIN failure', (tx) => recordAudit(tx, this.clock.now(), userId, 'failure', why));
        return { outcome: 'rejected', userId, lockedNow: false };
      }
      // Malformed entries still cost one scrypt, so their timing matches a wrong PIN's.
      const wellFormed = pin.length <= MAX_PIN_DIGITS && isDigitString(pin);
      const matches = (await verifyPin(wellFormed ? pin : '', pinRow.hash)) && wellFormed;
      const now = this.clock.now();
      const recorded = await (matches
        ? recordSuccess(this.store, now, userId, pinRow.hash)
        : recordFailure(this.store, now, userId, pinRow.hash, conferenceId));
      if (recorded === 'retry') continue;
      if (recorded === 'locked') return { outcome: 'locked', userId };
      if ('mustChange' in recorded) {
        if (needsRehash(pinRow.hash, this.cost)) await this.rehash(userId, pin, pinRow.hash);
        return { outcome: 'accepted', userId, mustChange: recorded.mustChange };
      }
      if (recorded.resetPin) await this.issuer.issue(userId, { reason: 'auto-reset', ignoreLock: true, mailInBackground: true });
      return { outcome: 'rejected', userId, lockedNow: recorded.lockedNow };
    }
    throw new DirectoryError('E_DB_BUSY', `the PIN of '${userId}' kept changing during verification`);
  }

  async changePin(userId: string, newPin: string): Promise<PinChange> {
    try {
      await this.issuer.issue(userId, { reason: 'changed', pin: newPin });
      return { outcome: 'changed' };
    } catch (error) {
      if (error instanceof PinPolicyError) return { outcome: 'policy-rejected', rule: error.rule };
      throw error;
    }
  }

  pinEntryLimits(): PinEntryLimits {
    return { maxPinDigits: MAX_PIN_DIGITS };
  }

  // ---- admin ---------------------------------------------------------------

  /**
   * Sets a PIN: `pin` if given (it must meet the policy, else PinPolicyError
   * naming the rule), otherwise a generated one. Mails it when the tenant
   * says so. Refused with E_PIN_LOCKED while the PIN is locked. `expired`:
   * it must be changed at the next dial-in.
   */
  setPin(
    userId: string,
    pin?: string,
    options: { mail?: boolean; source?: string; expired?: boolean; actor?: string } = {},
  ): Promise<IssuedPin> {
    const { mail, source, expired, actor } = options;
    return this.issuer.issue(userId, { reason: 'set', pin, mail: mail ?? true, source, mustChange: expired ?? false, actor });
  }

  /**
   * setPin for a user who has no PIN yet (a deployment file, the demo
   * deployment): undefined, and nothing changed, when one is set already,
   * also when another process set it a moment before.
   */
  setFirstPin(userId: string, pin?: string, options: { mail?: boolean; source?: string; expired?: boolean } = {}): Promise<IssuedPin | undefined> {
    const { mail, source, expired } = options;
    return this.issuer.issueFirst(userId, { reason: 'set', pin, mail: mail ?? true, source, mustChange: expired ?? false });
  }

  /** Replaces the PIN with a generated one and mails it; `expired` makes the user change it at the next dial-in. */
  resetPin(userId: string, options: { expired?: boolean; actor?: string } = {}): Promise<IssuedPin> {
    return this.issuer.issue(userId, { reason: 'reset', mustChange: options.expired ?? false, actor: options.actor });
  }

  /**
   * The user's own new PIN (the self-service page): `pin` if given (it must
   * meet the policy), otherwise a generated one; not mailed, as the user
   * sees it. Refused with E_PIN_LOCKED while the PIN is locked.
   */
  changeOwnPin(userId: string, pin?: string, options: { actor?: string } = {}): Promise<IssuedPin> {
    return this.issuer.issue(userId, { reason: 'changed', pin, actor: options.actor ?? 'the user' });
  }

  /** The first policy rule `candidate` breaks for this user (history included), or undefined. */
  checkPin(userId: string, candidate: string): Promise<PinRule | undefined> {
    return this.issuer.check(userId, candidate);
  }

  /**
   * Gives a meeting a new random conference ID (see conference-ids.ts) and
   * mails it to the organizer; a failed mail leaves the new ID in place
   * and is reported in `mailError`.
   */
  async resetConferenceId(conferenceId: string, options: { actor?: string } = {}): Promise<ConferenceIdReset> {
    const { reset, mail } = await resetConferenceId(this.store, this.clock, conferenceId, options.actor ?? null);
    const outcome = mail === null ? undefined : await this.deliver(mail);
    return { ...reset, mailError: outcome && !outcome.sent ? outcome.error.message : null };
  }

  /** The ID a conference has now, following ID resets. */
  currentConferenceId(conferenceId: string): Promise<string> {
    return this.store.read('look up a conference', (rows) => rows.currentConferenceId(conferenceId));
  }

  /** Users matching a text and PIN-state filters, with their PIN status, by id. */
  searchUsers(query: UserQuery = {}): Promise<UserMatch[]> {
    return this.store.read('search users', (rows) => searchUsers(rows, this.clock.now(), query));
  }

  /** Clears any lock and all failure counts. Returns whether the PIN was locked. */
  unlock(userId: string, options: { actor?: string } = {}): Promise<{ wasLocked: boolean }> {
    return this.store.write('unlock the PIN', async (tx) => {
      await tx.requireUser(userId);
      const now = this.clock.now();
      const lock = await tx.getLock(userId);
      const wasLocked = isLocked(lock, now);
      await tx.setLock(userId, null, null, null);
      await tx.clearFailures(userId);
      const detail = wasLocked ? `was locked (${lock.kind})` : 'was not locked; failures cleared';
      await recordAudit(tx, now, userId, 'unlocked', detail, options.actor ?? null);
      return { wasLocked };
    });
  }

  /** Locks the PIN until an administrator unlocks it. */
  lock(userId: string, options: { actor?: string } = {}): Promise<void> {
    return this.store.write('lock the PIN', async (tx) => {
      await tx.requireUser(userId);
      const now = this.clock.now();
      await tx.setLock(userId, 'admin', null, now);
      const { actor } = options;
      await recordAudit(tx, now, userId, 'locked', actor ? 'until unlocked' : 'by an administrator; until unlocked', actor ?? null);
    });
  }

  /** Deletes the PIN (its history stays, so it cannot simply be set again). */
  removePin(userId: string, options: { actor?: string } = {}): Promise<void> {
    return this.store.write('remove the PIN', async (tx) => {
      await tx.requireUser(userId);
      if (!(await tx.deletePin(userId))) throw new DirectoryError('E_NO_PIN', `'${userId}' has no PIN to remove`);
      await tx.clearFailures(userId);
      const { actor } = options;
      await recordAudit(tx, this.clock.now(), userId, 'removed', actor ? '' : 'by an administrator', actor ?? null);
    });
  }

  getStatus(userId: string): Promise<PinStatus> {
    return this.store.read('read the PIN status', (rows) => readStatus(rows, userId, this.clock.now()));
  }

  getUser(userId: string): Promise<UserRecord | undefined> {
    return this.store.read('read a user', (rows) => rows.getUser(userId));
  }

  listUsers(): Promise<UserRecord[]> {
    return this.store.read('list users', (rows) => rows.listUsers());
  }

  listConferences(): Promise<ConferenceRecord[]> {
    return this.store.read('list conferences', (rows) => rows.listConferences());
  }

  /** Adds or updates a user (its PIN, if any, is untouched). */
  upsertUser(user: UserRecord): Promise<void> {
    return this.importRecords({ users: [user] });
  }

  /** Adds or updates a conference; its organizer must already be a user. */
  upsertConference(conference: ConferenceRecord): Promise<void> {
    return this.importRecords({ conferences: [conference] });
  }

  /**
   * Applies settings, users and conferences in one transaction: either all
   * of them are stored or, on the first bad one, none.
   */
  async importRecords(records: DirectoryRecords, options: { actor?: string } = {}): Promise<void> {
    for (const user of records.users ?? []) {
      const problem = userProblem(user);
      if (problem) throw new DirectoryError('E_INVALID_RECORD', `user '${user.id}': ${problem.field} ${problem.problem}`);
    }
    for (const conference of records.conferences ?? []) {
      const problem = conferenceProblem(conference);
      if (problem) {
        throw new DirectoryError('E_INVALID_RECORD', `conference '${conference.id}': ${problem.field} ${problem.problem}`);
      }
    }
    const settings = records.tenant || records.policy || records.policies ? 'settings' : '';
    const people = records.users || records.conferences ? 'users and conferences' : '';
    const what = [settings, people].filter(Boolean).join(', ');
    await this.store.write(`save ${what || 'nothing'}`, async (tx) => {
      const before = { tenant: await tx.getTenant(), policy: await tx.getPolicy() };
      if (records.tenant) await tx.saveTenant(orThrow(mergeTenant(before.tenant, definedOnly(records.tenant))));
      if (records.policy) await tx.savePolicy(orThrow(mergePolicy(before.policy, definedOnly(records.policy))));
      if (options.actor !== undefined) {
        const changes = settingChanges(before, { tenant: await tx.getTenant(), policy: await tx.getPolicy() });
        if (changes !== '') await recordAudit(tx, this.clock.now(), SETTINGS_SUBJECT, 'settings', changes, options.actor);
      }
      for (const user of records.users ?? []) await tx.upsertUser(user);
      for (const conference of records.conferences ?? []) await tx.upsertConference(conference);
      for (const { scope, patch } of records.policies ?? []) await patchScopedPolicy(tx, scope, definedOnly(patch));
    });
  }

  getPolicy(): Promise<PinPolicy> {
    return this.store.read('read the PIN policy', (rows) => rows.getPolicy());
  }

  /** Changes some policy fields; throws SettingError naming the first bad field. */
  setPolicy(patch: Partial<PinPolicy>): Promise<PinPolicy> {
    return this.store.write('change the PIN policy', async (tx) => {
      const next = orThrow(mergePolicy(await tx.getPolicy(), definedOnly(patch)));
      await tx.savePolicy(next);
      return next;
    });
  }

  getTenant(): Promise<TenantSettings> {
    return this.store.read('read the tenant settings', (rows) => rows.getTenant());
  }

  /** Changes some tenant fields; throws SettingError naming the first bad field. */
  setTenant(patch: Partial<TenantSettings>): Promise<TenantSettings> {
    return this.store.write('change the tenant settings', async (tx) => {
      const next = orThrow(mergeTenant(await tx.getTenant(), definedOnly(patch)));
      await tx.saveTenant(next);
      return next;
    });
  }

  // ---- PIN policies of sites and users ---------------------------------------

  /** The policy that applies to the user and whose it is: the user's own, else the site's, else the global one. */
  effectivePolicy(userId: string): Promise<EffectivePolicy> {
    return this.store.read('read the PIN policy', (rows) => rows.effectivePolicy(userId));
  }

  /** The policy that applies to a site's users (unless they have their own): the site's, else the global one. */
  sitePolicy(site: string): Promise<EffectivePolicy> {
    return this.store.read('read the PIN policy', (rows) => sitePolicy(rows, site));
  }

  /** Every site and user policy, sites first. */
  listScopedPolicies(): Promise<{ scope: NamedScope; policy: PinPolicy }[]> {
    return this.store.read('read the PIN policies', (rows) => listScopedPolicies(rows));
  }

  /**
   * Changes some fields of a site's or user's policy; a scope without one
   * gets a copy of the policy that applied to it until now, with the
   * changes. Throws SettingError naming the first bad field.
   */
  setScopedPolicy(scope: NamedScope, patch: Partial<PinPolicy>, options: { actor?: string } = {}): Promise<PinPolicy> {
    return this.store.write(`change the PIN policy of ${describeScope(scope)}`, async (tx) => {
      const { before, created, policy } = await patchScopedPolicy(tx, scope, definedOnly(patch));
      const changes = changedFields('policy', before, policy);
      if (options.actor !== undefined && (created || changes.length > 0)) {
        const what = `${describeScope(scope)}: ${created ? 'own PIN policy made from the one that applied' : 'own PIN policy'}`;
        const detail = [what, ...changes].join('; ');
        await recordAudit(tx, this.clock.now(), SETTINGS_SUBJECT, 'settings', detail, options.actor);
      }
      return policy;
    });
  }

  /** Deletes a site's or user's policy; its users fall back to the next scope. E_NO_POLICY when there is none. */
  removeScopedPolicy(scope: NamedScope, options: { actor?: string } = {}): Promise<void> {
    return this.store.write(`remove the PIN policy of ${describeScope(scope)}`, async (tx) => {
      if (!(await deleteScopedPolicy(tx, scope))) {
        throw new DirectoryError('E_NO_POLICY', `${describeScope(scope)} has no PIN policy of its own`);
      }
      if (options.actor !== undefined) {
        await recordAudit(tx, this.clock.now(), SETTINGS_SUBJECT, 'settings', `${describeScope(scope)}: own PIN policy removed`, options.actor);
      }
    });
  }

  // ---- mail ----------------------------------------------------------------------

  /**
   * Sends a mail through the directory's transport: the one way anything in
   * the directory mails someone. Resolves with how it went, never rejects
   * for a failed delivery (the failure is audited for a user). E_UNKNOWN_USER
   * for a user who is not in the directory.
   */
  async sendMail(recipient: MailRecipient, subject: string, body: string): Promise<MailOutcome> {
    const userId = 'userId' in recipient ? recipient.userId : undefined;
    const to = 'to' in recipient ? recipient.to : (await this.store.read('read a user', (rows) => rows.requireUser(recipient.userId))).email;
    return this.deliver({ to, userId, subject, body, atMs: this.clock.now() });
  }

  /** The mail delivered so far, when the transport keeps it (the mail folder, the in-memory mailbox). */
  listOutbox(userId?: string): StoredMail[] {
    return this.mailbox('read').list(userId);
  }

  /** Deletes delivered mail (one user's, or all); returns how many. */
  clearOutbox(userId?: string): number {
    if (this.readonly) throw new DirectoryError('E_DB_READONLY', `${this.label} is read-only: cannot clear the outbox`);
    return this.mailbox('clear').clear(userId);
  }

  listAudit(query: AuditQuery = {}): Promise<AuditEntry[]> {
    return this.store.read('read the audit log', (rows) => listAudit(rows, query));
  }

  // ---- internals -------------------------------------------------------------

  /**
   * Re-hashes a PIN made with a lower cost, while the clear PIN is at hand.
   * Best effort: on a read-only or busy database the old hash keeps working and
   * the next logon tries again. Any other failure (a damaged file, a failed
   * write) is thrown like every other directory error, so it is not hidden
   * behind an accepted PIN.
   */
  private async rehash(userId: string, pin: string, oldHash: string): Promise<void> {
    const newHash = await hashPin(pin, this.cost);
    try {
      await this.store.write('upgrade a PIN hash', (tx) => tx.replaceHash(userId, oldHash, newHash));
    } catch (error) {
      if (error instanceof DirectoryError && REHASH_LATER.has(error.code)) return;
      throw error;
    }
  }

  private mailbox(doing: string) {
    const transport = this.mailer.transport;
    if (!isMailbox(transport)) throw new MailError('E_NO_MAILBOX', `cannot ${doing} the outbox: mail goes to ${transport.name}, which keeps none`);
    return transport;
  }

  /** Sends through the mailer; a failure for a user is audited (without the message, which may hold a PIN). */
  private async deliver(message: MailMessage): Promise<MailOutcome> {
    const outcome = await this.mailer.send(message);
    if (!outcome.sent) this.onMailError?.(outcome.error.message);
    if (!outcome.sent && message.userId !== undefined) {
      const { userId } = message;
      const detail = outcome.error.message;
      try {
        await this.store.write('record a failed mail', (tx) => recordAudit(tx, this.clock.now(), userId, 'mail-failed', detail));
      } catch {
        // The outcome already tells the caller; an unwritable audit log must not hide it.
      }
    }
    return outcome;
  }

  private dummy(): Promise<string> {
    this.dummyHash ??= hashPin('0', this.cost);
    return this.dummyHash;
  }
}

/** Each setting that differs: `policy.minLength 5 -> 6; tenant.emailOverride null -> "x@y"`. */
function settingChanges(
  before: { tenant: TenantSettings; policy: PinPolicy },
  after: { tenant: TenantSettings; policy: PinPolicy },
): string {
  return [...changedFields('policy', before.policy, after.policy), ...changedFields('tenant', before.tenant, after.tenant)].join('; ');
}

/** `policy.minLength 5 -> 6` for each field that differs. */
function changedFields(section: string, before: object, after: object): string[] {
  const changes: string[] = [];
  for (const [key, value] of Object.entries(after)) {
    const old = JSON.stringify((before as Record<string, unknown>)[key]);
    if (old !== JSON.stringify(value)) changes.push(`${section}.${key} ${old} -> ${JSON.stringify(value)}`);
  }
  return changes;
}

/** Where mail goes when no transport is given (see PinDirectoryOptions.mail). */
function defaultMailbox(target: DbTarget): MailTransport {
  if (target.dialect === 'postgres') return new EmlFolder(mailFolderFor(target.database));
  return target.file === ':memory:' ? new MemoryMailbox() : new EmlFolder(mailFolderFor(target.file));
}

function definedOnly(patch: object): Record<string, unknown> {
  return Object.fromEntries(Object.entries(patch).filter(([, value]) => value !== undefined));
}

/**
 * Setting a PIN, whichever way it comes: an admin's `pin set`/`pin reset`,
 * the caller's own change at the keypad, or the automatic reset after too
 * many failures. The policy and history are checked and the hash computed
 * outside the transaction; the transaction re-checks the lock, stores the
 * hash, clears the failure counts and audits together. The PIN mail is sent
 * after the commit: a failed delivery leaves the new PIN in place and is
 * reported in IssuedPin.mailError (and audited by the directory).
 */
import { recordAudit, type AuditEvent } from './audit-log.ts';
import type { Clock } from './clock.ts';
import type { DirectoryStore } from './directory-store.ts';
import { DirectoryError, PinPolicyError } from './errors.ts';
import { isLocked } from './lockout-rules.ts';
import { composePinMail, type PinMailReason } from './mail/pin-mail.ts';
import type { SendMail } from './mail/mailer.ts';
import { noticeAddress } from './mail/notice-address.ts';
import { generatePin } from './pin-generator.ts';
import { hashPin, verifyPin, type ScryptCost } from './pin-hash.ts';
import { describeViolation, findPinViolation, type PinRule, type PinRuleContext } from './pin-policy.ts';

export type IssueReason = 'set' | 'reset' | 'auto-reset' | 'changed';

export interface IssueOptions {
  readonly reason: IssueReason;
  /** The PIN to store; generated when absent. */
  readonly pin?: string | undefined;
  /** Require a change at the next logon. */
  readonly mustChange?: boolean | undefined;
  /** Send a PIN mail when the tenant allows it (ignored for 'changed'; default true). */
  readonly mail?: boolean | undefined;
  /**
   * Return without waiting for the mail (the automatic reset during a call,
   * whose caller should not wait for an SMTP server); mailError is then null.
   */
  readonly mailInBackground?: boolean | undefined;
  /** Who set it, for the audit log, when not an administrator ('test.yaml'). */
  readonly source?: string | undefined;
  /** Store even though the PIN is locked (only the automatic reset, which happens instead of a lock). */
  readonly ignoreLock?: boolean | undefined;
  /** Who did it, for the audit log ('admin alice', 'cli', 'the user'); see AuditEntry.actor. */
  readonly actor?: string | undefined;
}

export interface IssuedPin {
  readonly userId: string;
  /** The new PIN in clear: show it once, then forget it. */
  readonly pin: string;
  /** Where the PIN mail was addressed, or null when none was sent. */
  readonly mailedTo: string | null;
  /** One line saying why the PIN mail was not delivered (it names the server, never the PIN); null when it was, or none was sent. */
  readonly mailError: string | null;
  /** Whether the user must change this PIN at the next dial-in. */
  readonly mustChange: boolean;
}

const AUDIT_EVENT: Record<IssueReason, AuditEvent> = {
  set: 'set',
  reset: 'reset',
  'auto-reset': 'reset',
  changed: 'changed',
};

export class PinIssuer {
  private readonly store: DirectoryStore;
  private readonly clock: Clock;
  private readonly cost: ScryptCost;
  private readonly sendMail: SendMail;

  constructor(store: DirectoryStore, clock: Clock, cost: ScryptCost, sendMail: SendMail) {
    this.store = store;
    this.clock = clock;
    this.cost = cost;
    this.sendMail = sendMail;
  }

  /**
   * The first policy rule `candidate` breaks for this user, history
   * included, or undefined when it would be accepted now. The history is
   * compared only when every other rule passes, as it costs a hash each.
   */
  async check(userId: string, candidate: string): Promise<PinRule | undefined> {
    const { context, history } = await this.store.read('read the PIN policy', (rows) => this.rules(rows, userId, false));
    return findPinViolation(candidate, context) ?? ((await matchesAny(candidate, history)) ? 'history' : undefined);
  }

  async issue(userId: string, options: IssueOptions): Promise<IssuedPin> {
    return (await this.issueUnlessSet(userId, options, false))!;
  }

  /**
   * Issues a PIN only if the user has none, checked in the transaction that
   * stores it: of several processes setting up one new database at once,
   * one sets it; undefined for the others.
   */
  issueFirst(userId: string, options: IssueOptions): Promise<IssuedPin | undefined> {
    return this.issueUnlessSet(userId, options, true);
  }

  private async issueUnlessSet(userId: string, options: IssueOptions, onlyIfUnset: boolean): Promise<IssuedPin | undefined> {
    const { user, tenant, policy, history, context } = await this.store.read('read the PIN policy', (rows) =>
      this.rules(rows, userId, !options.ignoreLock),
    );
    const inHistory = (candidate: string) => matchesAny(candidate, history);

    let pin: string;
    if (options.pin !== undefined) {
      pin = options.pin;
      const rule = findPinViolation(pin, context) ?? ((await inHistory(pin)) ? 'history' : undefined);
      if (rule) {
        throw new PinPolicyError(rule, describeViolation(rule, context, policy.historyCount), `PIN for '${userId}'`);
      }
    } else {
      const length = Math.max(tenant.pinLength, policy.minLength);
      const acceptable = async (candidate: string) =>
        findPinViolation(candidate, context) === undefined && !(await inHistory(candidate));
      pin = await generatePin(length, acceptable);
    }
    const hash = await hashPin(pin, this.cost);

    const mustChange = options.mustChange ?? options.reason === 'auto-reset';
    const wantsMail = options.reason !== 'changed' && (options.mail ?? true);
    const to = wantsMail ? noticeAddress(tenant, user.email) : null;
    const atMs = await this.store.write('store the PIN', async (tx) => {
      const now = this.clock.now();
      if (onlyIfUnset && (await tx.getPin(userId)) !== undefined) return undefined;
      if (!options.ignoreLock) await this.refuseIfLocked(tx, userId);
      await tx.savePin(userId, hash, now, mustChange);
      // A new PIN starts with a clean slate; an expired 1-hour lock is dropped with it.
      await tx.setLock(userId, null, null, null);
      await tx.clearFailures(userId);
      const event = AUDIT_EVENT[options.reason];
      await recordAudit(tx, now, userId, event, auditDetail(options, mustChange, to), options.actor ?? null);
      return now;
    });
    if (atMs === undefined) return undefined;
    const issued = { userId, pin, mailedTo: to, mustChange };
    if (to === null) return { ...issued, mailError: null };
    const reason: PinMailReason = options.reason === 'changed' ? 'set' : options.reason;
    const mail = composePinMail(user.name, pin, reason, mustChange);
    const sent = this.sendMail({ to, userId, subject: mail.subject, body: mail.body, atMs });
    if (options.mailInBackground) return { ...issued, mailError: null };
    const outcome = await sent;
    return { ...issued, mailError: outcome.sent ? null : outcome.error.message };
  }

  private async rules(rows: DirectoryStore, userId: string, refuseLocked: boolean) {
    const user = await rows.requireUser(userId);
    if (refuseLocked) await this.refuseIfLocked(rows, userId);
    const { policy } = await rows.effectivePolicy(userId);
    const context: PinRuleContext = {
      minLength: policy.minLength,
      allowCommonPatterns: policy.allowCommonPatterns,
      phone: user.phone,
      extension: user.extension,
    };
    return { user, tenant: await rows.getTenant(), policy, history: await rows.recentHashes(userId, policy.historyCount), context };
  }

  private async refuseIfLocked(rows: DirectoryStore, userId: string): Promise<void> {
    const lock = await rows.getLock(userId);
    if (isLocked(lock, this.clock.now())) {
      const why = { local: 'for an hour after too many failures', global: 'after too many failures', admin: 'by an administrator' };
      throw new DirectoryError(
        'E_PIN_LOCKED',
        `the PIN of '${userId}' is locked (${why[lock.kind!]}); unlock it first with 'dialin-sim pin unlock ${userId}'`,
      );
    }
  }
}

async function matchesAny(candidate: string, hashes: readonly string[]): Promise<boolean> {
  return (await Promise.all(hashes.map((hash) => verifyPin(candidate, hash)))).some(Boolean);
}

function auditDetail(options: IssueOptions, mustChange: boolean, to: string | null): string {
  const parts: string[] = [];
  if (options.reason === 'auto-reset') parts.push('automatic, after repeated failures');
  // The actor says who; the detail says how.
  else if (options.actor !== undefined) parts.push(options.pin === undefined ? 'generated' : 'manual');
  else if (options.reason === 'changed') parts.push('by the user at the keypad');
  else {
    const who = options.source === undefined ? 'by an administrator' : `from ${options.source}`;
    parts.push(`${who}, ${options.pin === undefined ? 'generated' : 'manual'}`);
  }
  if (mustChange) parts.push('must change at next logon');
  if (options.reason !== 'changed') parts.push(to === null ? 'not mailed' : `mailed to ${to}`);
  return parts.join('; ');
}

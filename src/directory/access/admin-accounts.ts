/**
 * Admin accounts of the admin center. Roles after Skype for Business
 * Server's RBAC roles: `user-admin` (CsUserAdministrator) may act on users'
 * PINs and conference IDs; `admin` (CsAdministrator) may also change the PIN
 * policy, tenant settings and admin accounts.
 *
 * Passwords are stored only as scrypt hashes (pin-hash.ts: RFC 7914, a
 * random 16-byte salt each, constant-time compare), never logged. Sign-in
 * follows the PIN's verification order: lock check first (a locked account
 * is never compared, so a lock is no oracle), scrypt outside any
 * transaction, then a write transaction that re-reads the account and
 * records the outcome, so parallel attempts from several processes are
 * counted exactly and a lock survives a restart.
 */
import { randomBytes } from 'node:crypto';
import { adminSubject, recordAudit } from '../audit-log.ts';
import type { Clock } from '../clock.ts';
import type { DirectoryStore } from '../directory-store.ts';
import { DirectoryError } from '../errors.ts';
import { hashPin, verifyPin, type ScryptCost } from '../pin-hash.ts';
import { USER_ID_PATTERN } from '../records.ts';
import { describe } from '../settings.ts';

export const ADMIN_ROLES = ['user-admin', 'admin'] as const;
export type AdminRole = (typeof ADMIN_ROLES)[number];

/**
 * scrypt cost for passwords: N = 2^14, r = 8, p = 5, one of the settings
 * the OWASP Password Storage Cheat Sheet gives as equivalent to its minimum
 * (N = 2^17, r = 8, p = 1), with the 16 MiB of memory a PIN hash takes
 * rather than 128 MiB, so parallel sign-ins cannot exhaust memory.
 */
export const DEFAULT_PASSWORD_COST: ScryptCost = { N: 16_384, r: 8, p: 5 };

/**
 * Lockout after failed sign-ins, the numbers of Microsoft's Windows security
 * baseline for account lockout: 10 failures within 15 minutes lock the
 * account for 15 minutes. A password of at least 15 characters (NIST SP
 * 800-63B-4 §3.1.1.2, for a password used alone) is out of reach at 40
 * guesses an hour, and a lock that ends by itself keeps a stranger who
 * types wrong passwords from locking an admin out for good. `admin unlock`
 * ends a lock at once.
 */
export const ADMIN_LOCKOUT = {
  maxFailures: 10,
  windowMs: 15 * 60_000,
  lockMs: 15 * 60_000,
} as const;

export const PASSWORD_LENGTH = { min: 15, max: 256 } as const;

export interface AdminAccount {
  readonly name: string;
  readonly role: AdminRole;
  /** ms since the epoch. */
  readonly createdAt: number;
  /** End of the current lock, or null when not locked. */
  readonly lockedUntil: number | null;
  /** Failed sign-ins within the lockout window. */
  readonly recentFailures: number;
}

export type SignInResult =
  | { readonly outcome: 'ok'; readonly name: string; readonly role: AdminRole }
  /** Unknown name or wrong password (the same answer for both); `lockedNow`: this failure locked the account. */
  | { readonly outcome: 'rejected'; readonly lockedNow: boolean }
  | { readonly outcome: 'locked'; readonly until: number };

/** 18 random bytes as base64url: 24 characters, 144 bits. */
export function generatePassword(): string {
  return randomBytes(18).toString('base64url');
}

export function isAdminRole(value: string): value is AdminRole {
  return (ADMIN_ROLES as readonly string[]).includes(value);
}

interface AccountRow {
  name: string;
  role: AdminRole;
  password_hash: string;
  created_at: number;
  locked_until: number | null;
}

export class AdminAccounts {
  private readonly store: DirectoryStore;
  private readonly clock: Clock;
  private readonly cost: ScryptCost;
  private dummyHash: Promise<string> | undefined;

  constructor(store: DirectoryStore, clock: Clock, cost: ScryptCost) {
    this.store = store;
    this.clock = clock;
    this.cost = cost;
  }

  /**
   * Adds an account. `password` when given must have 15 to 256 characters;
   * otherwise one is generated and returned (show it once).
   */
  async add(
    name: string,
    role: AdminRole,
    options: { password?: string | undefined; actor?: string | undefined } = {},
  ): Promise<{ account: AdminAccount; generatedPassword: string | undefined }> {
    if (!USER_ID_PATTERN.test(name)) {
      throw new DirectoryError(
        'E_INVALID_RECORD',
        `admin name must be letters, digits, '.', '_', '@' or '-' (at most 64), got ${describe(name)}`,
      );
    }
    if (!isAdminRole(role)) {
      throw new DirectoryError('E_INVALID_RECORD', `admin role must be ${ADMIN_ROLES.join(' or ')}, got ${describe(role)}`);
    }
    const password = options.password ?? generatePassword();
    if (password.length < PASSWORD_LENGTH.min || password.length > PASSWORD_LENGTH.max) {
      throw new DirectoryError(
        'E_ADMIN_PASSWORD',
        `the password for admin '${name}' must have ${PASSWORD_LENGTH.min} to ${PASSWORD_LENGTH.max} characters, got ${password.length}`,
      );
    }
    await this.store.read('read the admin accounts', (rows) => refuseExisting(rows, name));
    const hash = await hashPin(password, this.cost);
    const account = await this.store.write('add an admin account', async (tx) => {
      await refuseExisting(tx, name);
      const now = this.clock.now();
      await tx.q.insertInto('admin_accounts').values({ name, role, password_hash: hash, created_at: now }).execute();
      const how = options.password === undefined ? 'generated password' : 'given password';
      await recordAudit(tx, now, adminSubject(name), 'account-added', `role ${role}; ${how}`, options.actor ?? null);
      return toAccount(tx, (await row(tx, name))!, now);
    });
    return { account, generatedPassword: options.password === undefined ? password : undefined };
  }

  /** Deletes an account and ends its web sessions. */
  remove(name: string, actor?: string): Promise<void> {
    return this.store.write('remove an admin account', async (tx) => {
      const account = await requireRow(tx, name);
      await tx.q.deleteFrom('admin_accounts').where('name', '=', name).execute();
      await tx.q.deleteFrom('web_sessions').where('subject_kind', '=', 'admin').where('subject', '=', name).execute();
      await recordAudit(tx, this.clock.now(), adminSubject(name), 'account-removed', `role ${account.role}`, actor ?? null);
    });
  }

  /** Ends a lock and forgets the failed sign-ins. */
  unlock(name: string, actor?: string): Promise<{ wasLocked: boolean }> {
    return this.store.write('unlock an admin account', async (tx) => {
      const account = await requireRow(tx, name);
      const now = this.clock.now();
      const wasLocked = account.locked_until !== null && now < account.locked_until;
      await clearLock(tx, name);
      const detail = wasLocked ? 'was locked' : 'was not locked; failures cleared';
      await recordAudit(tx, now, adminSubject(name), 'account-unlocked', detail, actor ?? null);
      return { wasLocked };
    });
  }

  list(): Promise<AdminAccount[]> {
    return this.store.read('list the admin accounts', async (rows) => {
      const now = this.clock.now();
      const accounts = await rows.q.selectFrom('admin_accounts').selectAll().orderBy('name').execute();
      return Promise.all(accounts.map((account) => toAccount(rows, account, now)));
    });
  }

  get(name: string): Promise<AdminAccount | undefined> {
    return this.store.read('read an admin account', async (rows) => {
      const account = await row(rows, name);
      return account && toAccount(rows, account, this.clock.now());
    });
  }

  async verifySignIn(name: string, password: string): Promise<SignInResult> {
    const account = await this.store.read('read an admin account', (rows) => row(rows, name));
    const now = this.clock.now();
    if (account && isLockedAt(account, now)) return { outcome: 'locked', until: account.locked_until! };
    // Unknown names and over-long passwords cost one scrypt too, so timing tells nothing.
    const fits = password.length <= PASSWORD_LENGTH.max;
    const matches = (await verifyPin(fits ? password : '', account?.password_hash ?? (await this.dummy()))) && fits;
    if (!account) return { outcome: 'rejected', lockedNow: false };
    return this.store.write('record a sign-in', async (tx): Promise<SignInResult> => {
      const at = this.clock.now();
      const current = await row(tx, name);
      // Removed, or re-created with another password, while scrypt ran.
      if (!current || current.password_hash !== account.password_hash) return { outcome: 'rejected', lockedNow: false };
      if (isLockedAt(current, at)) return { outcome: 'locked', until: current.locked_until! };
      if (matches) {
        await clearLock(tx, name);
        return { outcome: 'ok', name, role: current.role };
      }
      // The lock's time is over: the count starts again.
      if (current.locked_until !== null) await clearLock(tx, name);
      await tx.q.deleteFrom('admin_sign_in_failures').where('name', '=', name).where('at', '<=', at - ADMIN_LOCKOUT.windowMs).execute();
      await tx.q.insertInto('admin_sign_in_failures').values({ name, at }).execute();
      if ((await failures(tx, name, at)) < ADMIN_LOCKOUT.maxFailures) return { outcome: 'rejected', lockedNow: false };
      const until = at + ADMIN_LOCKOUT.lockMs;
      await tx.q.updateTable('admin_accounts').set({ locked_until: until }).where('name', '=', name).execute();
      const detail = `${ADMIN_LOCKOUT.maxFailures} failed sign-ins in 15 min; until ${new Date(until).toISOString()}`;
      await recordAudit(tx, at, adminSubject(name), 'account-locked', detail);
      return { outcome: 'rejected', lockedNow: true };
    });
  }

  private dummy(): Promise<string> {
    this.dummyHash ??= hashPin('unused', this.cost);
    return this.dummyHash;
  }
}

function row(store: DirectoryStore, name: string): Promise<AccountRow | undefined> {
  return store.q.selectFrom('admin_accounts').selectAll().where('name', '=', name).executeTakeFirst();
}

async function requireRow(store: DirectoryStore, name: string): Promise<AccountRow> {
  const account = await row(store, name);
  if (!account) throw new DirectoryError('E_UNKNOWN_ADMIN', `no admin account '${name}'`);
  return account;
}

async function refuseExisting(store: DirectoryStore, name: string): Promise<void> {
  if (await row(store, name)) throw new DirectoryError('E_ADMIN_EXISTS', `admin account '${name}' exists already`);
}

async function clearLock(store: DirectoryStore, name: string): Promise<void> {
  await store.q.updateTable('admin_accounts').set({ locked_until: null }).where('name', '=', name).execute();
  await store.q.deleteFrom('admin_sign_in_failures').where('name', '=', name).execute();
}

async function failures(store: DirectoryStore, name: string, nowMs: number): Promise<number> {
  const counted = await store.q
    .selectFrom('admin_sign_in_failures')
    .select((eb) => eb.fn.countAll<number>().as('n'))
    .where('name', '=', name)
    .where('at', '>', nowMs - ADMIN_LOCKOUT.windowMs)
    .executeTakeFirstOrThrow();
  return Number(counted.n);
}

async function toAccount(store: DirectoryStore, account: AccountRow, nowMs: number): Promise<AdminAccount> {
  return {
    name: account.name,
    role: account.role,
    createdAt: account.created_at,
    lockedUntil: isLockedAt(account, nowMs) ? account.locked_until : null,
    recentFailures: await failures(store, account.name, nowMs),
  };
}

function isLockedAt(row: AccountRow, nowMs: number): boolean {
  return row.locked_until !== null && nowMs < row.locked_until;
}

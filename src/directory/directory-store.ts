/**
 * Row-level access to the directory database: users, conferences, settings,
 * PIN and lock rows. Every call goes through `read` or `write`, which turn
 * database failures into DirectoryErrors naming the database; `write` runs
 * its action on a store bound to a write transaction that no other writer
 * interleaves with (see sql/database.ts), so read-modify-write sequences
 * are atomic even across processes sharing the database.
 */
import { DirectoryError } from './errors.ts';
import { windowStartMs, type LockState } from './lockout-rules.ts';
import type { ConferenceRecord, UserRecord } from './records.ts';
import type { EffectivePolicy } from './policy-scope.ts';
import { readGlobalPolicy, userPolicy, writeGlobalPolicy } from './scoped-policies.ts';
import type { PinPolicy, TenantSettings } from './settings.ts';
import type { DirectoryDatabase, Queries } from './sql/database.ts';
import { readFlag } from './sql/schema.ts';

export interface PinRow {
  readonly hash: string;
  readonly setAt: number;
  readonly mustChange: boolean;
}

export interface LockRow extends LockState {
  readonly globalFailures: number;
  readonly lockedAt: number | null;
}

/** How many past PIN hashes are kept per user: the largest historyCount. */
export const KEPT_HISTORY = 20;

const USER_COLUMNS = ['id', 'name', 'email', 'phone', 'extension', 'site'] as const;

export class DirectoryStore {
  readonly database: DirectoryDatabase;
  /** The database, or the write transaction this store is bound to. */
  readonly q: Queries;
  private readonly inTransaction: boolean;

  constructor(database: DirectoryDatabase, q: Queries = database.db, inTransaction = false) {
    this.database = database;
    this.q = q;
    this.inTransaction = inTransaction;
  }

  read<T>(doing: string, action: (store: DirectoryStore) => Promise<T>): Promise<T> {
    return this.database.read(doing, () => action(this));
  }

  write<T>(doing: string, action: (store: DirectoryStore) => Promise<T>): Promise<T> {
    // SQLite has one connection: a transaction inside a transaction would wait for itself.
    if (this.inTransaction) throw new Error(`internal: cannot ${doing} inside another directory write`);
    return this.database.write(doing, (trx) => action(new DirectoryStore(this.database, trx, true)));
  }

  flag(value: boolean): number | boolean {
    return this.database.flag(value);
  }

  async getUser(id: string): Promise<UserRecord | undefined> {
    return this.q.selectFrom('users').select(USER_COLUMNS).where('id', '=', id).executeTakeFirst();
  }

  async requireUser(id: string): Promise<UserRecord> {
    const user = await this.getUser(id);
    if (!user) throw new DirectoryError('E_UNKNOWN_USER', `no user '${id}' in the directory`);
    return user;
  }

  async listUsers(): Promise<UserRecord[]> {
    return this.q.selectFrom('users').select(USER_COLUMNS).orderBy('id').execute();
  }

  async upsertUser(user: UserRecord): Promise<void> {
    const { id, name, email, phone, extension } = user;
    await this.q
      .insertInto('users')
      .values({ id, name, email, phone, extension, site: user.site ?? null })
      .onConflict((conflict) =>
        conflict.column('id').doUpdateSet((eb) => ({
          name: eb.ref('excluded.name'),
          email: eb.ref('excluded.email'),
          phone: eb.ref('excluded.phone'),
          extension: eb.ref('excluded.extension'),
          site: eb.ref('excluded.site'),
        })),
      )
      .execute();
  }

  async getConference(id: string): Promise<ConferenceRecord | undefined> {
    const row = await this.q
      .selectFrom('conferences')
      .select(['id', 'organizer_id', 'allow_anonymous_start'])
      .where('id', '=', id)
      .executeTakeFirst();
    return row && toConference(row);
  }

  async requireConference(id: string): Promise<ConferenceRecord> {
    const conference = await this.getConference(id);
    if (!conference) throw new DirectoryError('E_UNKNOWN_CONFERENCE', `no conference '${id}' in the directory`);
    return conference;
  }

  async listConferences(): Promise<ConferenceRecord[]> {
    const rows = await this.q.selectFrom('conferences').select(['id', 'organizer_id', 'allow_anonymous_start']).orderBy('id').execute();
    return rows.map(toConference);
  }

  /** The ID a conference has now: `id` itself, or the ID that replaced it (conference-ids.ts). */
  async currentConferenceId(id: string): Promise<string> {
    const row = await this.q.selectFrom('retired_conference_ids').select('replaced_by').where('id', '=', id).executeTakeFirst();
    return row?.replaced_by ?? id;
  }

  /** Adds or updates a conference; one given by a retired ID updates the meeting under its new ID. */
  async upsertConference(record: ConferenceRecord): Promise<void> {
    const conference = { ...record, id: await this.currentConferenceId(record.id) };
    await this.requireUser(conference.organizerId);
    const anonymous = conference.allowAnonymousStart === null ? null : this.flag(conference.allowAnonymousStart);
    await this.q
      .insertInto('conferences')
      .values({ id: conference.id, organizer_id: conference.organizerId, allow_anonymous_start: anonymous })
      .onConflict((conflict) =>
        conflict.column('id').doUpdateSet((eb) => ({
          organizer_id: eb.ref('excluded.organizer_id'),
          allow_anonymous_start: eb.ref('excluded.allow_anonymous_start'),
        })),
      )
      .execute();
  }

  async getTenant(): Promise<TenantSettings> {
    const row = await this.q
      .selectFrom('tenant')
      .select(['pin_length', 'allow_anonymous_start', 'send_email_to_user', 'email_override'])
      .where('id', '=', 1)
      .executeTakeFirstOrThrow();
    return {
      pinLength: row.pin_length,
      allowAnonymousStart: readFlag(row.allow_anonymous_start),
      sendEmailToUser: readFlag(row.send_email_to_user),
      emailOverride: row.email_override,
    };
  }

  async saveTenant(tenant: TenantSettings): Promise<void> {
    await this.q
      .updateTable('tenant')
      .set({
        pin_length: tenant.pinLength,
        allow_anonymous_start: this.flag(tenant.allowAnonymousStart),
        send_email_to_user: this.flag(tenant.sendEmailToUser),
        email_override: tenant.emailOverride,
      })
      .where('id', '=', 1)
      .execute();
  }

  /** The global PIN policy. */
  getPolicy(): Promise<PinPolicy> {
    return readGlobalPolicy(this);
  }

  savePolicy(policy: PinPolicy): Promise<void> {
    return writeGlobalPolicy(this, policy);
  }

  /** The policy that applies to the user: the user's own, else the site's, else the global one. */
  async effectivePolicy(userId: string): Promise<EffectivePolicy> {
    return userPolicy(this, userId, (await this.requireUser(userId)).site ?? null);
  }

  async getPin(userId: string): Promise<PinRow | undefined> {
    const row = await this.q.selectFrom('pins').select(['hash', 'set_at', 'must_change']).where('user_id', '=', userId).executeTakeFirst();
    return row && { hash: row.hash, setAt: row.set_at, mustChange: readFlag(row.must_change) };
  }

  async getLock(userId: string): Promise<LockRow> {
    const row = await this.q
      .selectFrom('lockouts')
      .select(['global_failures', 'lock_kind', 'locked_until', 'locked_at'])
      .where('user_id', '=', userId)
      .executeTakeFirst();
    if (!row) return { globalFailures: 0, kind: null, untilMs: null, lockedAt: null };
    return { globalFailures: row.global_failures, kind: row.lock_kind, untilMs: row.locked_until, lockedAt: row.locked_at };
  }

  /** Failures still inside the rolling window at `nowMs`. */
  async windowFailures(userId: string, nowMs: number): Promise<number> {
    const row = await this.q
      .selectFrom('pin_failures')
      .select((eb) => eb.fn.countAll<number>().as('n'))
      .where('user_id', '=', userId)
      .where('at', '>', windowStartMs(nowMs))
      .executeTakeFirstOrThrow();
    return Number(row.n);
  }

  /** Hashes of the user's last `count` PINs, newest first (the current PIN is the newest). */
  async recentHashes(userId: string, count: number): Promise<string[]> {
    if (count <= 0) return [];
    const rows = await this.q
      .selectFrom('pin_history')
      .select('hash')
      .where('user_id', '=', userId)
      .orderBy('id', 'desc')
      .limit(count)
      .execute();
    return rows.map((row) => row.hash);
  }

  async setLock(userId: string, kind: LockState['kind'], untilMs: number | null, atMs: number | null): Promise<void> {
    await this.q
      .insertInto('lockouts')
      .values({ user_id: userId, lock_kind: kind, locked_until: untilMs, locked_at: atMs })
      .onConflict((conflict) =>
        conflict.column('user_id').doUpdateSet((eb) => ({
          lock_kind: eb.ref('excluded.lock_kind'),
          locked_until: eb.ref('excluded.locked_until'),
          locked_at: eb.ref('excluded.locked_at'),
        })),
      )
      .execute();
  }

  /** Forgets the failures in the rolling window (the local count). */
  async clearWindow(userId: string): Promise<void> {
    await this.q.deleteFrom('pin_failures').where('user_id', '=', userId).execute();
  }

  /** Forgets all failures: after a successful logon, a new PIN or an unlock. */
  async clearFailures(userId: string): Promise<void> {
    await this.clearWindow(userId);
    await this.q.updateTable('lockouts').set({ global_failures: 0 }).where('user_id', '=', userId).execute();
  }

  /** Counts one failure; returns the failures in the window and since the last success, this one included. */
  async addFailure(userId: string, nowMs: number): Promise<{ windowFailures: number; consecutiveFailures: number }> {
    await this.q.deleteFrom('pin_failures').where('user_id', '=', userId).where('at', '<=', windowStartMs(nowMs)).execute();
    await this.q.insertInto('pin_failures').values({ user_id: userId, at: nowMs }).execute();
    const row = await this.q
      .insertInto('lockouts')
      .values({ user_id: userId, global_failures: 1 })
      .onConflict((conflict) =>
        conflict.column('user_id').doUpdateSet((eb) => ({ global_failures: eb('lockouts.global_failures', '+', 1) })),
      )
      .returning('global_failures')
      .executeTakeFirstOrThrow();
    return { windowFailures: await this.windowFailures(userId, nowMs), consecutiveFailures: row.global_failures };
  }

  async savePin(userId: string, hash: string, nowMs: number, mustChange: boolean): Promise<void> {
    await this.q
      .insertInto('pins')
      .values({ user_id: userId, hash, set_at: nowMs, must_change: this.flag(mustChange) })
      .onConflict((conflict) =>
        conflict.column('user_id').doUpdateSet((eb) => ({
          hash: eb.ref('excluded.hash'),
          set_at: eb.ref('excluded.set_at'),
          must_change: eb.ref('excluded.must_change'),
        })),
      )
      .execute();
    await this.q.insertInto('pin_history').values({ user_id: userId, hash, set_at: nowMs }).execute();
    await this.q
      .deleteFrom('pin_history')
      .where('user_id', '=', userId)
      .where('id', 'not in', (eb) =>
        eb.selectFrom('pin_history').select('id').where('user_id', '=', userId).orderBy('id', 'desc').limit(KEPT_HISTORY),
      )
      .execute();
  }

  /** Replaces the stored hash only if it is still `expectedHash` (a re-hash racing a PIN change loses). */
  async replaceHash(userId: string, expectedHash: string, newHash: string): Promise<void> {
    await this.q.updateTable('pins').set({ hash: newHash }).where('user_id', '=', userId).where('hash', '=', expectedHash).execute();
    await this.q
      .updateTable('pin_history')
      .set({ hash: newHash })
      .where('user_id', '=', userId)
      .where('hash', '=', expectedHash)
      .execute();
  }

  async deletePin(userId: string): Promise<boolean> {
    const result = await this.q.deleteFrom('pins').where('user_id', '=', userId).executeTakeFirst();
    return result.numDeletedRows > 0n;
  }
}

function toConference(row: { id: string; organizer_id: string; allow_anonymous_start: number | boolean | null }): ConferenceRecord {
  return {
    id: row.id,
    organizerId: row.organizer_id,
    allowAnonymousStart: row.allow_anonymous_start === null ? null : readFlag(row.allow_anonymous_start),
  };
}

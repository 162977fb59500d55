/**
 * Row-level access to the directory database: users, conferences, settings,
 * PIN and lock rows. Every call goes through `read` or `write`, which turn
 * SQLite failures into DirectoryErrors naming the file; `write` runs inside
 * an IMMEDIATE transaction, so read-modify-write sequences are atomic even
 * across processes sharing the file.
 */
import type { Statement } from 'better-sqlite3';
import { toDirectoryError, type Db } from './database.ts';
import { DirectoryError } from './errors.ts';
import { windowStartMs, type LockKind, type LockState } from './lockout-rules.ts';
import type { ConferenceRecord, UserRecord } from './records.ts';
import type { EffectivePolicy } from './policy-scope.ts';
import { readGlobalPolicy, userPolicy, writeGlobalPolicy } from './scoped-policies.ts';
import type { PinPolicy, TenantSettings } from './settings.ts';

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

export class DirectoryStore {
  readonly db: Db;
  readonly file: string;
  private readonly statements = new Map<string, Statement>();

  constructor(db: Db, file: string) {
    this.db = db;
    this.file = file;
  }

  readonly sql = (text: string): Statement => {
    let statement = this.statements.get(text);
    if (!statement) {
      statement = this.db.prepare(text);
      this.statements.set(text, statement);
    }
    return statement;
  };

  read<T>(doing: string, action: () => T): T {
    try {
      return action();
    } catch (error) {
      throw toDirectoryError(error, this.file, doing);
    }
  }

  write<T>(doing: string, action: () => T): T {
    try {
      return this.db.transaction(action).immediate();
    } catch (error) {
      throw toDirectoryError(error, this.file, doing);
    }
  }

  getUser(id: string): UserRecord | undefined {
    return this.sql('SELECT id, name, email, phone, extension, site FROM users WHERE id = ?').get(id) as UserRecord | undefined;
  }

  requireUser(id: string): UserRecord {
    const user = this.getUser(id);
    if (!user) throw new DirectoryError('E_UNKNOWN_USER', `no user '${id}' in the directory`);
    return user;
  }

  listUsers(): UserRecord[] {
    return this.sql('SELECT id, name, email, phone, extension, site FROM users ORDER BY id').all() as UserRecord[];
  }

  upsertUser(user: UserRecord): void {
    this.sql(
      `INSERT INTO users (id, name, email, phone, extension, site) VALUES (:id, :name, :email, :phone, :extension, :site)
       ON CONFLICT (id) DO UPDATE SET name = excluded.name, email = excluded.email, phone = excluded.phone,
         extension = excluded.extension, site = excluded.site`,
    ).run({ id: user.id, name: user.name, email: user.email, phone: user.phone, extension: user.extension, site: user.site ?? null });
  }

  getConference(id: string): ConferenceRecord | undefined {
    const row = this.sql('SELECT id, organizer_id, allow_anonymous_start FROM conferences WHERE id = ?').get(id) as
      | { id: string; organizer_id: string; allow_anonymous_start: number | null }
      | undefined;
    return row && toConference(row);
  }

  requireConference(id: string): ConferenceRecord {
    const conference = this.getConference(id);
    if (!conference) throw new DirectoryError('E_UNKNOWN_CONFERENCE', `no conference '${id}' in the directory`);
    return conference;
  }

  listConferences(): ConferenceRecord[] {
    const rows = this.sql('SELECT id, organizer_id, allow_anonymous_start FROM conferences ORDER BY id').all() as {
      id: string;
      organizer_id: string;
      allow_anonymous_start: number | null;
    }[];
    return rows.map(toConference);
  }

  /** The ID a conference has now: `id` itself, or the ID that replaced it (conference-ids.ts). */
  currentConferenceId(id: string): string {
    const row = this.sql('SELECT replaced_by FROM retired_conference_ids WHERE id = ?').get(id) as { replaced_by: string } | undefined;
    return row?.replaced_by ?? id;
  }

  /** Adds or updates a conference; one given by a retired ID updates the meeting under its new ID. */
  upsertConference(record: ConferenceRecord): void {
    const conference = { ...record, id: this.currentConferenceId(record.id) };
    this.requireUser(conference.organizerId);
    this.sql(
      `INSERT INTO conferences (id, organizer_id, allow_anonymous_start) VALUES (:id, :organizer, :anonymous)
       ON CONFLICT (id) DO UPDATE SET organizer_id = excluded.organizer_id,
         allow_anonymous_start = excluded.allow_anonymous_start`,
    ).run({
      id: conference.id,
      organizer: conference.organizerId,
      anonymous: conference.allowAnonymousStart === null ? null : Number(conference.allowAnonymousStart),
    });
  }

  getTenant(): TenantSettings {
    const row = this.sql(
      'SELECT pin_length, allow_anonymous_start, send_email_to_user, email_override FROM tenant WHERE id = 1',
    ).get() as {
      pin_length: number;
      allow_anonymous_start: number;
      send_email_to_user: number;
      email_override: string | null;
    };
    return {
      pinLength: row.pin_length,
      allowAnonymousStart: row.allow_anonymous_start === 1,
      sendEmailToUser: row.send_email_to_user === 1,
      emailOverride: row.email_override,
    };
  }

  saveTenant(tenant: TenantSettings): void {
    this.sql(
      `UPDATE tenant SET pin_length = ?, allow_anonymous_start = ?, send_email_to_user = ?, email_override = ?
       WHERE id = 1`,
    ).run(tenant.pinLength, Number(tenant.allowAnonymousStart), Number(tenant.sendEmailToUser), tenant.emailOverride);
  }

  /** The global PIN policy. */
  getPolicy(): PinPolicy {
    return readGlobalPolicy(this.sql);
  }

  savePolicy(policy: PinPolicy): void {
    writeGlobalPolicy(this.sql, policy);
  }

  /** The policy that applies to the user: the user's own, else the site's, else the global one. */
  effectivePolicy(userId: string): EffectivePolicy {
    return userPolicy(this.sql, userId, this.requireUser(userId).site ?? null);
  }

  getPin(userId: string): PinRow | undefined {
    const row = this.sql('SELECT hash, set_at, must_change FROM pins WHERE user_id = ?').get(userId) as
      | { hash: string; set_at: number; must_change: number }
      | undefined;
    return row && { hash: row.hash, setAt: row.set_at, mustChange: row.must_change === 1 };
  }

  getLock(userId: string): LockRow {
    const row = this.sql(
      'SELECT global_failures, lock_kind, locked_until, locked_at FROM lockouts WHERE user_id = ?',
    ).get(userId) as
      | { global_failures: number; lock_kind: LockKind | null; locked_until: number | null; locked_at: number | null }
      | undefined;
    if (!row) return { globalFailures: 0, kind: null, untilMs: null, lockedAt: null };
    return { globalFailures: row.global_failures, kind: row.lock_kind, untilMs: row.locked_until, lockedAt: row.locked_at };
  }

  /** Failures still inside the rolling window at `nowMs`. */
  windowFailures(userId: string, nowMs: number): number {
    const row = this.sql('SELECT count(*) AS n FROM pin_failures WHERE user_id = ? AND at > ?').get(
      userId,
      windowStartMs(nowMs),
    ) as { n: number };
    return row.n;
  }

  /** Hashes of the user's last `count` PINs, newest first (the current PIN is the newest). */
  recentHashes(userId: string, count: number): string[] {
    if (count <= 0) return [];
    const rows = this.sql('SELECT hash FROM pin_history WHERE user_id = ? ORDER BY id DESC LIMIT ?').all(userId, count) as {
      hash: string;
    }[];
    return rows.map((row) => row.hash);
  }

  setLock(userId: string, kind: LockKind | null, untilMs: number | null, atMs: number | null): void {
    this.sql(
      `INSERT INTO lockouts (user_id, lock_kind, locked_until, locked_at) VALUES (?, ?, ?, ?)
       ON CONFLICT (user_id) DO UPDATE SET lock_kind = excluded.lock_kind, locked_until = excluded.locked_until,
         locked_at = excluded.locked_at`,
    ).run(userId, kind, untilMs, atMs);
  }

  /** Forgets the failures in the rolling window (the local count). */
  clearWindow(userId: string): void {
    this.sql('DELETE FROM pin_failures WHERE user_id = ?').run(userId);
  }

  /** Forgets all failures: after a successful logon, a new PIN or an unlock. */
  clearFailures(userId: string): void {
    this.clearWindow(userId);
    this.sql('UPDATE lockouts SET global_failures = 0 WHERE user_id = ?').run(userId);
  }

  /** Counts one failure; returns the failures in the window and since the last success, this one included. */
  addFailure(userId: string, nowMs: number): { windowFailures: number; consecutiveFailures: number } {
    this.sql('DELETE FROM pin_failures WHERE user_id = ? AND at <= ?').run(userId, windowStartMs(nowMs));
    this.sql('INSERT INTO pin_failures (user_id, at) VALUES (?, ?)').run(userId, nowMs);
    const row = this.sql(
      `INSERT INTO lockouts (user_id, global_failures) VALUES (?, 1)
       ON CONFLICT (user_id) DO UPDATE SET global_failures = global_failures + 1
       RETURNING global_failures`,
    ).get(userId) as { global_failures: number };
    return { windowFailures: this.windowFailures(userId, nowMs), consecutiveFailures: row.global_failures };
  }

  savePin(userId: string, hash: string, nowMs: number, mustChange: boolean): void {
    this.sql(
      `INSERT INTO pins (user_id, hash, set_at, must_change) VALUES (?, ?, ?, ?)
       ON CONFLICT (user_id) DO UPDATE SET hash = excluded.hash,
         set_at = excluded.set_at, must_change = excluded.must_change`,
    ).run(userId, hash, nowMs, Number(mustChange));
    this.sql('INSERT INTO pin_history (user_id, hash, set_at) VALUES (?, ?, ?)').run(userId, hash, nowMs);
    this.sql(
      `DELETE FROM pin_history WHERE user_id = :user AND id NOT IN
         (SELECT id FROM pin_history WHERE user_id = :user ORDER BY id DESC LIMIT :keep)`,
    ).run({ user: userId, keep: KEPT_HISTORY });
  }

  /** Replaces the stored hash only if it is still `expectedHash` (a re-hash racing a PIN change loses). */
  replaceHash(userId: string, expectedHash: string, newHash: string): void {
    this.sql('UPDATE pins SET hash = ? WHERE user_id = ? AND hash = ?').run(newHash, userId, expectedHash);
    this.sql('UPDATE pin_history SET hash = ? WHERE user_id = ? AND hash = ?').run(newHash, userId, expectedHash);
  }

  deletePin(userId: string): boolean {
    return this.sql('DELETE FROM pins WHERE user_id = ?').run(userId).changes > 0;
  }
}

function toConference(row: { id: string; organizer_id: string; allow_anonymous_start: number | null }): ConferenceRecord {
  return {
    id: row.id,
    organizerId: row.organizer_id,
    allowAnonymousStart: row.allow_anonymous_start === null ? null : row.allow_anonymous_start === 1,
  };
}

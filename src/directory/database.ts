/**
 * The SQLite file behind the directory: opening it, its schema and
 * migrations, and turning SQLite failures into DirectoryErrors that name
 * the file. WAL mode lets the CLI read while a server writes, and makes a
 * crashed process lose nothing it committed.
 */
import { accessSync, constants, existsSync } from 'node:fs';
import Database from 'better-sqlite3';
import { DialinError } from '../errors.ts';
import { DirectoryError } from './errors.ts';
import { DEFAULT_POLICY, DEFAULT_TENANT } from './settings.ts';

export type Db = Database.Database;

export interface OpenOptions {
  /** Open without write access: reads work, every write fails with E_DB_READONLY. */
  readonly readonly?: boolean;
  /** How long a write waits for another process's transaction, in ms. */
  readonly busyTimeoutMs?: number;
}

/**
 * Each entry moves the schema one version up (PRAGMA user_version). Never
 * edit a released entry; append a new one. Exported so that tests can build
 * a database of an earlier version.
 */
export const MIGRATIONS: readonly string[] = [
  `
  CREATE TABLE users (
    id TEXT PRIMARY KEY,
    name TEXT NOT NULL,
    email TEXT NOT NULL,
    phone TEXT,
    extension TEXT
  ) STRICT;
  CREATE TABLE conferences (
    id TEXT PRIMARY KEY,
    organizer_id TEXT NOT NULL REFERENCES users(id),
    -- NULL: the tenant's allowAnonymousStart applies
    allow_anonymous_start INTEGER CHECK (allow_anonymous_start IN (0, 1))
  ) STRICT;
  CREATE TABLE tenant (
    id INTEGER PRIMARY KEY CHECK (id = 1),
    pin_length INTEGER NOT NULL CHECK (pin_length BETWEEN 4 AND 12),
    allow_anonymous_start INTEGER NOT NULL CHECK (allow_anonymous_start IN (0, 1)),
    send_email_to_user INTEGER NOT NULL CHECK (send_email_to_user IN (0, 1)),
    email_override TEXT
  ) STRICT;
  CREATE TABLE pin_policy (
    id INTEGER PRIMARY KEY CHECK (id = 1),
    min_length INTEGER NOT NULL CHECK (min_length BETWEEN 4 AND 24),
    history_count INTEGER NOT NULL CHECK (history_count BETWEEN 0 AND 20),
    lifetime_days INTEGER NOT NULL CHECK (lifetime_days BETWEEN 0 AND 999),
    allow_common_patterns INTEGER NOT NULL CHECK (allow_common_patterns IN (0, 1)),
    -- both NULL: limits follow the PIN length
    max_logon_local INTEGER CHECK (max_logon_local >= 1),
    max_logon_global INTEGER CHECK (max_logon_global >= 1),
    -- NULL: off
    logon_failures_before_pin_reset INTEGER CHECK (logon_failures_before_pin_reset >= 1)
  ) STRICT;
  CREATE TABLE pins (
    user_id TEXT PRIMARY KEY REFERENCES users(id) ON DELETE CASCADE,
    hash TEXT NOT NULL,
    -- kept for the automatic lockout limits, which depend on the PIN length
    pin_length INTEGER NOT NULL,
    set_at INTEGER NOT NULL,
    must_change INTEGER NOT NULL DEFAULT 0 CHECK (must_change IN (0, 1))
  ) STRICT;
  CREATE TABLE pin_history (
    id INTEGER PRIMARY KEY,
    user_id TEXT NOT NULL REFERENCES users(id) ON DELETE CASCADE,
    hash TEXT NOT NULL,
    set_at INTEGER NOT NULL
  ) STRICT;
  CREATE INDEX pin_history_user ON pin_history (user_id, id);
  CREATE TABLE lockouts (
    user_id TEXT PRIMARY KEY REFERENCES users(id) ON DELETE CASCADE,
    global_failures INTEGER NOT NULL DEFAULT 0,
    lock_kind TEXT CHECK (lock_kind IN ('local', 'global', 'admin')),
    locked_until INTEGER,
    locked_at INTEGER
  ) STRICT;
  CREATE TABLE pin_failures (
    id INTEGER PRIMARY KEY,
    user_id TEXT NOT NULL REFERENCES users(id) ON DELETE CASCADE,
    at INTEGER NOT NULL
  ) STRICT;
  CREATE INDEX pin_failures_user_at ON pin_failures (user_id, at);
  CREATE TABLE audit_log (
    id INTEGER PRIMARY KEY,
    at INTEGER NOT NULL,
    user_id TEXT NOT NULL,
    event TEXT NOT NULL,
    detail TEXT NOT NULL
  ) STRICT;
  CREATE INDEX audit_log_user ON audit_log (user_id, id);
  CREATE TABLE outbox (
    id INTEGER PRIMARY KEY,
    at INTEGER NOT NULL,
    user_id TEXT NOT NULL,
    to_address TEXT NOT NULL,
    subject TEXT NOT NULL,
    body TEXT NOT NULL
  ) STRICT;
  `,
  // Each PIN's length told anyone with the file how large its search space
  // is. The policy checks the length when a PIN is set; the automatic
  // lockout limits follow the policy's minimum length.
  `
  ALTER TABLE pins DROP COLUMN pin_length;
  `,
  // Admin accounts, web sessions and one-time sign-in links for the admin
  // center and the self-service page; who did what in the audit log; and
  // conference IDs that were replaced, so a deployment file applied again
  // does not bring a retired ID back. Only hashes of tokens are stored.
  `
  CREATE TABLE admin_accounts (
    name TEXT PRIMARY KEY,
    role TEXT NOT NULL CHECK (role IN ('user-admin', 'admin')),
    password_hash TEXT NOT NULL,
    created_at INTEGER NOT NULL,
    -- end of a lock after too many failed sign-ins; NULL: not locked
    locked_until INTEGER
  ) STRICT;
  CREATE TABLE admin_sign_in_failures (
    id INTEGER PRIMARY KEY,
    name TEXT NOT NULL REFERENCES admin_accounts(name) ON DELETE CASCADE,
    at INTEGER NOT NULL
  ) STRICT;
  CREATE INDEX admin_sign_in_failures_name_at ON admin_sign_in_failures (name, at);
  CREATE TABLE web_sessions (
    token_hash TEXT PRIMARY KEY,
    subject_kind TEXT NOT NULL CHECK (subject_kind IN ('admin', 'user')),
    subject TEXT NOT NULL,
    csrf_token TEXT NOT NULL,
    created_at INTEGER NOT NULL,
    last_seen_at INTEGER NOT NULL
  ) STRICT;
  CREATE INDEX web_sessions_subject ON web_sessions (subject_kind, subject);
  CREATE TABLE sign_in_links (
    token_hash TEXT PRIMARY KEY,
    user_id TEXT NOT NULL REFERENCES users(id) ON DELETE CASCADE,
    created_at INTEGER NOT NULL,
    expires_at INTEGER NOT NULL,
    used_at INTEGER
  ) STRICT;
  CREATE INDEX sign_in_links_user ON sign_in_links (user_id, expires_at);
  CREATE TABLE retired_conference_ids (
    id TEXT PRIMARY KEY,
    replaced_by TEXT NOT NULL,
    retired_at INTEGER NOT NULL
  ) STRICT;
  -- NULL: automatic (a failed PIN, a lock after failures) or written before actors were recorded
  ALTER TABLE audit_log ADD COLUMN actor TEXT;
  `,
  // PIN mail leaves the database: it is delivered (SMTP, or .eml files in
  // the mail folder), so the file holds no PIN in clear. Dropping the table
  // with secure_delete on overwrites its pages; mail queued by an older
  // version is gone with it. Users may belong to a site, and a site or a
  // user may have its own PIN policy (a whole one, as Skype for Business
  // Server's site and per-user PIN policies are) in place of the global one.
  `
  DROP TABLE outbox;
  ALTER TABLE users ADD COLUMN site TEXT;
  CREATE TABLE scoped_pin_policies (
    scope TEXT NOT NULL CHECK (scope IN ('site', 'user')),
    -- the site's name, or the user's id
    name TEXT NOT NULL,
    min_length INTEGER NOT NULL CHECK (min_length BETWEEN 4 AND 24),
    history_count INTEGER NOT NULL CHECK (history_count BETWEEN 0 AND 20),
    lifetime_days INTEGER NOT NULL CHECK (lifetime_days BETWEEN 0 AND 999),
    allow_common_patterns INTEGER NOT NULL CHECK (allow_common_patterns IN (0, 1)),
    max_logon_local INTEGER CHECK (max_logon_local >= 1),
    max_logon_global INTEGER CHECK (max_logon_global >= 1),
    logon_failures_before_pin_reset INTEGER CHECK (logon_failures_before_pin_reset >= 1),
    PRIMARY KEY (scope, name)
  ) STRICT;
  CREATE TRIGGER users_delete_policy AFTER DELETE ON users BEGIN
    DELETE FROM scoped_pin_policies WHERE scope = 'user' AND name = OLD.id;
  END;
  `,
];

export const SCHEMA_VERSION = MIGRATIONS.length;

function label(file: string): string {
  return file === ':memory:' ? 'the in-memory database' : file;
}

/**
 * Maps a SQLite (or better-sqlite3) failure to a DirectoryError naming the
 * file and what was being done; errors of ours pass through unchanged.
 */
export function toDirectoryError(error: unknown, file: string, doing: string): DialinError {
  if (error instanceof DialinError) return error;
  const code = String((error as { code?: unknown }).code ?? '');
  const message = (error as Error).message ?? String(error);
  const where = label(file);
  if (code === 'SQLITE_NOTADB' || code.startsWith('SQLITE_CORRUPT')) {
    return new DirectoryError('E_DB_CORRUPT', `${where} is not a valid dialin-sim database (${message})`, { cause: error });
  }
  if (code === 'SQLITE_READONLY_DIRECTORY') {
    return new DirectoryError(
      'E_DB_READONLY',
      `cannot ${doing}: ${where} is in a read-only directory, where SQLite cannot create its -shm and -wal files`,
      { cause: error },
    );
  }
  if (code.startsWith('SQLITE_READONLY')) {
    return new DirectoryError('E_DB_READONLY', `${where} is read-only: cannot ${doing}`, { cause: error });
  }
  if (code.startsWith('SQLITE_CANTOPEN') || code.startsWith('SQLITE_PERM') || code.startsWith('SQLITE_AUTH')) {
    return new DirectoryError('E_DB_OPEN', `cannot open ${where}: ${message}`, { cause: error });
  }
  if (code.startsWith('SQLITE_BUSY') || code.startsWith('SQLITE_LOCKED')) {
    return new DirectoryError('E_DB_BUSY', `${where} is busy (another process holds it): cannot ${doing}`, { cause: error });
  }
  if (error instanceof TypeError && /directory does not exist/.test(message)) {
    return new DirectoryError('E_DB_OPEN', `cannot open ${where}: its directory does not exist`, { cause: error });
  }
  return new DirectoryError('E_DB', `${where}: cannot ${doing}: ${message}`, { cause: error });
}

function migrate(db: Db, file: string, readonly: boolean): void {
  const version = db.pragma('user_version', { simple: true }) as number;
  if (version > SCHEMA_VERSION) {
    throw new DirectoryError(
      'E_DB_VERSION',
      `${label(file)} has schema version ${version}; this dialin-sim knows versions up to ${SCHEMA_VERSION}`,
    );
  }
  if (version === SCHEMA_VERSION) return;
  if (readonly) {
    throw new DirectoryError(
      'E_DB_READONLY',
      `${label(file)} is read-only and needs its schema created or upgraded ` +
        `(version ${version} -> ${SCHEMA_VERSION}); open it once for writing`,
    );
  }
  const upgrade = db.transaction(() => {
    for (let next = version; next < SCHEMA_VERSION; next++) db.exec(MIGRATIONS[next]!);
    const tenant = DEFAULT_TENANT;
    db.prepare(
      `INSERT OR IGNORE INTO tenant (id, pin_length, allow_anonymous_start, send_email_to_user) VALUES (1, ?, ?, ?)`,
    ).run(tenant.pinLength, Number(tenant.allowAnonymousStart), Number(tenant.sendEmailToUser));
    const policy = DEFAULT_POLICY;
    db.prepare(
      `INSERT OR IGNORE INTO pin_policy (id, min_length, history_count, lifetime_days, allow_common_patterns)
       VALUES (1, ?, ?, ?, ?)`,
    ).run(policy.minLength, policy.historyCount, policy.lifetimeDays, Number(policy.allowCommonPatterns));
    db.pragma(`user_version = ${SCHEMA_VERSION}`);
  });
  upgrade.immediate();
  // The pages an upgrade overwrote (the old outbox) are zeroed in the WAL
  // only; copying them into the file now, and emptying the WAL, leaves the
  // old content in neither.
  db.pragma('wal_checkpoint(TRUNCATE)');
}

/** An existing file this process may not write to (by permissions; root may write anything). */
function isWriteProtected(file: string): boolean {
  if (file === ':memory:' || file === '' || !existsSync(file)) return false;
  try {
    accessSync(file, constants.W_OK);
    return false;
  } catch {
    return true;
  }
}

/**
 * Opens (creating if needed) and migrates the database at `file` (`:memory:`
 * for a private one). A file the process may not write to is opened
 * read-only, so reads still work and writes fail with E_DB_READONLY.
 */
export function openDatabase(file: string, options: OpenOptions = {}): Db {
  const readonly = (options.readonly ?? false) || isWriteProtected(file);
  let db: Db;
  try {
    db = new Database(file, { readonly, fileMustExist: readonly, timeout: options.busyTimeoutMs ?? 5000 });
  } catch (error) {
    throw toDirectoryError(error, file, 'open it');
  }
  try {
    // Deleted rows (replaced hashes, the outbox of older versions) are overwritten, not left in free pages.
    db.pragma('secure_delete = ON');
    db.pragma('foreign_keys = ON');
    if (!readonly) db.pragma('journal_mode = WAL');
    migrate(db, file, readonly);
    // A first real read surfaces a damaged file now rather than in the middle of a call.
    db.prepare('SELECT count(*) FROM tenant').get();
    return db;
  } catch (error) {
    db.close();
    throw toDirectoryError(error, file, 'open it');
  }
}

/**
 * The directory's schema, as one list of steps for both dialects. Each
 * step moves the schema one version up; never edit a released step, append
 * a new one. A step is written once with Kysely's schema builder; `ColumnKinds`
 * names the few types the dialects spell differently (and the dialect, for
 * the rare statement written twice).
 */
import { sql, type ColumnDefinitionBuilder, type CreateTableBuilder, type Kysely } from 'kysely';

export type Dialect = 'sqlite' | 'postgres';

type ColumnBuild = (column: ColumnDefinitionBuilder) => ColumnDefinitionBuilder;

/** How each dialect spells the types that differ. */
export interface ColumnKinds {
  readonly dialect: Dialect;
  /** INTEGER 0/1 with a CHECK in SQLite (no boolean type), boolean in PostgreSQL. */
  readonly flag: 'integer' | 'boolean';
  /** ms since the epoch: INTEGER in SQLite (64-bit), bigint in PostgreSQL (integer is 32-bit). */
  readonly ms: 'integer' | 'bigint';
  /** A generated row id: SQLite's INTEGER PRIMARY KEY is the rowid, PostgreSQL needs an identity column. */
  readonly serial: 'integer' | 'bigint';
  serialKey: ColumnBuild;
  /** The CHECK that keeps an SQLite flag 0 or 1; nothing in PostgreSQL, whose boolean allows only those. */
  flagCheck(column: string): ColumnBuild;
  /** A flag's literal default. */
  flagDefault(value: boolean): ColumnBuild;
  /** STRICT tables in SQLite, so a value of the wrong type is an error, as it is in PostgreSQL. */
  table<T extends CreateTableBuilder<string, string>>(builder: T): T;
}

export function columnKinds(dialect: Dialect): ColumnKinds {
  if (dialect === 'sqlite') {
    return {
      dialect,
      flag: 'integer',
      ms: 'integer',
      serial: 'integer',
      serialKey: (column) => column.primaryKey(),
      flagCheck: (name) => (column) => column.check(sql`${sql.ref(name)} IN (0, 1)`),
      flagDefault: (value) => (column) => column.defaultTo(Number(value)),
      table: (builder) => builder.modifyEnd(sql`strict`) as typeof builder,
    };
  }
  return {
    dialect,
    flag: 'boolean',
    ms: 'bigint',
    serial: 'bigint',
    serialKey: (column) => column.primaryKey().generatedByDefaultAsIdentity(),
    flagCheck: () => (column) => column,
    flagDefault: (value) => (column) => column.defaultTo(value),
    table: (builder) => builder,
  };
}

export type Migration = (db: Kysely<any>, kinds: ColumnKinds) => Promise<void>;

const notNull: ColumnBuild = (column) => column.notNull();

export const MIGRATIONS: readonly Migration[] = [
  async (db, k) => {
    await k
      .table(db.schema.createTable('users'))
      .addColumn('id', 'text', (c) => c.primaryKey())
      .addColumn('name', 'text', notNull)
      .addColumn('email', 'text', notNull)
      .addColumn('phone', 'text')
      .addColumn('extension', 'text')
      .execute();
    await k
      .table(db.schema.createTable('conferences'))
      .addColumn('id', 'text', (c) => c.primaryKey())
      .addColumn('organizer_id', 'text', (c) => c.notNull().references('users.id'))
      // NULL: the tenant's allowAnonymousStart applies
      .addColumn('allow_anonymous_start', k.flag, k.flagCheck('allow_anonymous_start'))
      .execute();
    await k
      .table(db.schema.createTable('tenant'))
      .addColumn('id', 'integer', (c) => c.primaryKey().check(sql`id = 1`))
      .addColumn('pin_length', 'integer', (c) => c.notNull().check(sql`pin_length BETWEEN 4 AND 12`))
      .addColumn('allow_anonymous_start', k.flag, (c) => k.flagCheck('allow_anonymous_start')(c.notNull()))
      .addColumn('send_email_to_user', k.flag, (c) => k.flagCheck('send_email_to_user')(c.notNull()))
      .addColumn('email_override', 'text')
      .execute();
    await k
      .table(db.schema.createTable('pin_policy'))
      .addColumn('id', 'integer', (c) => c.primaryKey().check(sql`id = 1`))
      .addColumn('min_length', 'integer', (c) => c.notNull().check(sql`min_length BETWEEN 4 AND 24`))
      .addColumn('history_count', 'integer', (c) => c.notNull().check(sql`history_count BETWEEN 0 AND 20`))
      .addColumn('lifetime_days', 'integer', (c) => c.notNull().check(sql`lifetime_days BETWEEN 0 AND 999`))
      .addColumn('allow_common_patterns', k.flag, (c) => k.flagCheck('allow_common_patterns')(c.notNull()))
      // both NULL: limits follow the PIN length
      .addColumn('max_logon_local', 'integer', (c) => c.check(sql`max_logon_local >= 1`))
      .addColumn('max_logon_global', 'integer', (c) => c.check(sql`max_logon_global >= 1`))
      // NULL: off
      .addColumn('logon_failures_before_pin_reset', 'integer', (c) => c.check(sql`logon_failures_before_pin_reset >= 1`))
      .execute();
    await k
      .table(db.schema.createTable('pins'))
      .addColumn('user_id', 'text', (c) => c.primaryKey().references('users.id').onDelete('cascade'))
      .addColumn('hash', 'text', notNull)
      // kept for the automatic lockout limits, which depend on the PIN length
      .addColumn('pin_length', 'integer', notNull)
      .addColumn('set_at', k.ms, notNull)
      .addColumn('must_change', k.flag, (c) => k.flagCheck('must_change')(k.flagDefault(false)(c.notNull())))
      .execute();
    await k
      .table(db.schema.createTable('pin_history'))
      .addColumn('id', k.serial, k.serialKey)
      .addColumn('user_id', 'text', (c) => c.notNull().references('users.id').onDelete('cascade'))
      .addColumn('hash', 'text', notNull)
      .addColumn('set_at', k.ms, notNull)
      .execute();
    await db.schema.createIndex('pin_history_user').on('pin_history').columns(['user_id', 'id']).execute();
    await k
      .table(db.schema.createTable('lockouts'))
      .addColumn('user_id', 'text', (c) => c.primaryKey().references('users.id').onDelete('cascade'))
      .addColumn('global_failures', 'integer', (c) => c.notNull().defaultTo(0))
      .addColumn('lock_kind', 'text', (c) => c.check(sql`lock_kind IN ('local', 'global', 'admin')`))
      .addColumn('locked_until', k.ms)
      .addColumn('locked_at', k.ms)
      .execute();
    await k
      .table(db.schema.createTable('pin_failures'))
      .addColumn('id', k.serial, k.serialKey)
      .addColumn('user_id', 'text', (c) => c.notNull().references('users.id').onDelete('cascade'))
      .addColumn('at', k.ms, notNull)
      .execute();
    await db.schema.createIndex('pin_failures_user_at').on('pin_failures').columns(['user_id', 'at']).execute();
    await k
      .table(db.schema.createTable('audit_log'))
      .addColumn('id', k.serial, k.serialKey)
      .addColumn('at', k.ms, notNull)
      .addColumn('user_id', 'text', notNull)
      .addColumn('event', 'text', notNull)
      .addColumn('detail', 'text', notNull)
      .execute();
    await db.schema.createIndex('audit_log_user').on('audit_log').columns(['user_id', 'id']).execute();
    await k
      .table(db.schema.createTable('outbox'))
      .addColumn('id', k.serial, k.serialKey)
      .addColumn('at', k.ms, notNull)
      .addColumn('user_id', 'text', notNull)
      .addColumn('to_address', 'text', notNull)
      .addColumn('subject', 'text', notNull)
      .addColumn('body', 'text', notNull)
      .execute();
  },
  // Each PIN's length told anyone with the database how large its search
  // space is. The policy checks the length when a PIN is set; the automatic
  // lockout limits follow the policy's minimum length.
  async (db) => {
    await db.schema.alterTable('pins').dropColumn('pin_length').execute();
  },
  // Admin accounts, web sessions and one-time sign-in links for the admin
  // center and the self-service page; who did what in the audit log; and
  // conference IDs that were replaced, so a deployment file applied again
  // does not bring a retired ID back. Only hashes of tokens are stored.
  async (db, k) => {
    await k
      .table(db.schema.createTable('admin_accounts'))
      .addColumn('name', 'text', (c) => c.primaryKey())
      .addColumn('role', 'text', (c) => c.notNull().check(sql`role IN ('user-admin', 'admin')`))
      .addColumn('password_hash', 'text', notNull)
      .addColumn('created_at', k.ms, notNull)
      // end of a lock after too many failed sign-ins; NULL: not locked
      .addColumn('locked_until', k.ms)
      .execute();
    await k
      .table(db.schema.createTable('admin_sign_in_failures'))
      .addColumn('id', k.serial, k.serialKey)
      .addColumn('name', 'text', (c) => c.notNull().references('admin_accounts.name').onDelete('cascade'))
      .addColumn('at', k.ms, notNull)
      .execute();
    await db.schema.createIndex('admin_sign_in_failures_name_at').on('admin_sign_in_failures').columns(['name', 'at']).execute();
    await k
      .table(db.schema.createTable('web_sessions'))
      .addColumn('token_hash', 'text', (c) => c.primaryKey())
      .addColumn('subject_kind', 'text', (c) => c.notNull().check(sql`subject_kind IN ('admin', 'user')`))
      .addColumn('subject', 'text', notNull)
      .addColumn('csrf_token', 'text', notNull)
      .addColumn('created_at', k.ms, notNull)
      .addColumn('last_seen_at', k.ms, notNull)
      .execute();
    await db.schema.createIndex('web_sessions_subject').on('web_sessions').columns(['subject_kind', 'subject']).execute();
    await k
      .table(db.schema.createTable('sign_in_links'))
      .addColumn('token_hash', 'text', (c) => c.primaryKey())
      .addColumn('user_id', 'text', (c) => c.notNull().references('users.id').onDelete('cascade'))
      .addColumn('created_at', k.ms, notNull)
      .addColumn('expires_at', k.ms, notNull)
      .addColumn('used_at', k.ms)
      .execute();
    await db.schema.createIndex('sign_in_links_user').on('sign_in_links').columns(['user_id', 'expires_at']).execute();
    await k
      .table(db.schema.createTable('retired_conference_ids'))
      .addColumn('id', 'text', (c) => c.primaryKey())
      .addColumn('replaced_by', 'text', notNull)
      .addColumn('retired_at', k.ms, notNull)
      .execute();
    // NULL: automatic (a failed PIN, a lock after failures) or written before actors were recorded
    await db.schema.alterTable('audit_log').addColumn('actor', 'text').execute();
  },
  // PIN mail leaves the database: it is delivered (SMTP, or .eml files in
  // the mail folder), so the database holds no PIN in clear. Dropping the
  // table with SQLite's secure_delete on overwrites its pages; mail queued by
  // an older version is gone with it. Users may belong to a site, and a site
  // or a user may have its own PIN policy (a whole one, as Skype for Business
  // Server's site and per-user PIN policies are) in place of the global one.
  async (db, k) => {
    await db.schema.dropTable('outbox').execute();
    await db.schema.alterTable('users').addColumn('site', 'text').execute();
    await k
      .table(db.schema.createTable('scoped_pin_policies'))
      .addColumn('scope', 'text', (c) => c.notNull().check(sql`scope IN ('site', 'user')`))
      // the site's name, or the user's id
      .addColumn('name', 'text', notNull)
      .addColumn('min_length', 'integer', (c) => c.notNull().check(sql`min_length BETWEEN 4 AND 24`))
      .addColumn('history_count', 'integer', (c) => c.notNull().check(sql`history_count BETWEEN 0 AND 20`))
      .addColumn('lifetime_days', 'integer', (c) => c.notNull().check(sql`lifetime_days BETWEEN 0 AND 999`))
      .addColumn('allow_common_patterns', k.flag, (c) => k.flagCheck('allow_common_patterns')(c.notNull()))
      .addColumn('max_logon_local', 'integer', (c) => c.check(sql`max_logon_local >= 1`))
      .addColumn('max_logon_global', 'integer', (c) => c.check(sql`max_logon_global >= 1`))
      .addColumn('logon_failures_before_pin_reset', 'integer', (c) => c.check(sql`logon_failures_before_pin_reset >= 1`))
      .addPrimaryKeyConstraint('scoped_pin_policies_key', ['scope', 'name'])
      .execute();
    // A user's own policy goes with the user. Trigger syntax differs: SQLite
    // runs the statements in the trigger, PostgreSQL calls a function.
    if (k.dialect === 'sqlite') {
      await sql`CREATE TRIGGER users_delete_policy AFTER DELETE ON users BEGIN
        DELETE FROM scoped_pin_policies WHERE scope = 'user' AND name = OLD.id;
      END`.execute(db);
    } else {
      await sql`CREATE FUNCTION users_delete_policy() RETURNS trigger LANGUAGE plpgsql AS $$
        BEGIN
          DELETE FROM scoped_pin_policies WHERE scope = 'user' AND name = OLD.id;
          RETURN OLD;
        END $$`.execute(db);
      await sql`CREATE TRIGGER users_delete_policy AFTER DELETE ON users
        FOR EACH ROW EXECUTE FUNCTION users_delete_policy()`.execute(db);
    }
  },
];

export const SCHEMA_VERSION = MIGRATIONS.length;

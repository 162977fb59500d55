/**
 * The database behind the directory, SQLite or PostgreSQL, through one
 * query layer (Kysely): opening it, bringing its schema up to date, and
 * the read and write wrappers every query goes through.
 *
 * SQLite (better-sqlite3): WAL mode lets the CLI read while a server
 * writes, and makes a crashed process lose nothing it committed. Writes run
 * in BEGIN IMMEDIATE transactions, so a read-modify-write never interleaves
 * with another process's. PostgreSQL (node-postgres pool): every write
 * transaction first takes one transaction-level advisory lock, which gives
 * the same guarantee across every node sharing the database; reads run
 * outside transactions and see what was committed.
 */
import { accessSync, constants, existsSync } from 'node:fs';
import Database from 'better-sqlite3';
import {
  CompiledQuery,
  Kysely,
  PostgresDialect,
  SqliteAdapter,
  SqliteDriver,
  SqliteIntrospector,
  SqliteQueryCompiler,
  sql,
  type DatabaseConnection,
  type Dialect as KyselyDialect,
  type Transaction,
} from 'kysely';
import pg from 'pg';
import type { DialinError } from '../../errors.ts';
import { DirectoryError } from '../errors.ts';
import { DEFAULT_POLICY, DEFAULT_TENANT } from '../settings.ts';
import { toDirectoryError } from './db-errors.ts';
import { parseDbTarget, type DbTarget } from './db-target.ts';
import { columnKinds, MIGRATIONS, SCHEMA_VERSION, type Dialect } from './migrations.ts';
import type { DirectorySchema } from './schema.ts';

export { SCHEMA_VERSION };

/** The directory's tables, on the database or inside a write transaction. */
export type Queries = Kysely<DirectorySchema>;

export interface OpenOptions {
  /** Open without write access: reads work, every write fails with E_DB_READONLY. */
  readonly readonly?: boolean | undefined;
  /** How long a write waits for another process's transaction, in ms. */
  readonly busyTimeoutMs?: number | undefined;
  /** E_DB_MISSING instead of creating a directory where there is none yet. */
  readonly mustExist?: boolean | undefined;
}

const DEFAULT_BUSY_TIMEOUT_MS = 5000;
/** The advisory lock key every PostgreSQL write transaction holds: 'dial' in ASCII. */
const WRITE_LOCK_KEY = 0x6469616c;
/** The advisory lock a PostgreSQL node holds while it checks and migrates the schema: 'dimg'. */
const MIGRATION_LOCK_KEY = 0x64696d67;
/** Connections per process; calls share them (a verification holds one for a few statements). */
const POOL_SIZE = 10;

export class DirectoryDatabase {
  readonly db: Queries;
  readonly target: DbTarget;
  readonly dialect: Dialect;
  /** Names the database in messages: the file, or the server and database without the password. */
  readonly label: string;
  /** Opened without write access: every write fails with E_DB_READONLY. */
  readonly readonly: boolean;

  constructor(db: Queries, target: DbTarget, readonly: boolean) {
    this.db = db;
    this.target = target;
    this.dialect = target.dialect;
    this.label = target.label;
    this.readonly = readonly;
  }

  /** A flag as the dialect stores it: better-sqlite3 binds no booleans. */
  flag(value: boolean): number | boolean {
    return this.dialect === 'sqlite' ? Number(value) : value;
  }

  error(error: unknown, doing: string): DialinError {
    return toDirectoryError(error, this.dialect, this.label, doing);
  }

  async read<T>(doing: string, action: (db: Queries) => Promise<T>): Promise<T> {
    try {
      return await action(this.db);
    } catch (error) {
      throw this.error(error, doing);
    }
  }

  /** Runs `action` in a write transaction that no other writer interleaves with (see the file header). */
  async write<T>(doing: string, action: (trx: Transaction<DirectorySchema>) => Promise<T>): Promise<T> {
    try {
      return await this.db.transaction().execute(async (trx) => {
        if (this.dialect === 'postgres') await sql`SELECT pg_advisory_xact_lock(${WRITE_LOCK_KEY})`.execute(trx);
        return action(trx);
      });
    } catch (error) {
      throw this.error(error, doing);
    }
  }

  /**
   * Runs a schema change in a transaction no other node's schema change
   * overlaps. SQLite: a write transaction. PostgreSQL: a session advisory
   * lock taken before the transaction begins, so the transaction starts
   * after the previous holder committed and sees its tables (a catalog
   * lookup inside an already running transaction may not).
   */
  async migration<T>(doing: string, action: (trx: Transaction<DirectorySchema>) => Promise<T>): Promise<T> {
    if (this.dialect === 'sqlite') return this.write(doing, action);
    try {
      return await this.db.connection().execute(async (connection) => {
        await sql`SELECT pg_advisory_lock(${MIGRATION_LOCK_KEY})`.execute(connection);
        try {
          return await connection.transaction().execute(action);
        } finally {
          await sql`SELECT pg_advisory_unlock(${MIGRATION_LOCK_KEY})`.execute(connection);
        }
      });
    } catch (error) {
      throw this.error(error, doing);
    }
  }

  close(): Promise<void> {
    return this.db.destroy();
  }
}

/** better-sqlite3 behind Kysely, with writes in BEGIN IMMEDIATE transactions (Kysely's default is a deferred BEGIN). */
class ImmediateSqliteDriver extends SqliteDriver {
  override async beginTransaction(connection: DatabaseConnection): Promise<void> {
    await connection.executeQuery(CompiledQuery.raw('begin immediate'));
  }
}

function sqliteDialect(database: Database.Database): KyselyDialect {
  return {
    createAdapter: () => new SqliteAdapter(),
    createDriver: () => new ImmediateSqliteDriver({ database }),
    createIntrospector: (db) => new SqliteIntrospector(db),
    createQueryCompiler: () => new SqliteQueryCompiler(),
  };
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

function openSqlite(target: DbTarget & { dialect: 'sqlite' }, options: OpenOptions): DirectoryDatabase {
  const { file, label } = target;
  if (options.mustExist && file !== ':memory:' && !existsSync(file)) {
    throw new DirectoryError('E_DB_MISSING', `no directory at ${file}`);
  }
  const readonly = (options.readonly ?? false) || isWriteProtected(file);
  let sqlite: Database.Database;
  try {
    sqlite = new Database(file, { readonly, fileMustExist: readonly, timeout: options.busyTimeoutMs ?? DEFAULT_BUSY_TIMEOUT_MS });
  } catch (error) {
    throw toDirectoryError(error, 'sqlite', label, 'open it');
  }
  try {
    // Deleted rows (old outbox mails, replaced hashes) are overwritten, not left in free pages.
    sqlite.pragma('secure_delete = ON');
    sqlite.pragma('foreign_keys = ON');
    if (!readonly) sqlite.pragma('journal_mode = WAL');
  } catch (error) {
    sqlite.close();
    throw toDirectoryError(error, 'sqlite', label, 'open it');
  }
  return new DirectoryDatabase(new Kysely({ dialect: sqliteDialect(sqlite) }), target, readonly);
}

/** bigint (int8) columns and counts as numbers: times in ms and row ids stay far below 2^53. */
const PG_TYPES: pg.CustomTypesConfig = {
  getTypeParser: ((oid: number, format?: 'text' | 'binary') =>
    oid === pg.types.builtins.INT8 ? (value: string) => Number(value) : pg.types.getTypeParser(oid, format)) as pg.CustomTypesConfig['getTypeParser'],
};

function openPostgres(target: DbTarget & { dialect: 'postgres' }, options: OpenOptions): DirectoryDatabase {
  const readonly = options.readonly ?? false;
  const settings = [`lock_timeout=${options.busyTimeoutMs ?? DEFAULT_BUSY_TIMEOUT_MS}`];
  if (readonly) settings.push('default_transaction_read_only=on');
  const pool = new pg.Pool({
    connectionString: target.url,
    max: POOL_SIZE,
    connectionTimeoutMillis: options.busyTimeoutMs ?? DEFAULT_BUSY_TIMEOUT_MS,
    options: settings.map((setting) => `-c ${setting}`).join(' '),
    types: PG_TYPES,
  });
  // An idle connection the server dropped: the pool discards it, and the
  // next query opens a new one or reports E_DB_UNAVAILABLE.
  pool.on('error', () => {});
  return new DirectoryDatabase(new Kysely({ dialect: new PostgresDialect({ pool }) }), target, readonly);
}

/** Where each dialect keeps the schema version: SQLite's PRAGMA user_version (as earlier files have it), a one-row table in PostgreSQL. */
const VERSION_TABLE = 'dialin_schema_version';

async function readVersion(db: Queries, dialect: Dialect): Promise<number> {
  if (dialect === 'sqlite') {
    const { rows } = await sql<{ user_version: number }>`PRAGMA user_version`.execute(db);
    return rows[0]?.user_version ?? 0;
  }
  const { rows } = await sql<{ present: boolean }>`SELECT to_regclass(${VERSION_TABLE}) IS NOT NULL AS present`.execute(db);
  if (!rows[0]?.present) return 0;
  const version = await sql<{ version: number }>`SELECT version FROM ${sql.table(VERSION_TABLE)}`.execute(db);
  return version.rows[0]?.version ?? 0;
}

async function writeVersion(db: Queries, dialect: Dialect, version: number): Promise<void> {
  if (dialect === 'sqlite') {
    await sql.raw(`PRAGMA user_version = ${version}`).execute(db);
    return;
  }
  const table = sql.table(VERSION_TABLE);
  await sql`CREATE TABLE IF NOT EXISTS ${table} (id integer PRIMARY KEY CHECK (id = 1), version integer NOT NULL)`.execute(db);
  await sql`INSERT INTO ${table} (id, version) VALUES (1, ${version}) ON CONFLICT (id) DO UPDATE SET version = excluded.version`.execute(db);
}

async function migrate(database: DirectoryDatabase, readonly: boolean, mustExist: boolean): Promise<void> {
  const { dialect, label } = database;
  const version = await database.read('open it', (db) => readVersion(db, dialect));
  if (version > SCHEMA_VERSION) {
    throw new DirectoryError('E_DB_VERSION', `${label} has schema version ${version}; this dialin-sim knows versions up to ${SCHEMA_VERSION}`);
  }
  if (version === SCHEMA_VERSION) return;
  // An SQLite file that exists but is empty is a directory still to be made; a PostgreSQL database without the tables is none yet.
  if (version === 0 && mustExist && dialect === 'postgres') throw new DirectoryError('E_DB_MISSING', `no directory at ${label}`);
  if (readonly) {
    throw new DirectoryError(
      'E_DB_READONLY',
      `${label} is read-only and needs its schema created or upgraded (version ${version} -> ${SCHEMA_VERSION}); open it once for writing`,
    );
  }
  const kinds = columnKinds(dialect);
  await database.migration('create or upgrade its schema', async (trx) => {
    // Another process may have migrated between the read above and this transaction.
    for (let next = await readVersion(trx, dialect); next < SCHEMA_VERSION; next++) await MIGRATIONS[next]!(trx, kinds);
    const tenant = DEFAULT_TENANT;
    await trx
      .insertInto('tenant')
      .values({
        id: 1,
        pin_length: tenant.pinLength,
        allow_anonymous_start: database.flag(tenant.allowAnonymousStart),
        send_email_to_user: database.flag(tenant.sendEmailToUser),
      })
      .onConflict((conflict) => conflict.column('id').doNothing())
      .execute();
    const policy = DEFAULT_POLICY;
    await trx
      .insertInto('pin_policy')
      .values({
        id: 1,
        min_length: policy.minLength,
        history_count: policy.historyCount,
        lifetime_days: policy.lifetimeDays,
        allow_common_patterns: database.flag(policy.allowCommonPatterns),
      })
      .onConflict((conflict) => conflict.column('id').doNothing())
      .execute();
    await writeVersion(trx, dialect, SCHEMA_VERSION);
  });
  // The pages an upgrade overwrote (the old outbox) are zeroed in SQLite's
  // WAL only; copying them into the file now, and emptying the WAL, leaves
  // the old content in neither.
  if (dialect === 'sqlite') await database.read('open it', (db) => sql`PRAGMA wal_checkpoint(TRUNCATE)`.execute(db));
}

/**
 * Opens and migrates the directory database `value` names: a PostgreSQL URL
 * or an SQLite file (created if needed; `:memory:` for a private one). A
 * file the process may not write to is opened read-only, so reads still
 * work and writes fail with E_DB_READONLY.
 */
export async function openDatabase(value: string, options: OpenOptions = {}): Promise<DirectoryDatabase> {
  const target = parseDbTarget(value);
  const database = target.dialect === 'sqlite' ? openSqlite(target, options) : openPostgres(target, options);
  try {
    await migrate(database, database.readonly, options.mustExist ?? false);
    // A first real read surfaces a damaged file now rather than in the middle of a call.
    await database.read('open it', (db) => db.selectFrom('tenant').select('id').execute());
    return database;
  } catch (error) {
    await database.close().catch(() => {});
    throw database.error(error, 'open it');
  }
}

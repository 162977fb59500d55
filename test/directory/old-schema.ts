/**
 * An SQLite directory file at an earlier schema version, as an older
 * dialin-sim left it, for tests of the upgrade to the current one.
 */
import Database from 'better-sqlite3';
import { Kysely, SqliteDialect } from 'kysely';
import { columnKinds, MIGRATIONS } from '../../src/directory/sql/migrations.ts';

/** Creates `file` with the first `version` migrations applied and returns it open (close it when done). */
export async function oldSchemaFile(file: string, version: number): Promise<Database.Database> {
  const db = new Database(file);
  // Not destroyed: that would close `db`, which the caller goes on using.
  const kysely = new Kysely<unknown>({ dialect: new SqliteDialect({ database: db }) });
  for (const migration of MIGRATIONS.slice(0, version)) await migration(kysely, columnKinds('sqlite'));
  db.pragma(`user_version = ${version}`);
  return db;
}

/** The first schema version that has `table`. */
export async function versionWithTable(table: string): Promise<number> {
  for (let version = 1; version <= MIGRATIONS.length; version++) {
    const db = await oldSchemaFile(':memory:', version);
    const found = db.prepare("SELECT 1 FROM sqlite_master WHERE type = 'table' AND name = ?").get(table);
    db.close();
    if (found) return version;
  }
  throw new Error(`no schema version has the table ${table}`);
}

/**
 * What a `--db` value names: a SQLite file (any path, `:memory:` for a
 * private database) or a PostgreSQL database (a `postgres://` or
 * `postgresql://` URL, as libpq's connection URIs are written). Messages
 * name the database by its label, which never holds the password.
 */
import { DirectoryError } from '../errors.ts';

export type DbTarget =
  | { readonly dialect: 'sqlite'; readonly file: string; readonly label: string }
  | { readonly dialect: 'postgres'; readonly url: string; readonly label: string; readonly database: string };

const POSTGRES_SCHEMES = ['postgres:', 'postgresql:'];

export function isPostgresUrl(value: string): boolean {
  return /^postgres(ql)?:\/\//i.test(value);
}

export function parseDbTarget(value: string): DbTarget {
  if (!isPostgresUrl(value)) {
    return { dialect: 'sqlite', file: value, label: value === ':memory:' ? 'the in-memory database' : value };
  }
  let url: URL;
  try {
    url = new URL(value);
  } catch {
    throw new DirectoryError('E_DB_TARGET', `--db: not a valid PostgreSQL URL (postgres://USER@HOST[:PORT]/DATABASE)`);
  }
  if (!POSTGRES_SCHEMES.includes(url.protocol) || url.hostname === '' || url.pathname.length <= 1) {
    throw new DirectoryError('E_DB_TARGET', `--db: a PostgreSQL URL needs a host and a database: postgres://USER@HOST[:PORT]/DATABASE`);
  }
  return { dialect: 'postgres', url: value, label: postgresLabel(url), database: decodeURIComponent(url.pathname.slice(1)) };
}

/** The URL without its password and query: enough to tell which server and database. */
function postgresLabel(url: URL): string {
  const user = url.username === '' ? '' : `${url.username}@`;
  return `postgres://${user}${url.host}${url.pathname}`;
}

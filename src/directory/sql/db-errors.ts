/**
 * Turning a database failure into a DirectoryError that names the database
 * (the file, or the server without its password) and what was being done.
 * SQLite reports result codes (https://sqlite.org/rescode.html); PostgreSQL
 * reports SQLSTATEs (PostgreSQL 15 manual, appendix A), and a lost server
 * shows up as a socket error from node-postgres. Errors of ours pass through.
 */
import { DialinError } from '../../errors.ts';
import { DirectoryError } from '../errors.ts';
import type { Dialect } from './migrations.ts';

export function toDirectoryError(error: unknown, dialect: Dialect, label: string, doing: string): DialinError {
  if (error instanceof DialinError) return error;
  return dialect === 'sqlite' ? fromSqlite(error, label, doing) : fromPostgres(error, label, doing);
}

function codeOf(error: unknown): string {
  return String((error as { code?: unknown } | null)?.code ?? '');
}

function messageOf(error: unknown): string {
  return (error as Error | null)?.message ?? String(error);
}

function fromSqlite(error: unknown, where: string, doing: string): DirectoryError {
  const code = codeOf(error);
  const message = messageOf(error);
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

/** Socket errors meaning the server cannot be reached or went away. */
const UNREACHABLE = new Set(['ECONNREFUSED', 'ECONNRESET', 'ENOTFOUND', 'EAI_AGAIN', 'ETIMEDOUT', 'EHOSTUNREACH', 'ENETUNREACH', 'EPIPE']);
/** node-postgres's own words for a connection it lost or could not make (they carry no code). */
const LOST = /Connection terminated|timeout exceeded when trying to connect|Client has encountered a connection error|Connection ended/;

function fromPostgres(error: unknown, where: string, doing: string): DirectoryError {
  const code = codeOf(error);
  // One line only: a server's message may carry a detail after a newline.
  const message = messageOf(error).split('\n')[0]!;
  // Class 08 is connection exception; 57P01-57P03: the server is shutting down or starting.
  if (UNREACHABLE.has(code) || code.startsWith('08') || /^57P0[123]$/.test(code) || (code === '' && LOST.test(message))) {
    const why = code === '' || code.startsWith('08') || code.startsWith('57') ? message : code;
    return new DirectoryError('E_DB_UNAVAILABLE', `${where} is unavailable (${why}): cannot ${doing}`, { cause: error });
  }
  if (code === '3D000') {
    return new DirectoryError('E_DB_MISSING', `no directory at ${where} (${message})`, { cause: error });
  }
  if (code.startsWith('28') || code === '42501') {
    return new DirectoryError('E_DB_OPEN', `cannot open ${where}: ${message}`, { cause: error });
  }
  if (code === '25006') {
    return new DirectoryError('E_DB_READONLY', `${where} is read-only: cannot ${doing}`, { cause: error });
  }
  // lock_not_available (the lock_timeout ran out), serialization_failure, deadlock_detected.
  if (code === '55P03' || code === '40001' || code === '40P01') {
    return new DirectoryError('E_DB_BUSY', `${where} is busy (another process holds it): cannot ${doing}`, { cause: error });
  }
  if (code === 'XX001' || code === 'XX002') {
    return new DirectoryError('E_DB_CORRUPT', `${where} is damaged (${message})`, { cause: error });
  }
  return new DirectoryError('E_DB', `${where}: cannot ${doing}: ${message}`, { cause: error });
}

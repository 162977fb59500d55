/** The databases the directory runs on, for suites that run against each. */
import { afterAll } from 'vitest';
import { startPostgres, type PostgresServer } from '../helpers/postgres-server.ts';

export interface Backend {
  readonly name: string;
  /** A --db value naming a new, empty database. */
  db(): Promise<string>;
}

/**
 * The two databases the directory runs on, for suites that run against
 * both (`describe.each(directoryBackends())`). The PostgreSQL server starts
 * when a test first needs it, each test gets a database of its own, and
 * the server stops after the file's tests.
 */
export function directoryBackends(): Backend[] {
  let server: Promise<PostgresServer> | undefined;
  afterAll(async () => {
    if (server) await (await server).stop();
  });
  return [
    { name: 'SQLite', db: async () => ':memory:' },
    { name: 'PostgreSQL', db: async () => (await (server ??= startPostgres())).createDatabase() },
  ];
}

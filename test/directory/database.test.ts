import Database from 'better-sqlite3';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { MIGRATIONS, SCHEMA_VERSION } from '../../src/directory/database.ts';
import { PinDirectory } from '../../src/directory/pin-directory.ts';
import { manualClock } from '../../src/directory/clock.ts';
import { FAST_COST, START_MS, tempDir } from './helpers.ts';

let temp: ReturnType<typeof tempDir>;
beforeEach(() => {
  temp = tempDir();
});
afterEach(() => temp.cleanup());

describe('the migration to admin accounts', () => {
  it('upgrades a database from before it: its audit entries keep their text and have no actor', async () => {
    const before = MIGRATIONS.findIndex((migration) => migration.includes('CREATE TABLE admin_accounts'));
    expect(before).toBeGreaterThan(0);
    const file = temp.file('old.db');
    const old = new Database(file);
    for (const migration of MIGRATIONS.slice(0, before)) old.exec(migration);
    old.exec("INSERT INTO audit_log (at, user_id, event, detail) VALUES (1, 'amos', 'locked', 'by an administrator; until unlocked')");
    old.pragma(`user_version = ${before}`);
    old.close();

    const directory = PinDirectory.open(file, { clock: manualClock(START_MS), hashCost: FAST_COST, passwordCost: FAST_COST });
    try {
      expect(directory.listAudit()).toEqual([
        { id: 1, at: 1, userId: 'amos', event: 'locked', detail: 'by an administrator; until unlocked', actor: null },
      ]);
      await directory.accounts.add('alice', 'admin');
      expect(directory.accounts.list().map((account) => account.name)).toEqual(['alice']);
    } finally {
      directory.close();
    }
    const db = new Database(file, { readonly: true });
    expect(db.pragma('user_version', { simple: true })).toBe(SCHEMA_VERSION);
    db.close();
  });
});

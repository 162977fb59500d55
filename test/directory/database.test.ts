import Database from 'better-sqlite3';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { SCHEMA_VERSION } from '../../src/directory/sql/database.ts';
import { PinDirectory } from '../../src/directory/pin-directory.ts';
import { manualClock } from '../../src/directory/clock.ts';
import { FAST_COST, START_MS, tempDir } from './helpers.ts';
import { oldSchemaFile, versionWithTable } from './old-schema.ts';

let temp: ReturnType<typeof tempDir>;
beforeEach(() => {
  temp = tempDir();
});
afterEach(() => temp.cleanup());

describe('the migration to admin accounts', () => {
  it('upgrades a database from before it: its audit entries keep their text and have no actor', async () => {
    const before = (await versionWithTable('admin_accounts')) - 1;
    expect(before).toBeGreaterThan(0);
    const file = temp.file('old.db');
    const old = await oldSchemaFile(file, before);
    old.exec("INSERT INTO audit_log (at, user_id, event, detail) VALUES (1, 'amos', 'locked', 'by an administrator; until unlocked')");
    old.close();

    const directory = await PinDirectory.open(file, { clock: manualClock(START_MS), hashCost: FAST_COST, passwordCost: FAST_COST });
    try {
      expect(await directory.listAudit()).toEqual([
        { id: 1, at: 1, userId: 'amos', event: 'locked', detail: 'by an administrator; until unlocked', actor: null },
      ]);
      await directory.accounts.add('alice', 'admin');
      expect((await directory.accounts.list()).map((account) => account.name)).toEqual(['alice']);
    } finally {
      await directory.close();
    }
    const db = new Database(file, { readonly: true });
    expect(db.pragma('user_version', { simple: true })).toBe(SCHEMA_VERSION);
    db.close();
  });
});

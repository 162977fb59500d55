import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { PinDirectory } from '../../src/directory/pin-directory.ts';
import { FAST_COST, makeDirectory, tempDir } from './helpers.ts';

// Long, distinctive digit strings: finding one by chance in the file is out of the question.
const FIRST_PIN = '739182046571938204657193';
const SECOND_PIN = '860273951840627395184062';
const WRONG_GUESS = '518293740618293740518293';

let temp: ReturnType<typeof tempDir>;
beforeEach(() => {
  temp = tempDir();
});
afterEach(() => temp.cleanup());

function fileBytes(file: string): string {
  return [file, `${file}-wal`, `${file}-shm`]
    .filter((path) => existsSync(path))
    .map((path) => readFileSync(path).toString('latin1'))
    .join('');
}

describe('PIN secrecy', () => {
  it('keeps no PIN and no guess anywhere in the database file when no mail is sent', async () => {
    const file = temp.file('dialin.db');
    const { directory } = await makeDirectory({ file });
    await directory.setTenant({ sendEmailToUser: false });
    await directory.setPin('amos', FIRST_PIN);
    await directory.verifyLeaderPin('123456', WRONG_GUESS);
    await directory.verifyLeaderPin('123456', FIRST_PIN);
    await directory.resetPin('amos', { expired: true });
    await directory.setPin('amos', FIRST_PIN.slice(0, 20));
    expect(await directory.changePin('amos', SECOND_PIN)).toEqual({ outcome: 'changed' });
    expect(await directory.verifyLeaderPin('123456', SECOND_PIN)).toMatchObject({ outcome: 'accepted' });
    // Checked while the WAL is still there, and again after the checkpoint at close.
    for (const pin of [FIRST_PIN, SECOND_PIN, WRONG_GUESS, FIRST_PIN.slice(0, 20)]) expect(fileBytes(file)).not.toContain(pin);
    await directory.close();
    const bytes = fileBytes(file);
    expect(bytes.length).toBeGreaterThan(4096);
    expect(bytes).toContain('scrypt$1024$8$1$');
    for (const pin of [FIRST_PIN, SECOND_PIN, WRONG_GUESS, FIRST_PIN.slice(0, 20)]) expect(bytes).not.toContain(pin);
  });

  it('keeps a mailed PIN out of the database: only its .eml file in the mail folder holds it', async () => {
    const file = temp.file('dialin.db');
    const { directory } = await makeDirectory({ file });
    await directory.setPin('amos', FIRST_PIN);
    expect(fileBytes(file)).not.toContain(FIRST_PIN);
    await directory.close();
    expect(fileBytes(file)).not.toContain(FIRST_PIN);

    const db = new Database(file, { readonly: true });
    const tables = (db.prepare("SELECT name FROM sqlite_master WHERE type = 'table'").all() as { name: string }[]).map((row) => row.name);
    db.close();
    expect(tables).not.toContain('outbox');
    const folder = temp.file('dialin.mail');
    const mails = readdirSync(folder);
    expect(mails).toHaveLength(1);
    expect(readFileSync(join(folder, mails[0]!), 'utf8')).toContain(`Your new PIN is: ${FIRST_PIN}`);

    const reopened = await PinDirectory.open(file, { hashCost: FAST_COST });
    expect(reopened.clearOutbox()).toBe(1);
    await reopened.close();
    expect(readdirSync(folder)).toEqual([]);
  });
});

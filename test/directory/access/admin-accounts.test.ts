import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { ADMIN_LOCKOUT, PASSWORD_LENGTH } from '../../../src/directory/access/admin-accounts.ts';
import { DirectoryError } from '../../../src/directory/errors.ts';
import { PinDirectory } from '../../../src/directory/pin-directory.ts';
import { manualClock } from '../../../src/directory/clock.ts';
import { FAST_COST, MINUTE_MS, START_MS, makeDirectory, storedRows, tempDir, type TestDirectory } from '../helpers.ts';
import { directoryBackends } from '../backends.ts';

const PASSWORD = 'correct horse battery staple';

let t: TestDirectory;
afterEach(() => t.directory.close());

async function failTimes(name: string, count: number, directory = t.directory) {
  const results = [];
  for (let i = 0; i < count; i++) results.push(await directory.accounts.verifySignIn(name, `wrong password ${i}!!`));
  return results;
}

describe.each(directoryBackends())('on $name', (backend) => {
  beforeEach(async () => {
    t = await makeDirectory({ file: await backend.db() });
  });

  describe('admin accounts', () => {
    it('signs in with the right password and reports the role', async () => {
      await t.directory.accounts.add('alice', 'admin', { password: PASSWORD });
      await t.directory.accounts.add('bob', 'user-admin', { password: `${PASSWORD}!` });
      expect(await t.directory.accounts.verifySignIn('alice', PASSWORD)).toEqual({ outcome: 'ok', name: 'alice', role: 'admin' });
      expect(await t.directory.accounts.verifySignIn('bob', `${PASSWORD}!`)).toEqual({ outcome: 'ok', name: 'bob', role: 'user-admin' });
    });

    it('rejects a wrong password and an unknown name with the same answer', async () => {
      await t.directory.accounts.add('alice', 'admin', { password: PASSWORD });
      const wrong = await t.directory.accounts.verifySignIn('alice', `${PASSWORD}x`);
      const unknown = await t.directory.accounts.verifySignIn('mallory', PASSWORD);
      expect(wrong).toEqual({ outcome: 'rejected', lockedNow: false });
      expect(unknown).toEqual(wrong);
    });

    it('stores only a salted scrypt hash, different for the same password', async () => {
      await t.directory.accounts.add('alice', 'admin', { password: PASSWORD });
      await t.directory.accounts.add('bob', 'admin', { password: PASSWORD });
      const hashes = (await storedRows<{ h: string }>(t.directory, 'SELECT password_hash AS h FROM admin_accounts')).map((row) => row.h);
      expect(hashes).toHaveLength(2);
      for (const hash of hashes) {
        expect(hash).toMatch(/^scrypt\$\d+\$\d+\$\d+\$[^$]+\$[^$]+$/);
        expect(hash).not.toContain(PASSWORD);
      }
      expect(hashes[0]).not.toBe(hashes[1]);
    });

    it('generates a password when none is given and returns it once', async () => {
      const { generatedPassword, account } = await t.directory.accounts.add('alice', 'user-admin');
      expect(generatedPassword).toMatch(/^[A-Za-z0-9_-]{24}$/);
      expect(account).toMatchObject({ name: 'alice', role: 'user-admin', lockedUntil: null, recentFailures: 0 });
      expect(await t.directory.accounts.verifySignIn('alice', generatedPassword!)).toMatchObject({ outcome: 'ok' });
      expect(JSON.stringify(await t.directory.accounts.list())).not.toContain(generatedPassword);
    });

    it('refuses a short password, a bad name, a bad role and a name taken', async () => {
      const refusal = async (action: () => Promise<unknown>) => {
        const error = await action().then(() => undefined, (caught: unknown) => caught);
        expect(error).toBeInstanceOf(DirectoryError);
        return error as DirectoryError;
      };
      expect((await refusal(() => t.directory.accounts.add('alice', 'admin', { password: 'x'.repeat(PASSWORD_LENGTH.min - 1) }))).code).toBe('E_ADMIN_PASSWORD');
      expect((await refusal(() => t.directory.accounts.add('al ice', 'admin'))).code).toBe('E_INVALID_RECORD');
      expect((await refusal(() => t.directory.accounts.add('alice', 'root' as 'admin'))).code).toBe('E_INVALID_RECORD');
      await t.directory.accounts.add('alice', 'admin');
      const taken = await refusal(() => t.directory.accounts.add('alice', 'user-admin'));
      expect(taken.code).toBe('E_ADMIN_EXISTS');
      expect(taken.message).toBe("admin account 'alice' exists already");
    });

    it(`locks an account after ${ADMIN_LOCKOUT.maxFailures} failures within 15 minutes, without comparing the password while locked`, async () => {
      await t.directory.accounts.add('alice', 'admin', { password: PASSWORD });
      const results = await failTimes('alice', ADMIN_LOCKOUT.maxFailures);
      expect(results.slice(0, -1).every((result) => result.outcome === 'rejected' && !result.lockedNow)).toBe(true);
      expect(results.at(-1)).toEqual({ outcome: 'rejected', lockedNow: true });
      const until = START_MS + ADMIN_LOCKOUT.lockMs;
      expect(await t.directory.accounts.verifySignIn('alice', PASSWORD)).toEqual({ outcome: 'locked', until });
      expect((await t.directory.accounts.get('alice'))?.lockedUntil).toBe(until);
      expect((await t.directory.listAudit({ userId: 'admin:alice' })).map((entry) => entry.event)).toEqual(['account-added', 'account-locked']);
      t.clock.advance(ADMIN_LOCKOUT.lockMs);
      expect(await t.directory.accounts.verifySignIn('alice', PASSWORD)).toMatchObject({ outcome: 'ok' });
    });

    it('forgets failures older than the window', async () => {
      await t.directory.accounts.add('alice', 'admin', { password: PASSWORD });
      await failTimes('alice', ADMIN_LOCKOUT.maxFailures - 1);
      t.clock.advance(ADMIN_LOCKOUT.windowMs);
      expect(await failTimes('alice', 1)).toEqual([{ outcome: 'rejected', lockedNow: false }]);
      expect((await t.directory.accounts.get('alice'))?.recentFailures).toBe(1);
    });

    it('starts counting again after a successful sign-in', async () => {
      await t.directory.accounts.add('alice', 'admin', { password: PASSWORD });
      await failTimes('alice', ADMIN_LOCKOUT.maxFailures - 1);
      await t.directory.accounts.verifySignIn('alice', PASSWORD);
      expect(await failTimes('alice', ADMIN_LOCKOUT.maxFailures - 1)).not.toContainEqual(expect.objectContaining({ lockedNow: true }));
    });

    it('counts parallel failures exactly', async () => {
      await t.directory.accounts.add('alice', 'admin', { password: PASSWORD });
      const results = await Promise.all(
        Array.from({ length: ADMIN_LOCKOUT.maxFailures + 3 }, (_, i) => t.directory.accounts.verifySignIn('alice', `nope nope nope ${i}`)),
      );
      expect(results.filter((result) => result.outcome === 'rejected' && result.lockedNow)).toHaveLength(1);
      expect(results.filter((result) => result.outcome === 'rejected')).toHaveLength(ADMIN_LOCKOUT.maxFailures);
      expect(results.filter((result) => result.outcome === 'locked')).toHaveLength(3);
    });

    it('unlocks an account at once', async () => {
      await t.directory.accounts.add('alice', 'admin', { password: PASSWORD });
      await failTimes('alice', ADMIN_LOCKOUT.maxFailures);
      expect(await t.directory.accounts.unlock('alice', 'cli')).toEqual({ wasLocked: true });
      expect(await t.directory.accounts.verifySignIn('alice', PASSWORD)).toMatchObject({ outcome: 'ok' });
      expect((await t.directory.listAudit({ userId: 'admin:alice' })).at(-1)).toMatchObject({ event: 'account-unlocked', actor: 'cli' });
    });

    it('keeps a lock across a restart', async () => {
      const temp = tempDir();
      const clock = manualClock(START_MS);
      const file = temp.file('dialin.db');
      const first = await makeDirectory({ file, clock });
      await first.directory.accounts.add('alice', 'admin', { password: PASSWORD });
      await failTimes('alice', ADMIN_LOCKOUT.maxFailures, first.directory);
      await first.directory.close();
      const second = await PinDirectory.open(file, { clock, hashCost: FAST_COST, passwordCost: FAST_COST });
      try {
        clock.advance(MINUTE_MS);
        expect(await second.accounts.verifySignIn('alice', PASSWORD)).toMatchObject({ outcome: 'locked' });
      } finally {
        await second.close();
        temp.cleanup();
      }
    });

    it('removes an account: it no longer signs in', async () => {
      await t.directory.accounts.add('alice', 'admin', { password: PASSWORD });
      await t.directory.accounts.remove('alice', 'cli');
      expect(await t.directory.accounts.verifySignIn('alice', PASSWORD)).toEqual({ outcome: 'rejected', lockedNow: false });
      expect(await t.directory.accounts.list()).toEqual([]);
      await expect(t.directory.accounts.remove('alice')).rejects.toThrow(expect.objectContaining({ code: 'E_UNKNOWN_ADMIN' }));
    });
  });
});

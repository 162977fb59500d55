import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { SESSION_TIMING, csrfMatches } from '../../../src/directory/access/web-sessions.ts';
import { PinDirectory } from '../../../src/directory/pin-directory.ts';
import { createHash } from 'node:crypto';
import { FAST_COST, HOUR_MS, MINUTE_MS, makeDirectory, storedRows, tempDir, type TestDirectory } from '../helpers.ts';
import { directoryBackends } from '../backends.ts';

let t: TestDirectory;
afterEach(() => t.directory.close());

describe.each(directoryBackends())('on $name', (backend) => {
  beforeEach(async () => {
    t = await makeDirectory({ file: await backend.db() });
    await t.directory.accounts.add('alice', 'user-admin');
  });

  describe('web sessions', () => {
    it('finds an admin session by its token, with the role the account has', async () => {
      const created = await t.directory.sessions.create({ kind: 'admin', name: 'alice' });
      expect(created.token).toMatch(/^[A-Za-z0-9_-]{43}$/);
      expect(created.csrfToken).toMatch(/^[A-Za-z0-9_-]{43}$/);
      expect(created.csrfToken).not.toBe(created.token);
      const found = await t.directory.sessions.lookup(created.token);
      expect(found).toEqual({
        subject: { kind: 'admin', name: 'alice', role: 'user-admin' },
        csrfToken: created.csrfToken,
        createdAt: created.createdAt,
        lastSeenAt: created.createdAt,
        expiresAt: created.createdAt + SESSION_TIMING.idleMs,
      });
    });

    it('finds a user session', async () => {
      const created = await t.directory.sessions.create({ kind: 'user', userId: 'amos' });
      expect((await t.directory.sessions.lookup(created.token))?.subject).toEqual({ kind: 'user', userId: 'amos' });
    });

    it('stores only the SHA-256 of the token', async () => {
      const { token } = await t.directory.sessions.create({ kind: 'admin', name: 'alice' });
      const rows = await storedRows<{ token_hash: string }>(t.directory, 'SELECT token_hash FROM web_sessions');
      expect(rows).toEqual([{ token_hash: createHash('sha256').update(token).digest('hex') }]);
    });

    it('refuses a session for an unknown admin or user', async () => {
      await expect(t.directory.sessions.create({ kind: 'admin', name: 'mallory' })).rejects.toThrow(expect.objectContaining({ code: 'E_UNKNOWN_ADMIN' }));
      await expect(t.directory.sessions.create({ kind: 'user', userId: 'nobody' })).rejects.toThrow(expect.objectContaining({ code: 'E_UNKNOWN_USER' }));
    });

    it('ends after 30 idle minutes, and each use moves that limit', async () => {
      const { token } = await t.directory.sessions.create({ kind: 'admin', name: 'alice' });
      t.clock.advance(SESSION_TIMING.idleMs - 1);
      expect(await t.directory.sessions.lookup(token)).toBeDefined();
      t.clock.advance(SESSION_TIMING.idleMs - 1);
      expect(await t.directory.sessions.lookup(token)).toBeDefined();
      t.clock.advance(SESSION_TIMING.idleMs);
      expect(await t.directory.sessions.lookup(token)).toBeUndefined();
    });

    it('ends 12 hours after it began however often it is used', async () => {
      const { token } = await t.directory.sessions.create({ kind: 'admin', name: 'alice' });
      for (let elapsed = 0; elapsed < SESSION_TIMING.maxAgeMs - 20 * MINUTE_MS; elapsed += 20 * MINUTE_MS) {
        t.clock.advance(20 * MINUTE_MS);
        expect(await t.directory.sessions.lookup(token), `after ${elapsed}`).toBeDefined();
      }
      t.clock.advance(20 * MINUTE_MS);
      expect(await t.directory.sessions.lookup(token)).toBeUndefined();
      expect(SESSION_TIMING.maxAgeMs).toBe(12 * HOUR_MS);
    });

    it('ends on sign-out and when the admin account is removed', async () => {
      const first = await t.directory.sessions.create({ kind: 'admin', name: 'alice' });
      const second = await t.directory.sessions.create({ kind: 'admin', name: 'alice' });
      expect(await t.directory.sessions.end(first.token)).toBe(true);
      expect(await t.directory.sessions.lookup(first.token)).toBeUndefined();
      expect(await t.directory.sessions.lookup(second.token)).toBeDefined();
      await t.directory.accounts.remove('alice');
      expect(await t.directory.sessions.lookup(second.token)).toBeUndefined();
    });

    it('ignores tokens that are unknown or not token-shaped', async () => {
      await t.directory.sessions.create({ kind: 'admin', name: 'alice' });
      expect(await t.directory.sessions.lookup('A'.repeat(43))).toBeUndefined();
      expect(await t.directory.sessions.lookup("' OR 1=1 --")).toBeUndefined();
      expect(await t.directory.sessions.end('')).toBe(false);
    });

    it('is seen through another connection to the same file, as by another server process', async () => {
      const temp = tempDir();
      const file = temp.file('dialin.db');
      const one = await makeDirectory({ file });
      const other = await PinDirectory.open(file, { clock: one.clock, hashCost: FAST_COST });
      try {
        const { token } = await one.directory.sessions.create({ kind: 'user', userId: 'amos' });
        expect((await other.sessions.lookup(token))?.subject).toEqual({ kind: 'user', userId: 'amos' });
        await other.sessions.end(token);
        expect(await one.directory.sessions.lookup(token)).toBeUndefined();
      } finally {
        await other.close();
        await one.directory.close();
        temp.cleanup();
      }
    });

    it('compares CSRF tokens exactly', async () => {
      const session = await t.directory.sessions.create({ kind: 'admin', name: 'alice' });
      expect(csrfMatches(session, session.csrfToken)).toBe(true);
      expect(csrfMatches(session, session.csrfToken.slice(0, -1))).toBe(false);
      expect(csrfMatches(session, `${session.csrfToken.slice(0, -1)}${session.csrfToken.endsWith('A') ? 'B' : 'A'}`)).toBe(false);
      expect(csrfMatches(session, '')).toBe(false);
    });
  });
});

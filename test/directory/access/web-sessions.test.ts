import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { SESSION_TIMING, csrfMatches } from '../../../src/directory/access/web-sessions.ts';
import { PinDirectory } from '../../../src/directory/pin-directory.ts';
import { createHash } from 'node:crypto';
import { FAST_COST, HOUR_MS, MINUTE_MS, makeDirectory, tempDir, type TestDirectory } from '../helpers.ts';

let t: TestDirectory;
beforeEach(async () => {
  t = await makeDirectory();
  await t.directory.accounts.add('alice', 'user-admin');
});
afterEach(() => t.directory.close());

describe('web sessions', () => {
  it('finds an admin session by its token, with the role the account has', () => {
    const created = t.directory.sessions.create({ kind: 'admin', name: 'alice' });
    expect(created.token).toMatch(/^[A-Za-z0-9_-]{43}$/);
    expect(created.csrfToken).toMatch(/^[A-Za-z0-9_-]{43}$/);
    expect(created.csrfToken).not.toBe(created.token);
    const found = t.directory.sessions.lookup(created.token);
    expect(found).toEqual({
      subject: { kind: 'admin', name: 'alice', role: 'user-admin' },
      csrfToken: created.csrfToken,
      createdAt: created.createdAt,
      lastSeenAt: created.createdAt,
      expiresAt: created.createdAt + SESSION_TIMING.idleMs,
    });
  });

  it('finds a user session', () => {
    const created = t.directory.sessions.create({ kind: 'user', userId: 'amos' });
    expect(t.directory.sessions.lookup(created.token)?.subject).toEqual({ kind: 'user', userId: 'amos' });
  });

  it('stores only the SHA-256 of the token', () => {
    const { token } = t.directory.sessions.create({ kind: 'admin', name: 'alice' });
    const db = (t.directory as unknown as { store: { db: import('better-sqlite3').Database } }).store.db;
    const rows = db.prepare('SELECT token_hash FROM web_sessions').all() as { token_hash: string }[];
    expect(rows).toEqual([{ token_hash: createHash('sha256').update(token).digest('hex') }]);
  });

  it('refuses a session for an unknown admin or user', () => {
    expect(() => t.directory.sessions.create({ kind: 'admin', name: 'mallory' })).toThrow(expect.objectContaining({ code: 'E_UNKNOWN_ADMIN' }));
    expect(() => t.directory.sessions.create({ kind: 'user', userId: 'nobody' })).toThrow(expect.objectContaining({ code: 'E_UNKNOWN_USER' }));
  });

  it('ends after 30 idle minutes, and each use moves that limit', () => {
    const { token } = t.directory.sessions.create({ kind: 'admin', name: 'alice' });
    t.clock.advance(SESSION_TIMING.idleMs - 1);
    expect(t.directory.sessions.lookup(token)).toBeDefined();
    t.clock.advance(SESSION_TIMING.idleMs - 1);
    expect(t.directory.sessions.lookup(token)).toBeDefined();
    t.clock.advance(SESSION_TIMING.idleMs);
    expect(t.directory.sessions.lookup(token)).toBeUndefined();
  });

  it('ends 12 hours after it began however often it is used', () => {
    const { token } = t.directory.sessions.create({ kind: 'admin', name: 'alice' });
    for (let elapsed = 0; elapsed < SESSION_TIMING.maxAgeMs - 20 * MINUTE_MS; elapsed += 20 * MINUTE_MS) {
      t.clock.advance(20 * MINUTE_MS);
      expect(t.directory.sessions.lookup(token), `after ${elapsed}`).toBeDefined();
    }
    t.clock.advance(20 * MINUTE_MS);
    expect(t.directory.sessions.lookup(token)).toBeUndefined();
    expect(SESSION_TIMING.maxAgeMs).toBe(12 * HOUR_MS);
  });

  it('ends on sign-out and when the admin account is removed', () => {
    const first = t.directory.sessions.create({ kind: 'admin', name: 'alice' });
    const second = t.directory.sessions.create({ kind: 'admin', name: 'alice' });
    expect(t.directory.sessions.end(first.token)).toBe(true);
    expect(t.directory.sessions.lookup(first.token)).toBeUndefined();
    expect(t.directory.sessions.lookup(second.token)).toBeDefined();
    t.directory.accounts.remove('alice');
    expect(t.directory.sessions.lookup(second.token)).toBeUndefined();
  });

  it('ignores tokens that are unknown or not token-shaped', () => {
    t.directory.sessions.create({ kind: 'admin', name: 'alice' });
    expect(t.directory.sessions.lookup('A'.repeat(43))).toBeUndefined();
    expect(t.directory.sessions.lookup("' OR 1=1 --")).toBeUndefined();
    expect(t.directory.sessions.end('')).toBe(false);
  });

  it('is seen through another connection to the same file, as by another server process', async () => {
    const temp = tempDir();
    const file = temp.file('dialin.db');
    const one = await makeDirectory({ file });
    const other = PinDirectory.open(file, { clock: one.clock, hashCost: FAST_COST });
    try {
      const { token } = one.directory.sessions.create({ kind: 'user', userId: 'amos' });
      expect(other.sessions.lookup(token)?.subject).toEqual({ kind: 'user', userId: 'amos' });
      other.sessions.end(token);
      expect(one.directory.sessions.lookup(token)).toBeUndefined();
    } finally {
      other.close();
      one.directory.close();
      temp.cleanup();
    }
  });

  it('compares CSRF tokens exactly', () => {
    const session = t.directory.sessions.create({ kind: 'admin', name: 'alice' });
    expect(csrfMatches(session, session.csrfToken)).toBe(true);
    expect(csrfMatches(session, session.csrfToken.slice(0, -1))).toBe(false);
    expect(csrfMatches(session, `${session.csrfToken.slice(0, -1)}${session.csrfToken.endsWith('A') ? 'B' : 'A'}`)).toBe(false);
    expect(csrfMatches(session, '')).toBe(false);
  });
});

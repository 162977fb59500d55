import * as crypto from 'node:crypto';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import type { PinDirectory } from '../../src/directory/pin-directory.ts';
import { HOUR_MS, MINUTE_MS, makeDirectory, type TestDirectory } from './helpers.ts';
import { directoryBackends } from './backends.ts';

vi.mock('node:crypto', async (importOriginal) => {
  const original = await importOriginal<typeof import('node:crypto')>();
  return { ...original, scrypt: vi.fn(original.scrypt) };
});

let opened: PinDirectory[] = [];
/** The database the current test opens its directory on. */
let database: () => Promise<string>;
async function setup(policy?: Parameters<PinDirectory['setPolicy']>[0]): Promise<TestDirectory> {
  const made = await makeDirectory({ file: await database() });
  opened.push(made.directory);
  if (policy) await made.directory.setPolicy(policy);
  return made;
}
afterEach(async () => {
  for (const directory of opened) await directory.close();
  opened = [];
});

async function fail(directory: PinDirectory, times: number, conference = '123456') {
  const results = [];
  for (let i = 0; i < times; i++) results.push(await directory.verifyLeaderPin(conference, '55055'));
  return results;
}

describe.each(directoryBackends())('on $name', (backend) => {
  beforeEach(() => {
    database = backend.db;
  });

  describe('lockout', () => {
    it('locks at a local limit set alone and keeps the automatic global limit for the minimum PIN length', async () => {
      const { directory } = await setup({ maxLogonAttempts: { local: 2, global: 'auto' } });
      expect((await directory.getPolicy()).maxLogonAttempts).toEqual({ local: 2, global: 'auto' });
      // The default minimum length is 5 digits: 1000 global attempts (Set-CsPinPolicy's automatic limit).
      expect((await directory.getStatus('amos')).limits).toEqual({ local: 2, global: 1000 });
      expect(await fail(directory, 2)).toEqual([
        { outcome: 'rejected', userId: 'amos', lockedNow: false },
        { outcome: 'rejected', userId: 'amos', lockedNow: true },
      ]);
      expect((await directory.getStatus('amos')).lockKind).toBe('local');
    });

    it('locks the PIN for one hour when the local limit is reached within 30 minutes', async () => {
      const { directory, clock } = await setup({ maxLogonAttempts: { local: 3, global: 100 } });
      expect(await fail(directory, 2)).toEqual([
        { outcome: 'rejected', userId: 'amos', lockedNow: false },
        { outcome: 'rejected', userId: 'amos', lockedNow: false },
      ]);
      clock.advance(29 * MINUTE_MS);
      expect(await fail(directory, 1)).toEqual([{ outcome: 'rejected', userId: 'amos', lockedNow: true }]);
      const lockedAt = clock.now();
      expect(await directory.getStatus('amos')).toMatchObject({ lockedOut: true, lockKind: 'local', lockedUntil: lockedAt + HOUR_MS, failures: 3 });
      // Even the right PIN is refused, and refusals are not counted.
      expect(await directory.verifyLeaderPin('123456', '24680')).toEqual({ outcome: 'locked', userId: 'amos' });
      expect((await directory.getStatus('amos')).globalFailures).toBe(3);
      clock.set(lockedAt + HOUR_MS - 1);
      expect((await directory.verifyLeaderPin('123456', '24680')).outcome).toBe('locked');
      clock.set(lockedAt + HOUR_MS);
      expect(await directory.getStatus('amos')).toMatchObject({ lockedOut: false, lockKind: null });
      expect(await directory.verifyLeaderPin('123456', '24680')).toMatchObject({ outcome: 'accepted' });
    });

    it('answers locked without comparing the PIN at all', async () => {
      const { directory } = await setup({ maxLogonAttempts: { local: 2, global: 100 } });
      const scrypt = vi.mocked(crypto.scrypt);
      scrypt.mockClear();
      await fail(directory, 2);
      expect(scrypt).toHaveBeenCalledTimes(2);
      scrypt.mockClear();
      expect(await directory.verifyLeaderPin('123456', '24680')).toEqual({ outcome: 'locked', userId: 'amos' });
      expect(await directory.verifyLeaderPin('123456', '55055')).toEqual({ outcome: 'locked', userId: 'amos' });
      expect(scrypt).not.toHaveBeenCalled();
      expect((await directory.getStatus('amos')).globalFailures).toBe(2);
    });

    it('ages failures out of the rolling 30-minute window', async () => {
      const { directory, clock } = await setup({ maxLogonAttempts: { local: 3, global: 100 } });
      await fail(directory, 2);
      clock.advance(30 * MINUTE_MS - 1);
      expect((await directory.getStatus('amos')).failures).toBe(2);
      clock.advance(1);
      // Exactly 30 minutes later the first two no longer count.
      expect((await directory.getStatus('amos')).failures).toBe(0);
      expect(await fail(directory, 2)).toMatchObject([{ lockedNow: false }, { lockedNow: false }]);
      expect(await directory.getStatus('amos')).toMatchObject({ failures: 2, globalFailures: 4, lockedOut: false });
    });

    it('slides the window: failures 20 minutes apart lock only while three fall within 30 minutes', async () => {
      const { directory, clock } = await setup({ maxLogonAttempts: { local: 3, global: 100 } });
      await fail(directory, 1); // t=0
      clock.advance(20 * MINUTE_MS);
      await fail(directory, 1); // t=20
      clock.advance(20 * MINUTE_MS);
      expect(await fail(directory, 1)).toMatchObject([{ lockedNow: false }]); // t=40: t=0 has aged out
      clock.advance(5 * MINUTE_MS);
      expect(await fail(directory, 1)).toMatchObject([{ lockedNow: true }]); // t=45: 20, 40, 45
    });

    it('resets the windowed count on a successful logon, and the global count too', async () => {
      const { directory } = await setup({ maxLogonAttempts: { local: 3, global: 5 } });
      await fail(directory, 2);
      expect(await directory.verifyLeaderPin('123456', '24680')).toMatchObject({ outcome: 'accepted' });
      expect(await directory.getStatus('amos')).toMatchObject({ failures: 0, globalFailures: 0 });
      expect(await fail(directory, 2)).toMatchObject([{ lockedNow: false }, { lockedNow: false }]);
    });

    it('locks until an administrator unlocks once the global limit is reached', async () => {
      const { directory, clock } = await setup({ maxLogonAttempts: { local: 3, global: 5 } });
      await fail(directory, 2);
      clock.advance(31 * MINUTE_MS);
      await fail(directory, 2);
      clock.advance(31 * MINUTE_MS);
      expect(await fail(directory, 1)).toEqual([{ outcome: 'rejected', userId: 'amos', lockedNow: true }]);
      expect(await directory.getStatus('amos')).toMatchObject({ lockedOut: true, lockKind: 'global', lockedUntil: null, globalFailures: 5 });
      clock.advance(1000 * HOUR_MS);
      expect(await directory.verifyLeaderPin('123456', '24680')).toEqual({ outcome: 'locked', userId: 'amos' });
      await directory.unlock('amos');
      expect(await directory.getStatus('amos')).toMatchObject({ lockedOut: false, failures: 0, globalFailures: 0 });
      expect(await directory.verifyLeaderPin('123456', '24680')).toMatchObject({ outcome: 'accepted' });
      expect((await directory.listAudit({ userId: 'amos' })).filter((entry) => entry.event === 'locked').map((entry) => entry.detail)).toEqual([
        'global limit of 5 failures reached; until unlocked',
      ]);
    });

    it('counts global failures across several local locks', async () => {
      const { directory, clock } = await setup({ maxLogonAttempts: { local: 2, global: 5 } });
      expect(await fail(directory, 2)).toMatchObject([{ lockedNow: false }, { lockedNow: true }]);
      clock.advance(HOUR_MS);
      expect(await fail(directory, 2)).toMatchObject([{ lockedNow: false }, { lockedNow: true }]);
      clock.advance(HOUR_MS);
      expect(await fail(directory, 1)).toMatchObject([{ lockedNow: true }]);
      expect((await directory.getStatus('amos')).lockKind).toBe('global');
    });

    it('uses 10 local / 100 global attempts for a 4-digit PIN', async () => {
      const { directory, clock } = await setup({ minLength: 4 });
      await directory.setPin('amos', '2468');
      expect((await directory.getStatus('amos')).limits).toEqual({ local: 10, global: 100 });
      const nine = await fail(directory, 9);
      expect(nine.every((result) => result.outcome === 'rejected' && !result.lockedNow)).toBe(true);
      expect(await fail(directory, 1)).toMatchObject([{ lockedNow: true }]);
      expect((await directory.getStatus('amos')).lockKind).toBe('local');
      // 90 more, 9 per window, never reaching the local limit again: the 100th locks for good.
      for (let round = 0; round < 10; round++) {
        clock.advance(HOUR_MS);
        const results = await fail(directory, 9);
        const lastRound = round === 9;
        expect(results.at(-1)).toMatchObject({ lockedNow: lastRound });
      }
      expect(await directory.getStatus('amos')).toMatchObject({ lockKind: 'global', globalFailures: 100 });
    });

    it('uses 25 local / 1000 global attempts when PINs have at least 5 digits and 25 / 5000 from 6', async () => {
      const { directory } = await setup();
      expect((await directory.getStatus('amos')).limits).toEqual({ local: 25, global: 1000 });
      const results = await fail(directory, 25);
      expect(results.filter((result) => result.outcome === 'rejected' && result.lockedNow)).toHaveLength(1);
      expect(results.at(-1)).toMatchObject({ lockedNow: true });
      await directory.setPolicy({ minLength: 6 });
      await directory.setPin('bela', '80317294');
      expect((await directory.getStatus('bela')).limits).toEqual({ local: 25, global: 5000 });
    });

    it('takes the limits from the policy’s minimum length, not from a PIN’s own length', async () => {
      const { directory } = await setup({ minLength: 4 });
      await directory.setPin('bela', '80317294');
      expect((await directory.getStatus('bela')).limits).toEqual({ local: 10, global: 100 });
    });

    it('replaces and mails the PIN after logonFailuresBeforePinReset consecutive failures', async () => {
      const { directory } = await setup({ logonFailuresBeforePinReset: 3, maxLogonAttempts: { local: 10, global: 100 } });
      await fail(directory, 2);
      expect(await directory.listOutbox('amos')).toEqual([]);
      expect(await fail(directory, 1)).toEqual([{ outcome: 'rejected', userId: 'amos', lockedNow: false }]);
      const [mail] = await directory.listOutbox('amos');
      expect(mail!.body).toContain('reset because of repeated failed attempts');
      const newPin = /Your new PIN is: ([0-9]+)/.exec(mail!.body)![1]!;
      expect(newPin).not.toBe('24680');
      expect(await directory.verifyLeaderPin('123456', '24680')).toMatchObject({ outcome: 'rejected' });
      expect(await directory.verifyLeaderPin('123456', newPin)).toMatchObject({ outcome: 'accepted', mustChange: true });
      const events = (await directory.listAudit({ userId: 'amos' })).map((entry) => `${entry.event}: ${entry.detail}`);
      expect(events).toContain('removed: after 3 consecutive failures; a new PIN follows');
      expect(events).toContain(
        'reset: automatic, after repeated failures; must change at next logon; mailed to amos@contoso.com',
      );
    });

    it('counts many parallel failed attempts exactly', async () => {
      const { directory } = await setup({ maxLogonAttempts: { local: 999, global: 99_999 } });
      const results = await Promise.all(Array.from({ length: 60 }, () => directory.verifyLeaderPin('123456', '55055')));
      expect(results.every((result) => result.outcome === 'rejected')).toBe(true);
      expect(await directory.getStatus('amos')).toMatchObject({ failures: 60, globalFailures: 60 });
      expect((await directory.listAudit({ userId: 'amos' })).filter((entry) => entry.event === 'failure')).toHaveLength(60);
    });

    it('stops counting at the lock when parallel attempts cross the limit, and hides a right PIN among them', async () => {
      const { directory } = await setup({ maxLogonAttempts: { local: 10, global: 100 } });
      const entries = Array.from({ length: 40 }, (_, index) => (index === 39 ? '24680' : '55055'));
      const results = await Promise.all(entries.map((entry) => directory.verifyLeaderPin('123456', entry)));
      const rejected = results.filter((result) => result.outcome === 'rejected');
      expect(rejected).toHaveLength(10);
      expect(rejected.filter((result) => result.lockedNow)).toHaveLength(1);
      expect(results.filter((result) => result.outcome === 'locked')).toHaveLength(30);
      expect(results[39]).toEqual({ outcome: 'locked', userId: 'amos' });
      expect(await directory.getStatus('amos')).toMatchObject({ failures: 10, globalFailures: 10, lockKind: 'local' });
    });
  });
});

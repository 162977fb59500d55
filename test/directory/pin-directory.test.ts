import Database from 'better-sqlite3';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { manualClock } from '../../src/directory/clock.ts';
import { DirectoryError, PinPolicyError, SettingError } from '../../src/directory/errors.ts';
import { PinDirectory } from '../../src/directory/pin-directory.ts';
import { DAY_MS, makeDirectory, START_MS, tempDir, type TestDirectory } from './helpers.ts';
import { directoryBackends } from './backends.ts';

let opened: PinDirectory[] = [];
/** The database the current test opens its directory on. */
let database: () => Promise<string> = async () => ':memory:';
async function setup(yaml?: string): Promise<TestDirectory> {
  const made = await makeDirectory({ file: await database(), ...(yaml === undefined ? {} : { yaml }) });
  opened.push(made.directory);
  return made;
}
afterEach(async () => {
  for (const directory of opened) await directory.close();
  opened = [];
});

function codeOf(error: unknown): string | undefined {
  return (error as { code?: string }).code;
}

async function rejection(promise: Promise<unknown> | (() => unknown)): Promise<unknown> {
  try {
    await (typeof promise === 'function' ? promise() : promise);
  } catch (error) {
    return error;
  }
  throw new Error('expected a rejection');
}

describe.each(directoryBackends())('on $name', (backend) => {
  beforeEach(() => {
    database = backend.db;
  });

  describe('PinDirectory as the flow sees it', () => {
    it('finds a conference with its effective allowAnonymousStart', async () => {
      const { directory } = await setup();
      expect(await directory.findConference('123456')).toEqual({ id: '123456', organizerId: 'amos', allowAnonymousStart: false });
      expect(await directory.findConference('424242')).toEqual({ id: '424242', organizerId: 'bela', allowAnonymousStart: true });
      await directory.setTenant({ allowAnonymousStart: true });
      expect((await directory.findConference('123456'))?.allowAnonymousStart).toBe(true);
      await directory.upsertConference({ id: '123456', organizerId: 'amos', allowAnonymousStart: false });
      expect((await directory.findConference('123456'))?.allowAnonymousStart).toBe(false);
    });

    it('returns undefined for an unknown or malformed conference id', async () => {
      const { directory } = await setup();
      expect(await directory.findConference('999999')).toBeUndefined();
      expect(await directory.findConference('12*456')).toBeUndefined();
      expect(await directory.findConference('')).toBeUndefined();
    });

    it("accepts the organizer's PIN", async () => {
      const { directory } = await setup();
      expect(await directory.verifyLeaderPin('123456', '24680')).toEqual({ outcome: 'accepted', userId: 'amos', mustChange: false });
    });

    it("counts another user's valid PIN as a wrong PIN against the organizer", async () => {
      const { directory } = await setup();
      expect(await directory.verifyLeaderPin('123456', '97531')).toEqual({ outcome: 'rejected', userId: 'amos', lockedNow: false });
      expect((await directory.getStatus('amos')).failures).toBe(1);
      expect((await directory.getStatus('bela')).failures).toBe(0);
    });

    it('rejects and counts an empty, over-long or non-digit entry', async () => {
      const { directory } = await setup();
      for (const entry of ['', '2468024680246802468024680', '24*80', '2468#']) {
        expect((await directory.verifyLeaderPin('123456', entry)).outcome).toBe('rejected');
      }
      expect((await directory.getStatus('amos')).globalFailures).toBe(4);
    });

    it('rejects without counting when the organizer has no PIN', async () => {
      const { directory } = await setup();
      expect(await directory.verifyLeaderPin('777001', '24680')).toEqual({ outcome: 'rejected', userId: 'chen', lockedNow: false });
      expect(await directory.getStatus('chen')).toMatchObject({ failures: 0, globalFailures: 0, lockedOut: false, pinSet: false });
      expect((await directory.listAudit({ userId: 'chen' })).map((entry) => entry.detail)).toEqual([
        'conference 777001: no PIN set; not counted',
      ]);
    });

    it('throws E_UNKNOWN_CONFERENCE when verifying for an unknown conference', async () => {
      const { directory } = await setup();
      const error = await rejection(directory.verifyLeaderPin('999999', '24680'));
      expect(error).toBeInstanceOf(DirectoryError);
      expect(codeOf(error)).toBe('E_UNKNOWN_CONFERENCE');
    });

    it('reports 24 as the longest PIN to collect', async () => {
      const { directory } = await setup();
      expect(directory.pinEntryLimits()).toEqual({ maxPinDigits: 24 });
    });

    it('asks for a change after pin reset --expired, and changePin clears it', async () => {
      const { directory } = await setup();
      const { pin } = await directory.resetPin('amos', { expired: true });
      expect(await directory.verifyLeaderPin('123456', pin)).toMatchObject({ outcome: 'accepted', mustChange: true });
      expect(await directory.getStatus('amos')).toMatchObject({ mustChange: true, pinExpired: true });
      expect(await directory.changePin('amos', '80317')).toEqual({ outcome: 'changed' });
      expect(await directory.verifyLeaderPin('123456', '80317')).toMatchObject({ outcome: 'accepted', mustChange: false });
      expect(await directory.verifyLeaderPin('123456', pin)).toMatchObject({ outcome: 'rejected' });
      expect((await directory.listAudit({ userId: 'amos' })).at(-2)).toMatchObject({ event: 'changed', detail: 'by the user at the keypad' });
    });

    it('expires a PIN exactly lifetimeDays after it was set', async () => {
      const { directory, clock } = await setup();
      await directory.setPolicy({ lifetimeDays: 30 });
      await directory.setPin('amos', '80317');
      clock.advance(30 * DAY_MS - 1);
      expect(await directory.verifyLeaderPin('123456', '80317')).toMatchObject({ mustChange: false });
      expect((await directory.getStatus('amos')).pinExpired).toBe(false);
      clock.advance(1);
      expect(await directory.verifyLeaderPin('123456', '80317')).toMatchObject({ outcome: 'accepted', mustChange: true });
      expect((await directory.getStatus('amos')).pinExpired).toBe(true);
      expect((await directory.getStatus('amos')).expiresAt).toBe(clock.now());
    });

    it('never expires a PIN with lifetimeDays 0', async () => {
      const { directory, clock } = await setup();
      clock.advance(5000 * DAY_MS);
      expect(await directory.verifyLeaderPin('123456', '24680')).toMatchObject({ mustChange: false });
      expect((await directory.getStatus('amos')).expiresAt).toBeNull();
    });

    it('returns policy-rejected with the rule name from changePin', async () => {
      const { directory } = await setup();
      expect(await directory.changePin('amos', '1234')).toEqual({ outcome: 'policy-rejected', rule: 'min-length' });
      expect(await directory.changePin('amos', '77777')).toEqual({ outcome: 'policy-rejected', rule: 'repeated-digit' });
      expect(await directory.changePin('amos', '56789')).toEqual({ outcome: 'policy-rejected', rule: 'consecutive-digits' });
      expect(await directory.changePin('amos', '94071')).toEqual({ outcome: 'policy-rejected', rule: 'extension' });
      expect(await directory.changePin('amos', '39175')).toEqual({ outcome: 'policy-rejected', rule: 'phone-number' });
      expect(await directory.changePin('amos', '24680')).toEqual({ outcome: 'policy-rejected', rule: 'history' });
      expect(await directory.changePin('amos', '12*45')).toEqual({ outcome: 'policy-rejected', rule: 'digits-only' });
      expect(await directory.verifyLeaderPin('123456', '24680')).toMatchObject({ outcome: 'accepted' });
    });
  });

  describe('PinDirectory admin operations', () => {
    it('generates a PIN of the tenant pinLength that meets the policy, and mails it', async () => {
      const { directory } = await setup();
      await directory.setTenant({ pinLength: 8 });
      const issued = await directory.setPin('chen');
      expect(issued).toMatchObject({ userId: 'chen', mailedTo: 'chen@contoso.com', mustChange: false });
      expect(issued.pin).toMatch(/^[0-9]{8}$/);
      expect(await directory.verifyLeaderPin('777001', issued.pin)).toMatchObject({ outcome: 'accepted' });
      const [mail] = await directory.listOutbox('chen');
      expect(mail).toMatchObject({ to: 'chen@contoso.com', subject: 'Your dial-in conferencing PIN' });
      expect(mail!.body).toContain(`Your new PIN is: ${issued.pin}`);
      expect(mail!.body).toContain('Hello Chen Wei,');
    });

    it('generates at least minLength digits when the policy asks for more than pinLength', async () => {
      const { directory } = await setup();
      await directory.setPolicy({ minLength: 9 });
      expect((await directory.setPin('chen')).pin).toHaveLength(9);
    });

    it('keeps existing PINs working when pinLength or minLength change', async () => {
      const { directory } = await setup();
      await directory.setTenant({ pinLength: 10 });
      await directory.setPolicy({ minLength: 8 });
      expect(await directory.verifyLeaderPin('123456', '24680')).toMatchObject({ outcome: 'accepted' });
      expect((await directory.setPin('chen')).pin).toHaveLength(10);
    });

    it('refuses a manual PIN that breaks the policy with a PinPolicyError naming the rule', async () => {
      const { directory } = await setup();
      const error = await rejection(directory.setPin('amos', '1357'));
      expect(error).toBeInstanceOf(PinPolicyError);
      expect(error).toMatchObject({ code: 'E_PIN_POLICY', rule: 'min-length' });
      expect((error as Error).message).toBe("PIN for 'amos' rejected: the PIN must have at least 5 digits (rule min-length)");
      expect(await rejection(directory.setPin('amos', '12345'))).toMatchObject({ rule: 'consecutive-digits' });
      expect(await rejection(directory.setPin('amos', '84071'))).toMatchObject({ rule: 'extension' });
      expect(await rejection(directory.setPin('amos', '8039175'))).toMatchObject({ rule: 'phone-number' });
    });

    it('allows common patterns when the policy does', async () => {
      const { directory } = await setup();
      await directory.setPolicy({ allowCommonPatterns: true });
      await directory.setPin('amos', '12345');
      expect(await directory.verifyLeaderPin('123456', '12345')).toMatchObject({ outcome: 'accepted' });
    });

    it('remembers the last historyCount PINs, the current one included', async () => {
      const { directory } = await setup();
      await directory.setPolicy({ historyCount: 3 });
      // amos: 24680 (current), then two more.
      await directory.setPin('amos', '80317');
      await directory.setPin('amos', '91827');
      expect(await rejection(directory.setPin('amos', '24680'))).toMatchObject({ rule: 'history' });
      expect(await rejection(directory.setPin('amos', '91827'))).toMatchObject({ rule: 'history' });
      await directory.setPin('amos', '60493');
      // 24680 is now the fourth PIN back: allowed again.
      await directory.setPin('amos', '24680');
      expect(await directory.verifyLeaderPin('123456', '24680')).toMatchObject({ outcome: 'accepted' });
    });

    it('allows reusing the current PIN with historyCount 0', async () => {
      const { directory } = await setup();
      await directory.setPolicy({ historyCount: 0 });
      await directory.setPin('amos', '24680');
      expect((await directory.listAudit({ userId: 'amos' })).filter((entry) => entry.event === 'set')).toHaveLength(2);
    });

    it('mails to the override address, or not at all when the tenant sends no PIN mail', async () => {
      const { directory } = await setup();
      await directory.setTenant({ emailOverride: 'pins@contoso.com' });
      expect((await directory.resetPin('amos')).mailedTo).toBe('pins@contoso.com');
      await directory.setTenant({ sendEmailToUser: false });
      expect((await directory.resetPin('amos')).mailedTo).toBeNull();
      expect((await directory.listOutbox()).map((mail) => mail.to)).toEqual(['pins@contoso.com']);
    });

    it('clears failures when a PIN is set or reset', async () => {
      const { directory } = await setup();
      await directory.verifyLeaderPin('123456', '11111');
      await directory.verifyLeaderPin('123456', '11111');
      await directory.resetPin('amos');
      expect(await directory.getStatus('amos')).toMatchObject({ failures: 0, globalFailures: 0 });
    });

    it('locks and unlocks a PIN as an administrator', async () => {
      const { directory } = await setup();
      await directory.lock('amos');
      expect(await directory.getStatus('amos')).toMatchObject({ lockedOut: true, lockKind: 'admin', lockedUntil: null });
      expect(await directory.verifyLeaderPin('123456', '24680')).toEqual({ outcome: 'locked', userId: 'amos' });
      expect(await directory.unlock('amos')).toEqual({ wasLocked: true });
      expect(await directory.verifyLeaderPin('123456', '24680')).toMatchObject({ outcome: 'accepted' });
      expect(await directory.unlock('amos')).toEqual({ wasLocked: false });
    });

    it('refuses to set or reset a locked PIN until it is unlocked', async () => {
      const { directory } = await setup();
      await directory.lock('amos');
      for (const attempt of [() => directory.setPin('amos', '80317'), () => directory.resetPin('amos'), () => directory.changePin('amos', '80317')]) {
        const error = await rejection(attempt());
        expect(error).toBeInstanceOf(DirectoryError);
        expect(codeOf(error)).toBe('E_PIN_LOCKED');
        expect((error as Error).message).toContain("unlock it first with 'dialin-sim pin unlock amos'");
      }
      await directory.unlock('amos');
      await directory.setPin('amos', '80317');
    });

    it('removes a PIN, and refuses to remove a missing one', async () => {
      const { directory } = await setup();
      await directory.removePin('amos');
      expect((await directory.getStatus('amos')).pinSet).toBe(false);
      expect(await directory.verifyLeaderPin('123456', '24680')).toMatchObject({ outcome: 'rejected' });
      expect(codeOf(await rejection(() => directory.removePin('amos')))).toBe('E_NO_PIN');
      // The history survives removal.
      expect(await rejection(directory.setPin('amos', '24680'))).toMatchObject({ rule: 'history' });
    });

    it('throws E_UNKNOWN_USER for every operation on an unknown user', async () => {
      const { directory } = await setup();
      const operations: (() => unknown)[] = [
        () => directory.setPin('zed'),
        () => directory.resetPin('zed'),
        () => directory.unlock('zed'),
        () => directory.lock('zed'),
        () => directory.removePin('zed'),
        () => directory.getStatus('zed'),
        () => directory.changePin('zed', '80317'),
      ];
      for (const operation of operations) {
        const error = await rejection(operation);
        expect(error).toBeInstanceOf(DirectoryError);
        expect(codeOf(error)).toBe('E_UNKNOWN_USER');
        expect((error as Error).message).toBe("no user 'zed' in the directory");
      }
    });

    it('refuses out-of-range policy and tenant settings without changing anything', async () => {
      const { directory } = await setup();
      const before = await directory.getPolicy();
      const error = await rejection(() => directory.importRecords({ tenant: { pinLength: 6 }, policy: { historyCount: 21 } }));
      expect(error).toBeInstanceOf(SettingError);
      expect(error).toMatchObject({ field: 'policy.historyCount' });
      expect(await directory.getPolicy()).toEqual(before);
      expect((await directory.getTenant()).pinLength).toBe(5);
      expect(await rejection(() => directory.setTenant({ pinLength: 3 }))).toMatchObject({ field: 'tenant.pinLength' });
    });

    it('refuses a conference whose organizer is not a user, and a malformed user', async () => {
      const { directory } = await setup();
      expect(codeOf(await rejection(() => directory.upsertConference({ id: '5555', organizerId: 'zed', allowAnonymousStart: null })))).toBe(
        'E_UNKNOWN_USER',
      );
      const bad = { id: 'dora', name: 'Dora', email: 'not-an-address', phone: null, extension: null };
      expect(await rejection(() => directory.upsertUser(bad))).toMatchObject({ code: 'E_INVALID_RECORD' });
      expect(await directory.getUser('dora')).toBeUndefined();
    });

    it('audits every PIN event without the PIN', async () => {
      const { directory } = await setup();
      const { pin } = await directory.resetPin('amos', { expired: true });
      await directory.verifyLeaderPin('123456', '55055');
      await directory.changePin('amos', '80317');
      await directory.lock('amos');
      await directory.unlock('amos');
      await directory.removePin('amos');
      const events = await directory.listAudit({ userId: 'amos' });
      expect(events.map((entry) => entry.event)).toEqual(['set', 'reset', 'failure', 'changed', 'locked', 'unlocked', 'removed']);
      const text = JSON.stringify(events);
      for (const secret of [pin, '55055', '80317', '24680']) expect(text).not.toContain(secret);
    });
  });
});

describe('PinDirectory hash upgrades', () => {
  /** A directory file whose PINs were hashed with the cheap test cost, so a default-cost open upgrades them. */
  async function cheapHashFile(): Promise<{ file: string; cleanup: () => void }> {
    const temp = tempDir();
    const file = temp.file('dialin.db');
    await (await makeDirectory({ file })).directory.close();
    return { file, cleanup: temp.cleanup };
  }
  const storedHash = (file: string) => {
    const db = new Database(file, { readonly: true });
    const { hash } = db.prepare("SELECT hash FROM pins WHERE user_id = 'amos'").get() as { hash: string };
    db.close();
    return hash;
  };

  it('accepts the PIN and keeps the old hash when the file is read-only', async () => {
    const { file, cleanup } = await cheapHashFile();
    try {
      const before = storedHash(file);
      const readonly = await PinDirectory.open(file, { readonly: true, clock: manualClock(START_MS) });
      expect(await readonly.verifyLeaderPin('123456', '24680')).toEqual({ outcome: 'accepted', userId: 'amos', mustChange: false });
      await readonly.close();
      expect(storedHash(file)).toBe(before);
    } finally {
      cleanup();
    }
  });

  it('throws a failed hash upgrade that is not a read-only or busy file', async () => {
    const { file, cleanup } = await cheapHashFile();
    try {
      // A write that SQLite itself refuses (as a damaged file or a failing disk would).
      const db = new Database(file);
      db.exec("CREATE TRIGGER refuse_rehash BEFORE UPDATE OF hash ON pins BEGIN SELECT RAISE(ABORT, 'refused'); END");
      db.close();
      const directory = await PinDirectory.open(file, { clock: manualClock(START_MS) });
      const error = await rejection(directory.verifyLeaderPin('123456', '24680'));
      await directory.close();
      expect(error).toBeInstanceOf(DirectoryError);
      expect(codeOf(error)).toBe('E_DB');
      expect((error as Error).message).toContain('cannot upgrade a PIN hash');
    } finally {
      cleanup();
    }
  });
});

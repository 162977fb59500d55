import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { CLI_ACTOR, DirectoryActions, actorOf, type Actor } from '../../src/directory/directory-actions.ts';
import { DirectoryError, PermissionError, PinPolicyError } from '../../src/directory/errors.ts';
import { makeDirectory, type TestDirectory } from './helpers.ts';
import { directoryBackends } from './backends.ts';

let t: TestDirectory;
afterEach(() => t.directory.close());

const ADMIN: Actor = { kind: 'admin', name: 'alice', role: 'admin' };
const USER_ADMIN: Actor = { kind: 'admin', name: 'bob', role: 'user-admin' };
const AMOS: Actor = { kind: 'user', userId: 'amos' };
const as = (actor: Actor) => new DirectoryActions(t.directory, actor);

async function refusal(action: () => unknown): Promise<Error> {
  try {
    await action();
  } catch (error) {
    return error as Error;
  }
  throw new Error('the action was not refused');
}

describe.each(directoryBackends())('on $name', (backend) => {
  beforeEach(async () => {
    t = await makeDirectory({ file: await backend.db() });
  });

  describe('directory actions', () => {
    it('records the actor of each PIN action in the audit log', async () => {
      const admin = as(USER_ADMIN);
      await admin.setPin('chen');
      await admin.resetPin('chen');
      await admin.lockPin('chen');
      await admin.unlockPin('chen');
      await admin.removePin('chen');
      const entries = await t.directory.listAudit({ userId: 'chen' });
      expect(entries.map((entry) => [entry.event, entry.actor, entry.detail])).toEqual([
        ['set', 'admin bob', 'generated; mailed to chen@contoso.com'],
        ['reset', 'admin bob', 'generated; must change at next logon; mailed to chen@contoso.com'],
        ['locked', 'admin bob', 'until unlocked'],
        ['unlocked', 'admin bob', 'was locked (admin)'],
        ['removed', 'admin bob', ''],
      ]);
    });

    it('requires a change at the next dial-in after a reset unless told otherwise', async () => {
      expect((await as(ADMIN).resetPin('amos')).mustChange).toBe(true);
      expect((await as(ADMIN).resetPin('amos', { requireChange: false })).mustChange).toBe(false);
      expect((await t.directory.getStatus('amos')).mustChange).toBe(false);
    });

    it('checks a given PIN against the policy', async () => {
      const error = await refusal(() => as(ADMIN).setPin('amos', { pin: '12345' }));
      expect(error).toBeInstanceOf(PinPolicyError);
      expect((error as PinPolicyError).rule).toBe('consecutive-digits');
    });

    it('refuses to set or reset a locked PIN until it is unlocked', async () => {
      const admin = as(ADMIN);
      await admin.lockPin('amos');
      for (const action of [() => admin.setPin('amos'), () => admin.resetPin('amos'), () => admin.setPin('amos', { pin: '80317' })]) {
        const error = await refusal(action);
        expect(error).toBeInstanceOf(DirectoryError);
        expect((error as DirectoryError).code).toBe('E_PIN_LOCKED');
      }
      await admin.unlockPin('amos');
      expect((await admin.setPin('amos', { pin: '80317' })).userId).toBe('amos');
    });

    it('lets a user-admin act on PINs and conference IDs but not on settings or admin accounts', async () => {
      const userAdmin = as(USER_ADMIN);
      await userAdmin.resetConferenceId('123456');
      expect(await userAdmin.searchUsers({ text: 'amos' })).toHaveLength(1);
      const refused = [
        () => userAdmin.changeSettings({ policy: { minLength: 6 } }),
        () => userAdmin.addAdmin('carol', 'admin'),
        () => userAdmin.removeAdmin('alice'),
        () => userAdmin.unlockAdmin('alice'),
        () => userAdmin.listAdmins(),
      ];
      for (const action of refused) {
        const error = await refusal(action);
        expect(error).toBeInstanceOf(PermissionError);
        expect((error as PermissionError).code).toBe('E_FORBIDDEN');
        expect((error as PermissionError).needs).toBe('the admin role');
      }
      expect((await t.directory.getPolicy()).minLength).toBe(5);
      expect(await t.directory.accounts.list()).toEqual([]);
    });

    it('lets an admin change settings and admin accounts, recording who changed, added and removed what', async () => {
      const admin = as(ADMIN);
      expect(await admin.changeSettings({ policy: { minLength: 6 }, tenant: { pinLength: 7 } })).toMatchObject({
        policy: { minLength: 6 },
        tenant: { pinLength: 7 },
      });
      expect((await t.directory.listAudit({ userId: 'tenant:settings' })).map((entry) => [entry.event, entry.actor, entry.detail])).toEqual([
        ['settings', 'admin alice', 'policy.minLength 5 -> 6; tenant.pinLength 5 -> 7'],
      ]);
      await admin.changeSettings({ policy: { minLength: 6 } });
      expect(await t.directory.listAudit({ userId: 'tenant:settings' })).toHaveLength(1);
      const { generatedPassword } = await admin.addAdmin('carol', 'user-admin');
      expect(generatedPassword).toBeDefined();
      expect((await admin.listAdmins()).map((account) => account.name)).toEqual(['carol']);
      await admin.removeAdmin('carol');
      expect((await t.directory.listAudit({ userId: 'admin:carol' })).map((entry) => [entry.event, entry.actor, entry.detail])).toEqual([
        ['account-added', 'admin alice', 'role user-admin; generated password'],
        ['account-removed', 'admin alice', 'role user-admin'],
      ]);
    });

    it('does not let an admin remove their own account', async () => {
      await t.directory.accounts.add('alice', 'admin');
      const error = await refusal(() => as(ADMIN).removeAdmin('alice'));
      expect(error).toBeInstanceOf(PermissionError);
      expect(await t.directory.accounts.get('alice')).toBeDefined();
    });

    it('lets the CLI do everything', async () => {
      const cli = as(CLI_ACTOR);
      await cli.changeSettings({ tenant: { pinLength: 6 } });
      await cli.addAdmin('alice', 'admin');
      await cli.setPin('chen');
      expect((await t.directory.listAudit({ userId: 'chen' })).at(-1)?.actor).toBe('cli');
    });

    it("lets a user reset only their own PIN, typed or generated, and not mailed", async () => {
      const amos = as(AMOS);
      const generated = await amos.resetOwnPin();
      expect(generated).toMatchObject({ userId: 'amos', mailedTo: null, mustChange: false });
      expect(generated.pin).toMatch(/^\d{5}$/);
      await amos.resetOwnPin({ pin: '80317' });
      expect(await t.directory.verifyLeaderPin('123456', '80317')).toMatchObject({ outcome: 'accepted', mustChange: false });
      expect((await t.directory.listAudit({ userId: 'amos' })).slice(-2).map((entry) => [entry.event, entry.actor, entry.detail])).toEqual([
        ['changed', 'the user', 'generated'],
        ['changed', 'the user', 'manual'],
      ]);
      expect(await t.directory.listOutbox('amos')).toEqual([]);
      for (const action of [() => amos.setPin('bela'), () => amos.resetPin('amos'), () => amos.searchUsers(), () => amos.checkPin('bela', '80317')]) {
        expect(await refusal(action)).toBeInstanceOf(PermissionError);
      }
    });

    it("refuses the user's own reset while the PIN is locked", async () => {
      await t.directory.lock('amos');
      const error = await refusal(() => as(AMOS).resetOwnPin({ pin: '80317' }));
      expect((error as DirectoryError).code).toBe('E_PIN_LOCKED');
    });

    it('has no own PIN for an admin', async () => {
      expect(await refusal(() => as(ADMIN).resetOwnPin())).toBeInstanceOf(PermissionError);
    });

    it('checks a PIN being typed: ok, or the rule it breaks, history included', async () => {
      const amos = as(AMOS);
      expect(await amos.checkPin('amos', '80317')).toBe('ok');
      expect(await amos.checkPin('amos', '803')).toBe('min-length');
      expect(await amos.checkPin('amos', '11111')).toBe('repeated-digit');
      expect(await amos.checkPin('amos', '24680')).toBe('history');
      expect(await as(USER_ADMIN).checkPin('bela', '97531')).toBe('history');
    });

    it('acts for the subject of a web session, with its current role', async () => {
      await t.directory.accounts.add('bob', 'user-admin');
      const session = await t.directory.sessions.create({ kind: 'admin', name: 'bob' });
      const actions = as(actorOf((await t.directory.sessions.lookup(session.token))!));
      expect(actions.actor).toEqual(USER_ADMIN);
      expect(await refusal(() => actions.listAdmins())).toBeInstanceOf(PermissionError);
    });
  });
});

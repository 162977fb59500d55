import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { isDeploymentApplied } from '../../src/directory/deployment-applied.ts';
import { applyDeployment, loadDeployment } from '../../src/directory/deployment.ts';
import { SETTINGS_SUBJECT } from '../../src/directory/audit-log.ts';
import { DirectoryActions } from '../../src/directory/directory-actions.ts';
import { DeploymentError, DirectoryError, PermissionError, PinPolicyError, SettingError } from '../../src/directory/errors.ts';
import type { PinDirectory } from '../../src/directory/pin-directory.ts';
import { DAY_MS, makeDirectory } from './helpers.ts';
import { directoryBackends } from './backends.ts';

/** amos and bela are in site emea, chen in no site; amos has his own policy on top. */
const SITES = `
policy: { lifetimeDays: 90, historyCount: 3 }
policies:
  - { site: emea, minLength: 6, maxLogonAttempts: 2 }
  - { user: amos, minLength: 8, lifetimeDays: 0 }
users:
  - { id: amos, name: Amos Marble, email: amos@contoso.com, site: emea }
  - { id: bela, name: Bela Okafor, email: bela@contoso.com, site: emea, pin: "802641" }
  - { id: chen, name: Chen Wei, email: chen@contoso.com, pin: "80264" }
conferences:
  - { id: "123456", organizer: amos }
  - { id: "424242", organizer: bela }
  - { id: "777001", organizer: chen }
`;

/** The database the current test opens its directory on. */
let database: () => Promise<string>;
let opened: PinDirectory[] = [];
async function sites() {
  const made = await makeDirectory({ yaml: SITES, file: await database() });
  opened.push(made.directory);
  return made;
}
afterEach(async () => {
  for (const directory of opened) await directory.close();
  opened = [];
});

describe.each(directoryBackends())('on $name', (backend) => {
  beforeEach(() => {
    database = backend.db;
  });

  describe('site and user PIN policies', () => {
    it("gives each user the user's policy, else the site's, else the global one, and says whose", async () => {
      const { directory } = await sites();
      expect(await directory.effectivePolicy('amos')).toMatchObject({ scope: { kind: 'user', userId: 'amos' }, policy: { minLength: 8, lifetimeDays: 0 } });
      expect(await directory.effectivePolicy('bela')).toMatchObject({ scope: { kind: 'site', site: 'emea' }, policy: { minLength: 6 } });
      expect(await directory.effectivePolicy('chen')).toEqual({ scope: { kind: 'global' }, policy: await directory.getPolicy() });
      expect((await directory.getStatus('bela')).policyScope).toEqual({ kind: 'site', site: 'emea' });
    });

    it('starts a new scoped policy from the one that applied, so the values not given are inherited once', async () => {
      const { directory } = await sites();
      // The site policy was made from the file's global policy: lifetimeDays 90 and historyCount 3 came along.
      expect((await directory.sitePolicy('emea')).policy).toMatchObject({ minLength: 6, lifetimeDays: 90, historyCount: 3 });
      // A whole policy, not a patch: changing the global one later does not reach it.
      await directory.setPolicy({ historyCount: 10 });
      expect((await directory.sitePolicy('emea')).policy.historyCount).toBe(3);
      // bela's own policy starts from the site's.
      expect(await directory.setScopedPolicy({ kind: 'user', userId: 'bela' }, { lifetimeDays: 30 })).toMatchObject({ minLength: 6, lifetimeDays: 30, historyCount: 3 });
    });

    it('checks and generates PINs by the effective policy', async () => {
      const { directory } = await sites();
      await expect(directory.setPin('amos', '8026413')).rejects.toMatchObject({ rule: 'min-length', reason: 'the PIN must have at least 8 digits' });
      await expect(directory.setPin('amos', '8026413')).rejects.toBeInstanceOf(PinPolicyError);
      expect((await directory.setPin('amos')).pin).toHaveLength(8);
      expect((await directory.resetPin('bela')).pin).toHaveLength(6);
      expect((await directory.resetPin('chen')).pin).toHaveLength(5);
      expect(await directory.changePin('bela', '80264')).toEqual({ outcome: 'policy-rejected', rule: 'min-length' });
      expect(await directory.changePin('chen', '80265')).toEqual({ outcome: 'changed' });
    });

    it("locks a site's users after the site's limit and leaves the others to the global one", async () => {
      const { directory } = await sites();
      for (let i = 0; i < 2; i++) await directory.verifyLeaderPin('424242', '111111');
      for (let i = 0; i < 2; i++) await directory.verifyLeaderPin('777001', '11111');
      expect(await directory.getStatus('bela')).toMatchObject({ lockedOut: true, lockKind: 'local', limits: { local: 2 } });
      expect(await directory.getStatus('chen')).toMatchObject({ lockedOut: false, failures: 2, limits: { local: 25, global: 1000 } });
    });

    it("expires PINs by the user's own lifetime", async () => {
      const { directory, clock } = await sites();
      await directory.setPin('amos', '80264135');
      clock.advance(91 * DAY_MS);
      expect(await directory.getStatus('amos')).toMatchObject({ expiresAt: null, pinExpired: false });
      expect((await directory.getStatus('bela')).pinExpired).toBe(true);
      expect(await directory.verifyLeaderPin('123456', '80264135')).toEqual({ outcome: 'accepted', userId: 'amos', mustChange: false });
      expect(await directory.verifyLeaderPin('424242', '802641')).toEqual({ outcome: 'accepted', userId: 'bela', mustChange: true });
    });

    it('falls back to the next scope when a policy is removed, and names a scope without one', async () => {
      const { directory } = await sites();
      await directory.removeScopedPolicy({ kind: 'user', userId: 'amos' });
      expect((await directory.effectivePolicy('amos')).scope).toEqual({ kind: 'site', site: 'emea' });
      await directory.removeScopedPolicy({ kind: 'site', site: 'emea' });
      expect((await directory.effectivePolicy('amos')).scope).toEqual({ kind: 'global' });
      await expect(directory.removeScopedPolicy({ kind: 'site', site: 'emea' })).rejects.toThrow(DirectoryError);
      await expect(directory.removeScopedPolicy({ kind: 'site', site: 'emea' })).rejects.toThrow('site emea has no PIN policy of its own');
      expect(await directory.listScopedPolicies()).toEqual([]);
    });

    it('refuses a bad setting, an unknown user and a malformed site name, changing nothing', async () => {
      const { directory } = await sites();
      await expect(directory.setScopedPolicy({ kind: 'site', site: 'emea' }, { minLength: 3 })).rejects.toThrow(SettingError);
      await expect(directory.setScopedPolicy({ kind: 'user', userId: 'zed' }, { minLength: 6 })).rejects.toThrow("no user 'zed' in the directory");
      await expect(directory.setScopedPolicy({ kind: 'site', site: 'no spaces' }, { minLength: 6 })).rejects.toThrow(DirectoryError);
      expect((await directory.listScopedPolicies()).map((entry) => entry.scope)).toEqual([{ kind: 'site', site: 'emea' }, { kind: 'user', userId: 'amos' }]);
      expect((await directory.sitePolicy('emea')).policy.minLength).toBe(6);
    });
  });

  describe('site and user policies through the shared actions', () => {
    it('lets an admin change and remove them, audited with the actor, and refuses a user-admin', async () => {
      const { directory } = await sites();
      const admin = new DirectoryActions(directory, { kind: 'admin', name: 'alice', role: 'admin' });
      const userAdmin = new DirectoryActions(directory, { kind: 'admin', name: 'bob', role: 'user-admin' });
      await admin.changeScopedPolicy({ kind: 'site', site: 'emea' }, { minLength: 7 });
      await admin.changeScopedPolicy({ kind: 'user', userId: 'chen' }, { historyCount: 4 });
      await admin.removeScopedPolicy({ kind: 'user', userId: 'amos' });
      const entries = (await directory.listAudit({ userId: SETTINGS_SUBJECT })).map((entry) => `${entry.actor}: ${entry.detail}`);
      expect(entries).toEqual([
        'admin alice: site emea: own PIN policy; policy.minLength 6 -> 7',
        'admin alice: user chen: own PIN policy made from the one that applied; policy.historyCount 3 -> 4',
        'admin alice: user amos: own PIN policy removed',
      ]);
      await expect(userAdmin.changeScopedPolicy({ kind: 'site', site: 'emea' }, { minLength: 8 })).rejects.toThrow(PermissionError);
      await expect(userAdmin.removeScopedPolicy({ kind: 'site', site: 'emea' })).rejects.toThrow(PermissionError);
      expect(await userAdmin.effectivePolicy('bela')).toMatchObject({ scope: { kind: 'site', site: 'emea' }, policy: { minLength: 7 } });
      const bela = new DirectoryActions(directory, { kind: 'user', userId: 'bela' });
      expect((await bela.effectivePolicy('bela')).scope).toEqual({ kind: 'site', site: 'emea' });
      await expect(bela.effectivePolicy('amos')).rejects.toThrow(PermissionError);
    });
  });

  describe('policies in the deployment file', () => {
    it('applies again without change, and knows when the database already holds them', async () => {
      const { directory } = await sites();
      const deployment = loadDeployment(SITES, 'sites.yaml');
      expect(await isDeploymentApplied(directory, deployment)).toBe(true);
      await directory.setScopedPolicy({ kind: 'site', site: 'emea' }, { minLength: 7 });
      expect(await isDeploymentApplied(directory, deployment)).toBe(false);
      await applyDeployment(directory, deployment);
      expect((await directory.sitePolicy('emea')).policy.minLength).toBe(6);
      expect(await isDeploymentApplied(directory, deployment)).toBe(true);
    });

    it('reports each bad entry at its line', () => {
      const users = 'users:\n  - { id: amos, name: A, email: a@x.com, site: emea }\n';
      const cases: [string, string][] = [
        ['policies:\n  - { minLength: 6 }\n', 'sites.yaml:2: policies[0] needs exactly one of site and user (whose policy it is)'],
        ['policies:\n  - { site: emea, user: amos, minLength: 6 }\n', 'sites.yaml:2: policies[0] needs exactly one of site and user (whose policy it is)'],
        ['policies:\n  - { site: apac, minLength: 6 }\n', "sites.yaml:2: policies[0].site 'apac' is not the site of any user (emea)"],
        ['policies:\n  - { user: zed, minLength: 6 }\n', "sites.yaml:2: policies[0].user 'zed' is not one of the users"],
        ['policies:\n  - { site: emea }\n', 'sites.yaml:2: policies[0] sets no policy settings'],
        ['policies:\n  - { site: emea, minLength: 3 }\n', 'sites.yaml:2: policies[0].minLength must be a whole number from 4 to 24, got 3'],
        ['policies:\n  - { site: emea, minLenght: 6 }\n', 'sites.yaml:2: policies[0].minLenght is not a policy setting (minLength, historyCount, lifetimeDays, allowCommonPatterns, maxLogonAttempts, logonFailuresBeforePinReset)'],
        ['policies:\n  - { site: emea, minLength: 6 }\n  - { site: emea, historyCount: 2 }\n', "sites.yaml:3: policies[1]: site 'emea' has a policy earlier in the list"],
        ['policies: { site: emea }\n', 'sites.yaml:1: policies must be a list'],
      ];
      for (const [text, message] of cases) {
        let error: unknown;
        try {
          loadDeployment(`${text}${users}`, 'sites.yaml');
        } catch (caught) {
          error = caught;
        }
        expect(error, text).toBeInstanceOf(DeploymentError);
        expect((error as DeploymentError).message, text).toBe(message);
      }
    });

    it("refuses a user's site that is not a site name, at its line", () => {
      expect(() => loadDeployment('users:\n  - { id: amos, name: A, email: a@x.com, site: "e m e a" }\n', 'sites.yaml')).toThrow(
        "sites.yaml:2: users[0].site must be letters, digits, '.', '_' or '-' (at most 64), got 'e m e a'",
      );
    });
  });
});

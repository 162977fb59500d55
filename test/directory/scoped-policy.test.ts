import { describe, expect, it } from 'vitest';
import { isDeploymentApplied } from '../../src/directory/deployment-applied.ts';
import { applyDeployment, loadDeployment } from '../../src/directory/deployment.ts';
import { SETTINGS_SUBJECT } from '../../src/directory/audit-log.ts';
import { DirectoryActions } from '../../src/directory/directory-actions.ts';
import { DeploymentError, DirectoryError, PermissionError, PinPolicyError, SettingError } from '../../src/directory/errors.ts';
import { DAY_MS, makeDirectory } from './helpers.ts';

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

describe('site and user PIN policies', () => {
  it("gives each user the user's policy, else the site's, else the global one, and says whose", async () => {
    const { directory } = await makeDirectory({ yaml: SITES });
    expect(directory.effectivePolicy('amos')).toMatchObject({ scope: { kind: 'user', userId: 'amos' }, policy: { minLength: 8, lifetimeDays: 0 } });
    expect(directory.effectivePolicy('bela')).toMatchObject({ scope: { kind: 'site', site: 'emea' }, policy: { minLength: 6 } });
    expect(directory.effectivePolicy('chen')).toEqual({ scope: { kind: 'global' }, policy: directory.getPolicy() });
    expect(directory.getStatus('bela').policyScope).toEqual({ kind: 'site', site: 'emea' });
  });

  it('starts a new scoped policy from the one that applied, so the values not given are inherited once', async () => {
    const { directory } = await makeDirectory({ yaml: SITES });
    // The site policy was made from the file's global policy: lifetimeDays 90 and historyCount 3 came along.
    expect(directory.sitePolicy('emea').policy).toMatchObject({ minLength: 6, lifetimeDays: 90, historyCount: 3 });
    // A whole policy, not a patch: changing the global one later does not reach it.
    directory.setPolicy({ historyCount: 10 });
    expect(directory.sitePolicy('emea').policy.historyCount).toBe(3);
    // bela's own policy starts from the site's.
    expect(directory.setScopedPolicy({ kind: 'user', userId: 'bela' }, { lifetimeDays: 30 })).toMatchObject({ minLength: 6, lifetimeDays: 30, historyCount: 3 });
  });

  it('checks and generates PINs by the effective policy', async () => {
    const { directory } = await makeDirectory({ yaml: SITES });
    await expect(directory.setPin('amos', '8026413')).rejects.toMatchObject({ rule: 'min-length', reason: 'the PIN must have at least 8 digits' });
    await expect(directory.setPin('amos', '8026413')).rejects.toBeInstanceOf(PinPolicyError);
    expect((await directory.setPin('amos')).pin).toHaveLength(8);
    expect((await directory.resetPin('bela')).pin).toHaveLength(6);
    expect((await directory.resetPin('chen')).pin).toHaveLength(5);
    expect(await directory.changePin('bela', '80264')).toEqual({ outcome: 'policy-rejected', rule: 'min-length' });
    expect(await directory.changePin('chen', '80265')).toEqual({ outcome: 'changed' });
  });

  it("locks a site's users after the site's limit and leaves the others to the global one", async () => {
    const { directory } = await makeDirectory({ yaml: SITES });
    for (let i = 0; i < 2; i++) await directory.verifyLeaderPin('424242', '111111');
    for (let i = 0; i < 2; i++) await directory.verifyLeaderPin('777001', '11111');
    expect(directory.getStatus('bela')).toMatchObject({ lockedOut: true, lockKind: 'local', limits: { local: 2 } });
    expect(directory.getStatus('chen')).toMatchObject({ lockedOut: false, failures: 2, limits: { local: 25, global: 1000 } });
  });

  it("expires PINs by the user's own lifetime", async () => {
    const { directory, clock } = await makeDirectory({ yaml: SITES });
    await directory.setPin('amos', '80264135');
    clock.advance(91 * DAY_MS);
    expect(directory.getStatus('amos')).toMatchObject({ expiresAt: null, pinExpired: false });
    expect(directory.getStatus('bela').pinExpired).toBe(true);
    expect(await directory.verifyLeaderPin('123456', '80264135')).toEqual({ outcome: 'accepted', userId: 'amos', mustChange: false });
    expect(await directory.verifyLeaderPin('424242', '802641')).toEqual({ outcome: 'accepted', userId: 'bela', mustChange: true });
  });

  it('falls back to the next scope when a policy is removed, and names a scope without one', async () => {
    const { directory } = await makeDirectory({ yaml: SITES });
    directory.removeScopedPolicy({ kind: 'user', userId: 'amos' });
    expect(directory.effectivePolicy('amos').scope).toEqual({ kind: 'site', site: 'emea' });
    directory.removeScopedPolicy({ kind: 'site', site: 'emea' });
    expect(directory.effectivePolicy('amos').scope).toEqual({ kind: 'global' });
    expect(() => directory.removeScopedPolicy({ kind: 'site', site: 'emea' })).toThrow(DirectoryError);
    expect(() => directory.removeScopedPolicy({ kind: 'site', site: 'emea' })).toThrow('site emea has no PIN policy of its own');
    expect(directory.listScopedPolicies()).toEqual([]);
  });

  it('refuses a bad setting, an unknown user and a malformed site name, changing nothing', async () => {
    const { directory } = await makeDirectory({ yaml: SITES });
    expect(() => directory.setScopedPolicy({ kind: 'site', site: 'emea' }, { minLength: 3 })).toThrow(SettingError);
    expect(() => directory.setScopedPolicy({ kind: 'user', userId: 'zed' }, { minLength: 6 })).toThrow("no user 'zed' in the directory");
    expect(() => directory.setScopedPolicy({ kind: 'site', site: 'no spaces' }, { minLength: 6 })).toThrow(DirectoryError);
    expect(directory.listScopedPolicies().map((entry) => entry.scope)).toEqual([{ kind: 'site', site: 'emea' }, { kind: 'user', userId: 'amos' }]);
    expect(directory.sitePolicy('emea').policy.minLength).toBe(6);
  });
});

describe('site and user policies through the shared actions', () => {
  it('lets an admin change and remove them, audited with the actor, and refuses a user-admin', async () => {
    const { directory } = await makeDirectory({ yaml: SITES });
    const admin = new DirectoryActions(directory, { kind: 'admin', name: 'alice', role: 'admin' });
    const userAdmin = new DirectoryActions(directory, { kind: 'admin', name: 'bob', role: 'user-admin' });
    admin.changeScopedPolicy({ kind: 'site', site: 'emea' }, { minLength: 7 });
    admin.changeScopedPolicy({ kind: 'user', userId: 'chen' }, { historyCount: 4 });
    admin.removeScopedPolicy({ kind: 'user', userId: 'amos' });
    const entries = directory.listAudit({ userId: SETTINGS_SUBJECT }).map((entry) => `${entry.actor}: ${entry.detail}`);
    expect(entries).toEqual([
      'admin alice: site emea: own PIN policy; policy.minLength 6 -> 7',
      'admin alice: user chen: own PIN policy made from the one that applied; policy.historyCount 3 -> 4',
      'admin alice: user amos: own PIN policy removed',
    ]);
    expect(() => userAdmin.changeScopedPolicy({ kind: 'site', site: 'emea' }, { minLength: 8 })).toThrow(PermissionError);
    expect(() => userAdmin.removeScopedPolicy({ kind: 'site', site: 'emea' })).toThrow(PermissionError);
    expect(userAdmin.effectivePolicy('bela')).toMatchObject({ scope: { kind: 'site', site: 'emea' }, policy: { minLength: 7 } });
    const bela = new DirectoryActions(directory, { kind: 'user', userId: 'bela' });
    expect(bela.effectivePolicy('bela').scope).toEqual({ kind: 'site', site: 'emea' });
    expect(() => bela.effectivePolicy('amos')).toThrow(PermissionError);
  });
});

describe('policies in the deployment file', () => {
  it('applies again without change, and knows when the database already holds them', async () => {
    const { directory } = await makeDirectory({ yaml: SITES });
    const deployment = loadDeployment(SITES, 'sites.yaml');
    expect(isDeploymentApplied(directory, deployment)).toBe(true);
    directory.setScopedPolicy({ kind: 'site', site: 'emea' }, { minLength: 7 });
    expect(isDeploymentApplied(directory, deployment)).toBe(false);
    await applyDeployment(directory, deployment);
    expect(directory.sitePolicy('emea').policy.minLength).toBe(6);
    expect(isDeploymentApplied(directory, deployment)).toBe(true);
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

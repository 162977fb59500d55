import { readFileSync } from 'node:fs';
import { afterEach, describe, expect, it } from 'vitest';
import { manualClock } from '../../src/directory/clock.ts';
import { applyDeployment, loadDeployment } from '../../src/directory/deployment.ts';
import { DeploymentError } from '../../src/directory/errors.ts';
import { readDeploymentFile } from '../../src/directory/open-directory.ts';
import { PinDirectory } from '../../src/directory/pin-directory.ts';
import { DEPLOYMENT, FAST_COST, START_MS } from './helpers.ts';

let opened: PinDirectory[] = [];
async function directory(): Promise<PinDirectory> {
  const made = await PinDirectory.open(':memory:', { clock: manualClock(START_MS), hashCost: FAST_COST });
  opened.push(made);
  return made;
}
afterEach(async () => {
  for (const made of opened) await made.close();
  opened = [];
});

function loadError(text: string): DeploymentError {
  try {
    loadDeployment(text, 'deployment.yaml');
  } catch (error) {
    expect(error).toBeInstanceOf(DeploymentError);
    expect((error as DeploymentError).code).toBe('E_DEPLOYMENT');
    return error as DeploymentError;
  }
  throw new Error('expected a DeploymentError');
}

describe('loadDeployment', () => {
  it('reads the documented shape', () => {
    const deployment = loadDeployment(
      `tenant: { pinLength: 5, allowAnonymousStart: false, sendEmailToUser: true }
policy: { minLength: 5, allowCommonPatterns: false, historyCount: 5, lifetimeDays: 0, maxLogonAttempts: { local: 10, global: 100 } }
users:
  - { id: amos, name: Amos Marble, email: amos@contoso.com, phone: "+15551234567", extension: "4567", pin: "24680" }
conferences:
  - { id: "123456", organizer: amos, allowAnonymousStart: false }
`,
      'deployment.yaml',
    );
    expect(deployment.tenant).toEqual({ pinLength: 5, allowAnonymousStart: false, sendEmailToUser: true });
    expect(deployment.policy).toMatchObject({ maxLogonAttempts: { local: 10, global: 100 } });
    expect(deployment.users).toEqual([
      { id: 'amos', name: 'Amos Marble', email: 'amos@contoso.com', phone: '+15551234567', extension: '4567', pin: '24680' },
    ]);
    expect(deployment.conferences).toEqual([{ id: '123456', organizerId: 'amos', allowAnonymousStart: false }]);
  });

  it('keeps leading zeros of digits written without quotes', () => {
    const deployment = loadDeployment(
      'users:\n  - { id: amos, name: A, email: a@contoso.com, extension: 0018, pin: 024680 }\nconferences:\n  - { id: 00123, organizer: amos }\n',
      'deployment.yaml',
    );
    expect(deployment.users[0]).toMatchObject({ extension: '0018', pin: '024680' });
    expect(deployment.conferences[0]!.id).toBe('00123');
  });

  it('loads the sample deployment', () => {
    const text = readFileSync(new URL('../../scenarios/deployment.yaml', import.meta.url), 'utf8');
    const deployment = loadDeployment(text, 'scenarios/deployment.yaml');
    expect(deployment.users.map((user) => user.id)).toEqual(['amos', 'bela', 'chen', 'dana']);
    expect(deployment.users.every((user) => user.pin === undefined)).toBe(true);
    expect(deployment.conferences).toHaveLength(4);
  });

  it('names the file, line and field of a missing field', () => {
    const error = loadError(`users:
  - id: amos
    name: Amos
    email: amos@contoso.com
  - id: bela
    name: Bela
`);
    expect(error.message).toBe('deployment.yaml:5: users[1].email is missing');
    expect(error.line).toBe(5);
  });

  it('reports each kind of bad field at its line', () => {
    const cases: [string, string][] = [
      ['users:\n  - { id: amos, name: A, email: a@contoso.com, emial: x }\n', 'deployment.yaml:2: users[0].emial is not a known field (expected id, name, email, phone, extension, site, pin, pinExpired, locked)'],
      ['users:\n  - { id: amos, name: A, email: a@contoso.com, pin: "24680", locked: yes }\n', 'deployment.yaml:2: users[0].locked must be true or false, got yes'],
      ['users:\n  - id: amos\n    name: A\n    email: a@contoso.com\n    pinExpired: true\n', 'deployment.yaml:5: users[0].pinExpired needs a pin: it expires the initial PIN, so that it must be changed at the first dial-in'],
      ['users:\n  - { id: amos, name: A, email: not-mail }\n', "deployment.yaml:2: users[0].email must be an e-mail address, got 'not-mail'"],
      ['users:\n  - id: amos\n    name: A\n    email: a@contoso.com\n    pin: "12*45"\n', 'deployment.yaml:5: users[0].pin may contain only the digits 0-9'],
      ['users:\n  - { id: amos, name: A, email: a@contoso.com, pin: "" }\n', 'deployment.yaml:2: users[0].pin must have 1 to 24 digits'],
      ['users:\n  - { id: amos, name: A, email: a@contoso.com, pin: "1234567890123456789012345" }\n', 'deployment.yaml:2: users[0].pin must have 1 to 24 digits'],
      ['users:\n  - { id: amos, name: A, email: a@contoso.com }\n  - { id: amos, name: B, email: b@contoso.com }\n', "deployment.yaml:3: users[1].id 'amos' appears twice"],
      ['users:\n  - { id: amos, name: [A], email: a@contoso.com }\n', 'deployment.yaml:2: users[0].name must be text, not a list'],
      ['users: []\nconferences:\n  - { id: "12x", organizer: amos }\n', "deployment.yaml:3: conferences[0].id must be 1 to 24 digits, got '12x'"],
      ['users: []\nconferences:\n  - { id: "123" }\n', 'deployment.yaml:3: conferences[0].organizer is missing'],
      ['users:\n  - { id: amos, name: A, email: a@contoso.com }\nconferences:\n  - { id: "123", organizer: bob }\n', "deployment.yaml:4: conferences[0].organizer 'bob' is not one of the users"],
      ['users:\n  - { id: amos, name: A, email: a@contoso.com }\nconferences:\n  - { id: "123", organizer: amos, allowAnonymousStart: maybe }\n', 'deployment.yaml:4: conferences[0].allowAnonymousStart must be true or false, got maybe'],
      ['tenant:\n  pinLength: 20\nusers: []\n', 'deployment.yaml:2: tenant.pinLength must be a whole number from 4 to 12, got 20'],
      ['policy:\n  minLength: 5\n  maxLogonAttempts: { local: 10, global: 5 }\nusers: []\n', 'deployment.yaml:3: policy.maxLogonAttempts.global must be at least the local limit (10), got 5'],
      ['policy:\n  lifetimeDays: 30\n  historyCount: 0\nusers: []\n', 'deployment.yaml:2: policy.historyCount must be above 0 when lifetimeDays is above 0 (an expired PIN could be set again)'],
      ['policy: { colour: blue }\nusers: []\n', 'deployment.yaml:1: policy.colour is not a policy setting (minLength, historyCount, lifetimeDays, allowCommonPatterns, maxLogonAttempts, logonFailuresBeforePinReset)'],
      ['users: []\nrooms: []\n', 'deployment.yaml:2: the deployment.rooms is not a known field (expected tenant, policy, policies, users, conferences)'],
      ['conferences: []\n', 'deployment.yaml:1: users is missing'],
      ['users: { amos: 1 }\n', 'deployment.yaml:1: users must be a list'],
      ['users:\n  - id: amos\n    id: b\n', 'deployment.yaml:3: not valid YAML: Map keys must be unique'],
      ['', 'deployment.yaml: the file is empty (expected users and conferences)'],
      ['- just\n- a list\n', 'deployment.yaml:1: the deployment must be a map of fields'],
    ];
    for (const [text, message] of cases) expect(loadError(text).message).toBe(message);
  });

  it('reports every problem of the file, one line each, without blaming conferences for a bad user', () => {
    const error = loadError(
      'policy: { minLength: 3 }\nusers:\n  - { id: amos, name: A, email: not-mail }\n  - { id: bela, name: B, email: b@contoso.com, locked: maybe }\n' +
        'conferences:\n  - { id: "12x", organizer: bela }\n  - { id: "123", organizer: amos }\n  - { id: "456", organizer: nobody }\n',
    );
    expect(error.message.split('\n')).toEqual([
      'deployment.yaml:1: policy.minLength must be a whole number from 4 to 24, got 3',
      "deployment.yaml:3: users[0].email must be an e-mail address, got 'not-mail'",
      'deployment.yaml:4: users[1].locked must be true or false, got maybe',
      "deployment.yaml:6: conferences[0].id must be 1 to 24 digits, got '12x'",
      "deployment.yaml:8: conferences[2].organizer 'nobody' is not one of the users",
    ]);
    expect(error.problems.map((item) => item.line)).toEqual([1, 3, 4, 6, 8]);
  });

  it('reports a YAML syntax error at the line where the unclosed bracket opens', () => {
    const error = loadError('users:\n  - { id: amos, name: A, email: a@contoso.com\nconferences: []\n');
    expect(error.message).toMatch(/^deployment\.yaml:2: not valid YAML: .*\(opened on line 2, still open on line 3\)$/);
  });

  it('reports an unreadable deployment file', async () => {
    await expect(readDeploymentFile('/nonexistent/deployment.yaml')).rejects.toThrow(
      '/nonexistent/deployment.yaml: cannot read the deployment file (ENOENT)',
    );
  });
});

describe('applyDeployment', () => {
  it('stores users, conferences, settings and initial PINs (not mailed)', async () => {
    const target = await directory();
    const applied = await applyDeployment(
      target,
      loadDeployment(`tenant: { pinLength: 6 }\npolicy: { historyCount: 3 }\n${DEPLOYMENT}`, 'test.yaml'),
    );
    expect(applied).toEqual({ users: 3, conferences: 3, pinsSet: ['amos', 'bela'] });
    expect((await target.getTenant()).pinLength).toBe(6);
    expect((await target.getPolicy()).historyCount).toBe(3);
    expect((await target.listUsers()).map((user) => user.id)).toEqual(['amos', 'bela', 'chen']);
    expect(await target.verifyLeaderPin('123456', '24680')).toMatchObject({ outcome: 'accepted' });
    expect(await target.listOutbox()).toEqual([]);
  });

  it('applies again without touching PINs that are already set or deleting anybody', async () => {
    const target = await directory();
    await applyDeployment(target, loadDeployment(DEPLOYMENT, 'test.yaml'));
    await target.setPin('amos', '80317');
    await target.upsertUser({ id: 'dora', name: 'Dora', email: 'dora@contoso.com', phone: null, extension: null });
    const again = await applyDeployment(target, loadDeployment(DEPLOYMENT.replace('Amos Marble', 'Amos M. Marble'), 'test.yaml'));
    expect(again.pinsSet).toEqual([]);
    expect((await target.getUser('amos'))?.name).toBe('Amos M. Marble');
    expect(await target.getUser('dora')).toBeDefined();
    expect(await target.verifyLeaderPin('123456', '80317')).toMatchObject({ outcome: 'accepted' });
  });

  it('stores an expired initial PIN and an administrator lock, and applies them only with the initial PIN', async () => {
    const target = await directory();
    const text =
      'users:\n  - { id: amos, name: A, email: a@contoso.com, pin: "24680", pinExpired: true }\n' +
      '  - { id: bela, name: B, email: b@contoso.com, pin: "80317", locked: true }\n' +
      '  - { id: chen, name: C, email: c@contoso.com, locked: true }\n' +
      'conferences:\n  - { id: "123456", organizer: amos }\n  - { id: "654321", organizer: bela }\n';
    const deployment = loadDeployment(text, 'deployment.yaml');
    expect(deployment.users.map((user) => [user.pinExpired, user.locked])).toEqual([[true, undefined], [undefined, true], [undefined, true]]);
    await applyDeployment(target, deployment);
    expect(await target.getStatus('amos')).toMatchObject({ pinExpired: true, mustChange: true, lockedOut: false });
    expect(await target.verifyLeaderPin('123456', '24680')).toEqual({ outcome: 'accepted', userId: 'amos', mustChange: true });
    expect(await target.getStatus('bela')).toMatchObject({ pinExpired: false, lockedOut: true, lockKind: 'admin' });
    expect(await target.verifyLeaderPin('654321', '80317')).toEqual({ outcome: 'locked', userId: 'bela' });
    expect(await target.getStatus('chen')).toMatchObject({ pinSet: false, lockKind: 'admin' });
    // What happened since (an unlock, a changed PIN) stays when the file is applied again.
    await target.unlock('bela');
    await target.changePin('amos', '80264');
    await applyDeployment(target, deployment);
    expect((await target.getStatus('bela')).lockedOut).toBe(false);
    expect((await target.getStatus('amos')).pinExpired).toBe(false);
  });

  it('stops at an initial PIN that breaks the policy, naming its line and rule', async () => {
    const target = await directory();
    const text = 'users:\n  - { id: amos, name: A, email: a@contoso.com }\n  - id: bela\n    name: B\n    email: b@contoso.com\n    pin: "12345"\n';
    await expect(applyDeployment(target, loadDeployment(text, 'deployment.yaml'))).rejects.toThrow(
      'deployment.yaml:6: users[1].pin breaks the PIN policy: the PIN contains 4 or more consecutive ascending or descending digits (rule consecutive-digits)',
    );
    expect((await target.getStatus('bela')).pinSet).toBe(false);
  });

  it('stores nothing when a setting conflicts with the database, and names the section line', async () => {
    const target = await directory();
    await target.setPolicy({ historyCount: 0 });
    const text = `policy:\n  lifetimeDays: 30\n${DEPLOYMENT}`;
    await expect(applyDeployment(target, loadDeployment(text, 'deployment.yaml'))).rejects.toThrow(
      'deployment.yaml:2: policy.historyCount must be above 0 when lifetimeDays is above 0',
    );
    expect(await target.listUsers()).toEqual([]);
    expect((await target.getPolicy()).lifetimeDays).toBe(0);
  });
});

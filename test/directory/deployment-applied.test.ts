import { describe, expect, it } from 'vitest';
import { isDeploymentApplied } from '../../src/directory/deployment-applied.ts';
import { applyDeployment, loadDeployment } from '../../src/directory/deployment.ts';
import { PinDirectory } from '../../src/directory/pin-directory.ts';
import { FAST_COST } from './helpers.ts';

const DEPLOYMENT = `policy: { minLength: 6, maxLogonAttempts: { local: 3, global: 30 } }
tenant: { emailOverride: pins@contoso.com }
users:
  - { id: amos, name: Amos Marble, email: amos@contoso.com, phone: "+1 555 803 9175", pin: "804172" }
  - { id: bela, name: Bela Okafor, email: bela@contoso.com }
conferences:
  - { id: "123456", organizer: amos }
  - { id: "424242", organizer: bela, allowAnonymousStart: true }
`;

async function appliedDirectory(): Promise<PinDirectory> {
  const directory = await PinDirectory.open(':memory:', { hashCost: FAST_COST });
  await applyDeployment(directory, loadDeployment(DEPLOYMENT, 'deploy.yaml'));
  return directory;
}

describe('isDeploymentApplied', () => {
  it('holds for the deployment just applied, and not for a new directory', async () => {
    const directory = await appliedDirectory();
    expect(await isDeploymentApplied(directory, loadDeployment(DEPLOYMENT, 'deploy.yaml'))).toBe(true);
    const empty = await PinDirectory.open(':memory:', { hashCost: FAST_COST });
    expect(await isDeploymentApplied(empty, loadDeployment(DEPLOYMENT, 'deploy.yaml'))).toBe(false);
  });

  it('notices each kind of difference', async () => {
    const directory = await appliedDirectory();
    const changes: [string, string][] = [
      ['minLength: 6', 'minLength: 7'],
      ['global: 30', 'global: 31'],
      ['pins@contoso.com', 'mail@contoso.com'],
      ['name: Bela Okafor', 'name: Bela O.'],
      ['"+1 555 803 9175"', '"+1 555 803 9176"'],
      ['organizer: bela, allowAnonymousStart: true', 'organizer: bela, allowAnonymousStart: false'],
      ['  - { id: "123456", organizer: amos }', '  - { id: "123456", organizer: bela }'],
      ['  - { id: "123456", organizer: amos }', '  - { id: "123456", organizer: amos }\n  - { id: "777", organizer: amos }'],
    ];
    for (const [from, to] of changes) {
      expect(DEPLOYMENT).toContain(from);
      expect(await isDeploymentApplied(directory, loadDeployment(DEPLOYMENT.replace(from, to), 'deploy.yaml')), to).toBe(false);
    }
  });

  it('needs an initial PIN only while the user has none', async () => {
    const directory = await appliedDirectory();
    await directory.removePin('amos');
    expect(await isDeploymentApplied(directory, loadDeployment(DEPLOYMENT, 'deploy.yaml'))).toBe(false);
    await directory.setPin('amos', '519384');
    expect(await isDeploymentApplied(directory, loadDeployment(DEPLOYMENT, 'deploy.yaml'))).toBe(true);
  });

  it('needs a locked: true user without a PIN to be locked, and one with a PIN as it is', async () => {
    const directory = await appliedDirectory();
    const locked = loadDeployment(DEPLOYMENT.replace('email: bela@contoso.com }', 'email: bela@contoso.com, locked: true }'), 'deploy.yaml');
    expect(await isDeploymentApplied(directory, locked)).toBe(false);
    await directory.lock('bela');
    expect(await isDeploymentApplied(directory, locked)).toBe(true);
    const amosLocked = loadDeployment(DEPLOYMENT.replace('pin: "804172" }', 'pin: "804172", locked: true }'), 'deploy.yaml');
    expect(await isDeploymentApplied(directory, amosLocked)).toBe(true);
  });
});

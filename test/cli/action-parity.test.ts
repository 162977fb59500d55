/**
 * The CLI and the admin center run the same actions: each command leaves
 * the audit entries the action API leaves, but for who acted.
 */
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { DirectoryActions } from '../../src/directory/directory-actions.ts';
import type { AuditEntry } from '../../src/directory/audit-log.ts';
import { openDirectory } from '../../src/directory/open-directory.ts';
import { PinDirectory } from '../../src/directory/pin-directory.ts';
import { cliFixture } from './directory-fixture.ts';

let viaCli: ReturnType<typeof cliFixture>;
let viaApi: ReturnType<typeof cliFixture>;
beforeEach(() => {
  viaCli = cliFixture();
  viaApi = cliFixture();
});
afterEach(() => {
  viaCli.cleanup();
  viaApi.cleanup();
});

async function audit(file: string): Promise<AuditEntry[]> {
  const directory = await PinDirectory.open(file);
  try {
    return await directory.listAudit();
  } finally {
    await directory.close();
  }
}

describe('the same action through the CLI and through the action API', () => {
  it('leaves the same audit entries apart from the actor', async () => {
    const steps: [string[], (actions: DirectoryActions) => unknown][] = [
      [['pin', 'set', 'amos'], (a) => a.setPin('amos')],
      [['pin', 'set', 'bela', '--pin', '80317'], (a) => a.setPin('bela', { pin: '80317' })],
      [['pin', 'reset', 'amos'], (a) => a.resetPin('amos')],
      [['pin', 'reset', 'bela', '--not-expired'], (a) => a.resetPin('bela', { requireChange: false })],
      [['pin', 'lock', 'amos'], (a) => a.lockPin('amos')],
      [['pin', 'unlock', 'amos'], (a) => a.unlockPin('amos')],
      [['pin', 'remove', 'amos'], (a) => a.removePin('amos')],
      [['policy', 'set', '--min-length', '6', '--email-override', 'desk@contoso.com'], (a) =>
        a.changeSettings({ policy: { minLength: 6 }, tenant: { emailOverride: 'desk@contoso.com' } })],
      [['conference', 'reset-id', '424242'], (a) => a.resetConferenceId('424242')],
    ];
    expect((await viaCli.run('pin', 'status', 'amos', '--config', viaCli.config)).code).toBe(0);
    for (const [args] of steps) expect((await viaCli.run(...args)).code, args.join(' ')).toBe(0);

    const { directory } = await openDirectory({ db: viaApi.db, config: viaApi.config });
    try {
      const actions = new DirectoryActions(directory, { kind: 'admin', name: 'alice', role: 'admin' });
      for (const [, step] of steps) await step(actions);
    } finally {
      await directory.close();
    }

    const cli = await audit(viaCli.db);
    const api = await audit(viaApi.db);
    expect(cli.length).toBe(steps.length);
    // New conference IDs are random: only their shape is compared.
    const shape = (entries: AuditEntry[]) =>
      entries.map(({ userId, event, detail }) => ({ userId, event, detail: detail.replace(/is now [1-9]\d{5}\b/, 'is now NEW-ID') }));
    expect(shape(cli)).toEqual(shape(api));
    expect(new Set(cli.map((entry) => entry.actor))).toEqual(new Set(['cli']));
    expect(new Set(api.map((entry) => entry.actor))).toEqual(new Set(['admin alice']));
  });
});

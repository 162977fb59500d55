import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { isDeploymentApplied } from '../../src/directory/deployment-applied.ts';
import { applyDeployment, loadDeployment } from '../../src/directory/deployment.ts';
import { DEPLOYMENT, makeDirectory, type TestDirectory } from './helpers.ts';
import { directoryBackends } from './backends.ts';

let t: TestDirectory;
afterEach(() => t.directory.close());

describe.each(directoryBackends())('on $name', (backend) => {
  beforeEach(async () => {
    t = await makeDirectory({ file: await backend.db() });
  });

  describe('conference ID reset', () => {
    it('gives the meeting a new random ID; the old one stops working at once', async () => {
      const reset = await t.directory.resetConferenceId('123456', { actor: 'cli' });
      expect(reset).toMatchObject({ oldId: '123456', organizerId: 'amos', mailedTo: 'amos@contoso.com' });
      expect(reset.newId).toMatch(/^[1-9][0-9]{5}$/);
      expect(reset.newId).not.toBe('123456');
      expect(await t.directory.findConference('123456')).toBeUndefined();
      expect(await t.directory.findConference(reset.newId)).toMatchObject({ organizerId: 'amos' });
      expect(await t.directory.verifyLeaderPin(reset.newId, '24680')).toMatchObject({ outcome: 'accepted' });
    });

    it('mails the new ID to the organizer and audits it with the actor', async () => {
      const { newId } = await t.directory.resetConferenceId('123456', { actor: 'admin alice' });
      const mail = (await t.directory.listOutbox('amos')).at(-1)!;
      expect(mail.to).toBe('amos@contoso.com');
      expect(mail.body).toContain(`new dial-in conference ID: ${newId}`);
      expect(mail.body).toContain('The old conference ID 123456 no longer works.');
      expect((await t.directory.listAudit({ userId: 'amos' })).at(-1)).toMatchObject({
        event: 'conference-id',
        actor: 'admin alice',
        detail: `conference 123456 is now ${newId}; mailed to amos@contoso.com`,
      });
    });

    it('mails nothing when the tenant sends no mail', async () => {
      await t.directory.setTenant({ sendEmailToUser: false });
      expect((await t.directory.resetConferenceId('123456')).mailedTo).toBeNull();
      expect(await t.directory.listOutbox('amos')).toEqual([]);
    });

    it('does not bring the old ID back when the deployment file is applied again', async () => {
      const first = await t.directory.resetConferenceId('123456');
      const second = await t.directory.resetConferenceId(first.newId);
      await applyDeployment(t.directory, loadDeployment(DEPLOYMENT, 'test.yaml'));
      const ids = (await t.directory.listConferences()).map((conference) => conference.id);
      expect(ids).toContain(second.newId);
      expect(ids).not.toContain('123456');
      expect(ids).not.toContain(first.newId);
      expect(ids).toHaveLength(3);
      expect(await t.directory.currentConferenceId('123456')).toBe(second.newId);
    });

    it('counts a deployment that lists the old ID as applied, for a read-only database', async () => {
      const deployment = loadDeployment(DEPLOYMENT, 'test.yaml');
      await t.directory.resetConferenceId('123456');
      expect(await isDeploymentApplied(t.directory, deployment)).toBe(true);
    });

    it('refuses an unknown conference with E_UNKNOWN_CONFERENCE', async () => {
      await expect(t.directory.resetConferenceId('999')).rejects.toMatchObject({ code: 'E_UNKNOWN_CONFERENCE' });
    });
  });
});

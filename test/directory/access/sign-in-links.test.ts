import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { SIGN_IN_LINK_TIMING, type SignInLink } from '../../../src/directory/access/sign-in-links.ts';
import { makeDirectory, type TestDirectory } from '../helpers.ts';
import { directoryBackends } from '../backends.ts';

let t: TestDirectory;
let sent: SignInLink[];
const mailer = (link: SignInLink) => {
  sent.push(link);
};
afterEach(() => t.directory.close());

describe.each(directoryBackends())('on $name', (backend) => {
  beforeEach(async () => {
    t = await makeDirectory({ file: await backend.db() });
    sent = [];
  });

  describe('sign-in links', () => {
    it('mails a link to a known address and signs its user in once', async () => {
      await t.directory.signInLinks.request('amos@contoso.com', mailer);
      expect(sent).toHaveLength(1);
      const [link] = sent;
      expect(link!.user.id).toBe('amos');
      expect(link!.to).toBe('amos@contoso.com');
      expect(link!.expiresAt).toBe(t.clock.now() + 15 * 60_000);
      expect(await t.directory.signInLinks.redeem(link!.token)).toEqual({ ok: true, userId: 'amos' });
      expect(await t.directory.signInLinks.redeem(link!.token)).toEqual({ ok: false, reason: 'used' });
    });

    it('answers the same for an unknown address and mails nothing', async () => {
      const known = await t.directory.signInLinks.request('amos@contoso.com', mailer);
      const unknown = await t.directory.signInLinks.request('nobody@contoso.com', mailer);
      expect(unknown).toEqual(known);
      expect(sent.map((link) => link.user.id)).toEqual(['amos']);
    });

    it('matches the address without regard to case or surrounding spaces', async () => {
      await t.directory.signInLinks.request('  Amos@Contoso.COM ', mailer);
      expect(sent.map((link) => link.user.id)).toEqual(['amos']);
    });

    it('stops working after 15 minutes', async () => {
      await t.directory.signInLinks.request('amos@contoso.com', mailer);
      t.clock.advance(SIGN_IN_LINK_TIMING.validMs);
      expect(await t.directory.signInLinks.redeem(sent[0]!.token)).toEqual({ ok: false, reason: 'expired' });
    });

    it('works just before 15 minutes are over', async () => {
      await t.directory.signInLinks.request('amos@contoso.com', mailer);
      t.clock.advance(SIGN_IN_LINK_TIMING.validMs - 1);
      expect(await t.directory.signInLinks.redeem(sent[0]!.token)).toEqual({ ok: true, userId: 'amos' });
    });

    it('calls an unknown or malformed token unknown', async () => {
      expect(await t.directory.signInLinks.redeem('B'.repeat(43))).toEqual({ ok: false, reason: 'unknown' });
      expect(await t.directory.signInLinks.redeem('not a token')).toEqual({ ok: false, reason: 'unknown' });
    });

    it('signs in once when the same link is used twice at the same time', async () => {
      await t.directory.signInLinks.request('amos@contoso.com', mailer);
      const token = sent[0]!.token;
      const results = await Promise.all([0, 1, 2].map(async () => t.directory.signInLinks.redeem(token)));
      expect(results.filter((result) => result.ok)).toHaveLength(1);
      expect(results.filter((result) => !result.ok && result.reason === 'used')).toHaveLength(2);
    });

    it(`mails at most ${SIGN_IN_LINK_TIMING.maxOutstanding} unused links at a time, answering the same`, async () => {
      const answers = [];
      for (let i = 0; i < SIGN_IN_LINK_TIMING.maxOutstanding + 2; i++) answers.push(await t.directory.signInLinks.request('amos@contoso.com', mailer));
      expect(new Set(answers.map((answer) => JSON.stringify(answer))).size).toBe(1);
      expect(sent).toHaveLength(SIGN_IN_LINK_TIMING.maxOutstanding);
      await t.directory.signInLinks.redeem(sent[0]!.token);
      await t.directory.signInLinks.request('amos@contoso.com', mailer);
      expect(sent).toHaveLength(SIGN_IN_LINK_TIMING.maxOutstanding + 1);
    });

    it('makes each link a different token', async () => {
      await t.directory.signInLinks.request('amos@contoso.com', mailer);
      await t.directory.signInLinks.request('amos@contoso.com', mailer);
      expect(sent[0]!.token).not.toBe(sent[1]!.token);
    });

    it('mails the link through the directory outbox with the URL the caller makes', async () => {
      const mailer = t.directory.signInLinks.outboxMailer((token) => `https://dialin.example/me/sign-in?token=${token}`);
      await t.directory.signInLinks.request('bela@contoso.com', mailer);
      const [mail] = await t.directory.listOutbox('bela');
      expect(mail).toMatchObject({ to: 'bela@contoso.com', subject: 'Your sign-in link for dial-in conferencing' });
      const token = /token=([A-Za-z0-9_-]{43})$/m.exec(mail!.body)![1]!;
      expect(mail!.body).toContain('It works once, within 15 minutes.');
      expect(await t.directory.signInLinks.redeem(token)).toEqual({ ok: true, userId: 'bela' });
    });
  });
});

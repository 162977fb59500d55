/**
 * The admin center and /me on a server whose mail goes to a mail server
 * (a transport that keeps nothing): the /me link is handed to the
 * transport, and the Outbox says where mail went instead of listing it.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { MailMessage } from '../../../src/directory/mail/mail-message.ts';
import type { MailTransport } from '../../../src/directory/mail/mail-transport.ts';
import { AdminClient, startAdminServer, type AdminTestServer } from './admin-client.ts';

const sent: MailMessage[] = [];
const smtp: MailTransport = {
  name: 'smtp://mail.example.com:25',
  deliver: async (message) => void sent.push(message),
  close: () => undefined,
};
let t: AdminTestServer;

beforeAll(async () => {
  t = await startAdminServer({ alice: 'admin' }, { mail: smtp });
});

afterAll(async () => {
  await t?.close();
});

describe('admin center with SMTP mail', () => {
  it('says on the Outbox page that the mail server keeps the mail', async () => {
    const alice = new AdminClient(t.server.url);
    await alice.signIn('alice');
    const outbox = await alice.get('/admin/outbox');
    expect(outbox.status).toBe(200);
    expect(outbox.text).toContain('<p>Nothing to show: mail goes to smtp://mail.example.com:25, which keeps none.</p>');
  });

  it('hands the /me sign-in link to the transport, and the link signs in', async () => {
    const user = new AdminClient(t.server.url);
    await user.post('/me/link', { email: 'amos@example.com' }, { csrf: null });
    const mail = sent.find((message) => message.subject.includes('sign-in link'))!;
    expect(mail).toMatchObject({ to: 'amos@example.com', userId: 'amos' });
    const token = new URL(/^http:\/\/\S+$/m.exec(mail.body)![0]).searchParams.get('token')!;
    expect((await user.post('/me/sign-in', { token }, { csrf: null })).status).toBe(303);
    expect((await user.get('/me')).text).toContain('Signed in as Amos Marble.');
  });
});

/**
 * The self-service page over raw HTTP: the one-time link asked for by
 * e-mail address (the same answer for an unknown one), used twice or too
 * late (the directory's clock moved), and the user's own PIN reset, refused
 * while the PIN is locked.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { LINK_SENT } from '../../../src/server/admin/pages/me-pages.ts';
import { AdminClient, startAdminServer, type AdminTestServer } from './admin-client.ts';

let t: AdminTestServer;

beforeAll(async () => {
  t = await startAdminServer({});
});

afterAll(async () => {
  await t?.close();
});

/** The token of the latest sign-in link mailed to `userId`. */
async function mailedToken(userId: string): Promise<string> {
  const mail = (await t.server.directory.listOutbox(userId)).filter((message) => message.subject.includes('sign-in link')).at(-1)!;
  const url = /^http:\/\/\S+$/m.exec(mail.body)![0];
  expect(url.startsWith(`${t.server.url}/me/sign-in?token=`)).toBe(true);
  return new URL(url).searchParams.get('token')!;
}

async function signedInUser(userId = 'amos', email = 'amos@example.com'): Promise<AdminClient> {
  const client = new AdminClient(t.server.url);
  await client.post('/me/link', { email }, { csrf: null });
  const token = await mailedToken(userId);
  const confirm = await client.get(`/me/sign-in?token=${token}`);
  expect(confirm.text).toContain('<button type="submit">Sign in</button>');
  const reply = await client.post('/me/sign-in', { token }, { csrf: null });
  expect(reply.status).toBe(303);
  expect(reply.headers.getSetCookie()[0]).toMatch(/^dialin_me=[A-Za-z0-9_-]{43}; Path=\/; HttpOnly; SameSite=Strict$/);
  await client.get('/me');
  return client;
}

describe('/me sign-in link', () => {
  it('says the same thing whether or not the address belongs to a user, and mails only a user', async () => {
    const client = new AdminClient(t.server.url);
    const before = (await t.server.directory.listOutbox()).length;
    const unknown = await client.post('/me/link', { email: 'nobody@example.com' }, { csrf: null });
    expect(await t.server.directory.listOutbox()).toHaveLength(before);
    const known = await client.post('/me/link', { email: 'Amos@Example.com' }, { csrf: null });
    expect(await t.server.directory.listOutbox()).toHaveLength(before + 1);
    expect(unknown.status).toBe(200);
    expect(known.status).toBe(200);
    expect(known.text).toContain(LINK_SENT);
    expect(unknown.text).toBe(known.text);
  });

  it('opening the link only shows a button; the post signs in once', async () => {
    const client = new AdminClient(t.server.url);
    await client.post('/me/link', { email: 'amos@example.com' }, { csrf: null });
    const token = await mailedToken('amos');
    await client.get(`/me/sign-in?token=${token}`);
    await client.get(`/me/sign-in?token=${token}`);
    expect((await client.post('/me/sign-in', { token }, { csrf: null })).status).toBe(303);
    const page = await client.get('/me');
    expect(page.text).toContain('Signed in as Amos Marble.');
    const other = new AdminClient(t.server.url);
    const again = await other.post('/me/sign-in', { token }, { csrf: null });
    expect(again.status).toBe(401);
    expect(again.text).toContain('This sign-in link has been used, has expired or is not valid.');
    expect(other.cookies.size).toBe(0);
  });

  it('refuses a link used after 15 minutes', async () => {
    const client = new AdminClient(t.server.url);
    await client.post('/me/link', { email: 'amos@example.com' }, { csrf: null });
    const token = await mailedToken('amos');
    t.clock.advance(15 * 60_000);
    expect((await client.post('/me/sign-in', { token }, { csrf: null })).status).toBe(401);
    expect(client.cookies.size).toBe(0);
  });

  it('does not let a /me session into the admin center', async () => {
    const user = await signedInUser();
    user.cookies.set('dialin_admin', user.cookies.get('dialin_me')!);
    expect((await user.get('/admin/users')).status).toBe(303);
  });
});

describe('/me PIN', () => {
  it('shows the PIN state and resets it to a generated PIN shown once', async () => {
    const user = await signedInUser();
    const page = await user.get('/me');
    expect(page.text).toContain('<span class="masked">*****</span> set');
    const reply = await user.post('/me/reset-pin', { mode: 'generate' });
    expect(reply.status).toBe(200);
    const pin = /<output id="new-pin" class="pin">(\d+)<\/output>/.exec(reply.text)![1]!;
    expect((await user.get('/me')).text).not.toContain(pin);
    expect((await t.server.directory.listAudit({ userId: 'amos' })).at(-1)).toMatchObject({ event: 'changed', actor: 'the user' });
  });

  it('takes a typed PIN that meets the policy, and checks it as it is typed', async () => {
    const user = await signedInUser();
    expect(JSON.parse((await user.postJson('/me/check-pin', { pin: '99999' })).text)).toMatchObject({ ok: false, rule: 'repeated-digit' });
    expect((await user.post('/me/reset-pin', { mode: 'manual', pin: '4444' })).status).toBe(422);
    const reply = await user.post('/me/reset-pin', { mode: 'manual', pin: '27183' });
    expect(reply.status).toBe(200);
    expect(reply.text).toContain('27183');
  });

  it('does not reset a locked PIN', async () => {
    const user = await signedInUser();
    await t.server.directory.lock('amos');
    const page = await user.get('/me');
    expect(page.text).toContain('Your PIN is locked, so it cannot be reset here.');
    expect(page.text).not.toContain('action="/me/reset-pin"');
    expect((await user.post('/me/reset-pin', { mode: 'generate' })).status).toBe(409);
    await t.server.directory.unlock('amos');
  });

  it('refuses a post without the session’s CSRF token, and one after signing out', async () => {
    const user = await signedInUser();
    expect((await user.post('/me/reset-pin', { mode: 'generate' }, { csrf: null })).status).toBe(403);
    const cookie = user.cookies.get('dialin_me')!;
    expect((await user.post('/me/sign-out', {})).status).toBe(303);
    user.cookies.set('dialin_me', cookie);
    expect((await user.post('/me/reset-pin', { mode: 'generate' })).status).toBe(401);
    expect((await user.get('/me')).text).toContain('Mail me a sign-in link');
  });
});

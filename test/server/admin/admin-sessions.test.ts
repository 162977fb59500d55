/**
 * Raw HTTP against the real server: who gets past the admin center's door.
 * No cookie, a forged one, an expired or signed-out session; a post without
 * the session's CSRF token, with a wrong one, or from another origin; the
 * sign-in lockout; and the cookie's and pages' security headers.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ADMIN_CSP } from '../../../src/server/admin/page-headers.ts';
import { getRequest, rawExchange } from '../raw-http.ts';
import { AdminClient, passwordOf, startAdminServer, type AdminTestServer } from './admin-client.ts';

let t: AdminTestServer;

beforeAll(async () => {
  t = await startAdminServer();
});

afterAll(async () => {
  await t?.close();
});

async function signedIn(name = 'alice'): Promise<AdminClient> {
  const client = new AdminClient(t.server.url);
  expect((await client.signIn(name)).status).toBe(303);
  return client;
}

describe('admin sessions', () => {
  it('sends a visitor without a session to the sign-in page and refuses their posts with 401', async () => {
    const client = new AdminClient(t.server.url);
    const page = await client.get('/admin/users/amos');
    expect(page.status).toBe(303);
    expect(page.headers.get('location')).toBe('/admin/sign-in');
    const post = await client.post('/admin/users/amos/lock', {}, { csrf: 'x'.repeat(43) });
    expect(post.status).toBe(401);
    expect((await t.server.directory.getStatus('amos')).lockedOut).toBe(false);
  });

  it('treats a forged session cookie as no session', async () => {
    const client = new AdminClient(t.server.url);
    client.cookies.set('dialin_admin', 'A'.repeat(43));
    expect((await client.get('/admin/users')).status).toBe(303);
    expect((await client.post('/admin/users/amos/lock', {}, { csrf: 'A'.repeat(43) })).status).toBe(401);
    client.cookies.set('dialin_admin', '"><script>');
    expect((await client.get('/admin/users')).status).toBe(303);
  });

  it('sets the session cookie HttpOnly, SameSite=Strict, Path=/ and not Secure on plain HTTP', async () => {
    const client = new AdminClient(t.server.url);
    const reply = await client.post('/admin/sign-in', { name: 'alice', password: passwordOf('alice') }, { csrf: null });
    expect(reply.status).toBe(303);
    const cookie = reply.headers.getSetCookie()[0]!;
    expect(cookie).toMatch(/^dialin_admin=[A-Za-z0-9_-]{43}; Path=\/; HttpOnly; SameSite=Strict$/);
  });

  it('ends a session after 30 idle minutes', async () => {
    const client = await signedIn();
    t.clock.advance(29 * 60_000);
    expect((await client.get('/admin/users')).status).toBe(200);
    t.clock.advance(30 * 60_000 + 1);
    expect((await client.get('/admin/users')).status).toBe(303);
    expect((await client.post('/admin/users/amos/lock', {})).status).toBe(401);
  });

  it('refuses a signed-out session, even with the cookie and token it had', async () => {
    const client = await signedIn();
    const cookie = client.cookies.get('dialin_admin')!;
    const csrf = client.csrf!;
    expect((await client.post('/admin/sign-out', {})).status).toBe(303);
    expect(client.cookies.has('dialin_admin')).toBe(false);
    client.cookies.set('dialin_admin', cookie);
    expect((await client.get('/admin/users')).status).toBe(303);
    expect((await client.post('/admin/users/amos/lock', {}, { csrf })).status).toBe(401);
  });

  it('refuses a post without the CSRF token, with a wrong one, or with another session’s', async () => {
    const client = await signedIn();
    const other = await signedIn('uma');
    expect((await client.post('/admin/users/amos/lock', {}, { csrf: null })).status).toBe(403);
    expect((await client.post('/admin/users/amos/lock', {}, { csrf: 'B'.repeat(43) })).status).toBe(403);
    expect((await client.post('/admin/users/amos/lock', {}, { csrf: other.csrf! })).status).toBe(403);
    expect((await client.postJson('/admin/users/amos/check-pin', { pin: '1' }, { 'x-csrf-token': 'wrong' })).status).toBe(403);
    expect((await t.server.directory.getStatus('amos')).lockedOut).toBe(false);
    expect((await client.post('/admin/users/amos/lock', {})).status).toBe(303);
    expect((await t.server.directory.getStatus('amos')).lockKind).toBe('admin');
    expect((await client.post('/admin/users/amos/unlock', {})).status).toBe(303);
  });

  it('refuses a post from another origin even with the right cookie and token', async () => {
    const client = await signedIn();
    const attempts: Record<string, string>[] = [{ origin: 'http://evil.example' }, { origin: 'null' }, { 'sec-fetch-site': 'cross-site' }, { 'sec-fetch-site': 'same-site' }];
    for (const headers of attempts) {
      expect((await client.post('/admin/users/amos/lock', {}, { headers })).status).toBe(403);
    }
    expect((await client.post('/admin/sign-in', { name: 'alice', password: passwordOf('alice') }, { csrf: null, headers: { origin: 'http://evil.example' } })).status).toBe(403);
    expect((await t.server.directory.getStatus('amos')).lockedOut).toBe(false);
  });

  it('answers a request naming another host with 421 before any admin route', async () => {
    const { port } = new URL(t.server.url);
    const reply = await rawExchange(t.server.url, getRequest('/admin/sign-in', { Host: `evil.example:${port}` }));
    expect(reply.status).toBe(421);
  });

  it('serves every admin page with a strict CSP, no-store and no framing', async () => {
    const client = await signedIn();
    for (const path of ['/admin/sign-in', '/admin/users', '/admin/users/amos', '/admin/policies', '/me']) {
      const reply = await client.get(path);
      expect(reply.status, path).toBe(200);
      expect(reply.headers.get('content-security-policy')).toBe(ADMIN_CSP);
      expect(reply.headers.get('cache-control')).toBe('no-store');
      expect(reply.headers.get('x-frame-options')).toBe('DENY');
      expect(reply.text).not.toMatch(/<script(?![^>]*\bsrc="\/web\/client\/admin-page\.ts")/);
      expect(reply.text).not.toMatch(/\son[a-z]+=/i);
    }
    expect(ADMIN_CSP).toMatch(/script-src 'self';/);
    expect(ADMIN_CSP).not.toMatch(/unsafe-inline|unsafe-eval/);
  });

  it('refuses a body over 16 KiB with 413 and a field given twice with 400', async () => {
    const client = await signedIn();
    expect((await client.post('/admin/users/amos/set-pin', { mode: 'generate', pad: 'x'.repeat(17 * 1024) })).status).toBe(413);
    const response = await fetch(`${t.server.url}/admin/sign-in`, {
      method: 'POST',
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
      body: 'name=alice&name=uma&password=x',
    });
    expect(response.status).toBe(400);
    expect(await response.text()).toContain('given twice');
  });
});

describe('sign-in lockout', () => {
  it('locks an account after 10 wrong passwords, and then refuses the right one too', async () => {
    const local = await startAdminServer({ carol: 'admin' });
    try {
      const client = new AdminClient(local.server.url);
      for (let i = 0; i < 9; i++) {
        const reply = await client.signIn('carol', 'wrong-password-number');
        expect(reply.status).toBe(401);
        expect(reply.text).toContain('The name or the password is not right.');
      }
      expect((await client.signIn('carol', 'wrong-password-number')).status).toBe(429);
      const locked = await client.signIn('carol');
      expect(locked.status).toBe(429);
      expect(locked.text).toContain('Sign-in is locked for this account');
      expect(client.cookies.has('dialin_admin')).toBe(false);
      local.clock.advance(15 * 60_000);
      expect((await client.signIn('carol')).status).toBe(303);
    } finally {
      await local.close();
    }
  }, 30_000);

  it('answers an unknown name as it answers a wrong password', async () => {
    const client = new AdminClient(t.server.url);
    const unknown = await client.signIn('nobody', 'some-long-password-1');
    const wrong = await client.signIn('alice', 'some-long-password-1');
    expect(unknown.status).toBe(401);
    expect(wrong.status).toBe(401);
    expect(unknown.text.replace(/value="[^"]*"/g, '')).toBe(wrong.text.replace(/value="[^"]*"/g, ''));
  });
});

/**
 * The admin center's pages and PIN actions over raw HTTP against the real
 * server and directory: what each role may do (a user-admin's attempts at
 * admin pages are refused with 403 whatever the page offers), a new PIN
 * shown once and `*****` afterwards, a locked PIN that must be unlocked
 * first, and values that try to break out of the HTML.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { AdminClient, startAdminServer, type AdminTestServer } from './admin-client.ts';

let t: AdminTestServer;

beforeAll(async () => {
  t = await startAdminServer();
  await t.server.directory.importRecords({
    users: [
      { id: 'xss', name: '<img src=x onerror=alert(1)>', email: '"><script>alert(1)</script>@evil.example', phone: '+1 555 0100', extension: '4321' },
      { id: 'bea', name: 'Bea Locked', email: 'bea@example.com', phone: null, extension: null },
      { id: 'sam', name: 'Sam Site', email: 'sam@example.com', phone: null, extension: null, site: 'emea' },
    ],
    conferences: [{ id: '654321', organizerId: 'bea', allowAnonymousStart: null }],
  });
});

afterAll(async () => {
  await t?.close();
});

async function signedIn(name: string): Promise<AdminClient> {
  const client = new AdminClient(t.server.url);
  expect((await client.signIn(name)).status).toBe(303);
  return client;
}

const shownPin = (text: string) => /<output id="new-pin" class="pin">(\d+)<\/output>/.exec(text)?.[1];

describe('PIN actions', () => {
  it('shows a generated PIN once, in a no-store answer to the post, and ***** afterwards', async () => {
    const alice = await signedIn('alice');
    const reply = await alice.post('/admin/users/amos/set-pin', { mode: 'generate' });
    expect(reply.status).toBe(200);
    expect(reply.headers.get('cache-control')).toBe('no-store');
    const pin = shownPin(reply.text)!;
    expect(pin).toMatch(/^\d{5}$/);
    expect(reply.text).toContain('It has been mailed to amos@example.com.');
    const mail = (await t.server.directory.listOutbox('amos')).at(-1)!;
    expect(mail.body).toContain(`Your new PIN is: ${pin}`);
    const later = await alice.get('/admin/users/amos');
    expect(later.text).not.toContain(pin);
    expect(later.text).toContain('<span class="masked">*****</span> set');
    expect((await t.server.directory.listAudit({ userId: 'amos' })).at(-1)).toMatchObject({ event: 'set', actor: 'admin alice' });
  });

  it('sets a typed PIN that meets the policy and refuses one that does not, naming the rule', async () => {
    const alice = await signedIn('alice');
    const refused = await alice.post('/admin/users/amos/set-pin', { mode: 'manual', pin: '12345' });
    expect(refused.status).toBe(422);
    expect(refused.text).toContain('The PIN was not set: the PIN contains 4 or more consecutive ascending or descending digits.');
    expect(shownPin(refused.text)).toBeUndefined();
    const set = await alice.post('/admin/users/amos/set-pin', { mode: 'manual', pin: '80529' });
    expect(set.status).toBe(200);
    expect(shownPin(set.text)).toBe('80529');
  });

  it('checks a PIN as it is typed through the JSON endpoint', async () => {
    const alice = await signedIn('alice');
    const bad = await alice.postJson('/admin/users/amos/check-pin', { pin: '11111' });
    expect(bad.status).toBe(200);
    expect(JSON.parse(bad.text)).toEqual({ ok: false, rule: 'repeated-digit', text: 'The PIN is one digit repeated.' });
    expect(JSON.parse((await alice.postJson('/admin/users/amos/check-pin', { pin: '123' })).text)).toMatchObject({ rule: 'min-length', text: 'The PIN must have at least 5 digits.' });
    expect(JSON.parse((await alice.postJson('/admin/users/amos/check-pin', { pin: '73914' })).text)).toMatchObject({ ok: true });
    await t.server.directory.setPin('amos', '73914');
    expect(JSON.parse((await alice.postJson('/admin/users/amos/check-pin', { pin: '73914' })).text)).toEqual({
      ok: false,
      rule: 'history',
      text: "The PIN must not be one of the user's last 5 PINs.",
    });
    expect((await alice.postJson('/admin/users/amos/check-pin', { pin: 5 })).status).toBe(400);
  });

  it('offers Unlock PIN instead of Set PIN while the PIN is locked, and refuses Set PIN with 409', async () => {
    const alice = await signedIn('alice');
    await alice.post('/admin/users/bea/set-pin', { mode: 'generate' });
    expect((await alice.post('/admin/users/bea/lock', {})).headers.get('location')).toBe('/admin/users/bea?done=locked');
    const page = await alice.get('/admin/users/bea?done=locked');
    expect(page.text).toContain('The PIN has been locked until it is unlocked.');
    expect(page.text).toContain('locked by an administrator, until unlocked');
    expect(page.text).not.toContain('data-action="set-pin"');
    expect(page.text).not.toContain('data-action="reset-pin"');
    expect(page.text).toContain('data-action="unlock"');
    const refused = await alice.post('/admin/users/bea/set-pin', { mode: 'generate' });
    expect(refused.status).toBe(409);
    expect(shownPin(refused.text)).toBeUndefined();
    await alice.post('/admin/users/bea/unlock', {});
    expect((await alice.get('/admin/users/bea')).text).toContain('data-action="set-pin"');
  });

  it('resets a PIN that must be changed at the next dial-in unless the box is cleared', async () => {
    const alice = await signedIn('alice');
    await alice.post('/admin/users/bea/set-pin', { mode: 'generate' });
    const page = await alice.get('/admin/users/bea');
    expect(page.text).toMatch(/name="mustChange" value="on" checked> Require the user to change the PIN at the next dial-in/);
    const reset = await alice.post('/admin/users/bea/reset-pin', { mustChange: 'on' });
    expect(shownPin(reset.text)).toMatch(/^\d{5}$/);
    expect((await t.server.directory.getStatus('bea')).mustChange).toBe(true);
    await alice.post('/admin/users/bea/reset-pin', {});
    expect((await t.server.directory.getStatus('bea')).mustChange).toBe(false);
  });

  it('removes a PIN, and says so when there is none to remove', async () => {
    const alice = await signedIn('alice');
    await alice.post('/admin/users/bea/set-pin', { mode: 'generate' });
    expect((await alice.post('/admin/users/bea/remove-pin', {})).status).toBe(303);
    expect((await t.server.directory.getStatus('bea')).pinSet).toBe(false);
    const again = await alice.post('/admin/users/bea/remove-pin', {});
    expect(again.status).toBe(409);
    expect(again.text).toContain('has no PIN to remove');
  });

  it('gives a conference a new ID, only from its organizer’s page', async () => {
    const alice = await signedIn('alice');
    const elsewhere = await alice.post('/admin/users/amos/reset-conference-id', { conference: '654321' });
    expect(elsewhere.status).toBe(404);
    expect((await t.server.directory.listConferences()).map((c) => c.id)).toContain('654321');
    const reply = await alice.post('/admin/users/bea/reset-conference-id', { conference: '654321' });
    expect(reply.headers.get('location')).toBe('/admin/users/bea?done=conference-id');
    const ids = (await t.server.directory.listConferences()).filter((c) => c.organizerId === 'bea').map((c) => c.id);
    expect(ids).toHaveLength(1);
    expect(ids[0]).not.toBe('654321');
    expect((await alice.get('/admin/users/bea')).text).toContain(`Conference ${ids[0]}`);
  });

  it('answers 404 for an unknown user', async () => {
    const alice = await signedIn('alice');
    expect((await alice.get('/admin/users/nobody')).status).toBe(404);
    expect((await alice.post('/admin/users/nobody/lock', {})).status).toBe(404);
  });
});

describe('roles', () => {
  it('lets a user-admin act on PINs and see the audit log, but refuses admin pages with 403', async () => {
    const uma = await signedIn('uma');
    const users = await uma.get('/admin/users');
    expect(users.text).not.toContain('href="/admin/policies"');
    expect(users.text).not.toContain('href="/admin/tenant"');
    expect(users.text).not.toContain('href="/admin/outbox"');
    expect(users.text).toContain('href="/admin/audit"');
    expect(shownPin((await uma.post('/admin/users/amos/set-pin', { mode: 'generate' })).text)).toMatch(/^\d{5}$/);
    for (const path of ['/admin/policies', '/admin/tenant', '/admin/accounts', '/admin/outbox']) {
      expect((await uma.get(path)).status, path).toBe(403);
    }
    const before = await t.server.directory.getPolicy();
    expect((await uma.post('/admin/policies', { minLength: '8', historyCount: '5', lifetimeDays: '0', maxLogonAttempts: 'auto' })).status).toBe(403);
    expect((await uma.post('/admin/tenant', { pinLength: '9' })).status).toBe(403);
    expect(await t.server.directory.getPolicy()).toEqual(before);
    expect((await t.server.directory.getTenant()).pinLength).toBe(5);
    const audit = await uma.get('/admin/audit?admin=uma');
    expect(audit.text).toContain('<td>set</td><td>admin uma</td>');
    expect(audit.text).not.toContain('admin alice');
  });

  it('lets an admin change the global policy and tenant settings, naming a bad field', async () => {
    const alice = await signedIn('alice');
    const saved = await alice.post('/admin/policies', { minLength: '6', historyCount: '5', lifetimeDays: '90', maxLogonAttempts: '10/200', logonFailuresBeforePinReset: '' });
    expect(saved.headers.get('location')).toBe('/admin/policies?done=saved');
    expect(await t.server.directory.getPolicy()).toMatchObject({ minLength: 6, lifetimeDays: 90, maxLogonAttempts: { local: 10, global: 200 }, allowCommonPatterns: false });
    const bad = await alice.post('/admin/tenant', { pinLength: '13', sendEmailToUser: 'on', emailOverride: '' });
    expect(bad.status).toBe(422);
    expect(bad.text).toContain('tenant.pinLength must be a whole number from 4 to 12, got 13');
    await alice.post('/admin/tenant', { pinLength: '6', sendEmailToUser: 'on', emailOverride: 'pins@example.com' });
    expect(await t.server.directory.getTenant()).toMatchObject({ pinLength: 6, sendEmailToUser: true, emailOverride: 'pins@example.com', allowAnonymousStart: false });
    await alice.post('/admin/policies', { minLength: '5', historyCount: '5', lifetimeDays: '0', maxLogonAttempts: 'auto' });
    await alice.post('/admin/tenant', { pinLength: '5', sendEmailToUser: 'on' });
    expect((await alice.get('/admin/accounts')).text).toMatch(/data-account="uma"><td>uma<\/td><td>user-admin/);
  });
});

describe('users list', () => {
  it('finds users by e-mail, phone digits and extension, and filters by PIN state', async () => {
    const alice = await signedIn('alice');
    const ids = (text: string) => [...text.matchAll(/data-user-id="([^"]+)"/g)].map((m) => m[1]);
    expect(ids((await alice.get('/admin/users?q=bea%40example')).text)).toEqual(['bea']);
    expect(ids((await alice.get('/admin/users?q=5550100')).text)).toEqual(['xss']);
    expect(ids((await alice.get('/admin/users?q=4321')).text)).toEqual(['xss']);
    expect(ids((await alice.get('/admin/users?filter=no-pin')).text)).toEqual(expect.arrayContaining(['xss']));
    expect(ids((await alice.get('/admin/users?filter=no-pin')).text)).not.toContain('amos');
    await alice.post('/admin/users/amos/lock', {});
    expect(ids((await alice.get('/admin/users?filter=locked')).text)).toEqual(['amos']);
    await alice.post('/admin/users/amos/unlock', {});
  });
});

describe('escaping', () => {
  it('shows a name and e-mail address made of markup as text on every page', async () => {
    const alice = await signedIn('alice');
    await alice.post('/admin/users/xss/set-pin', { mode: 'generate' });
    const search = await alice.get(`/admin/users?q=${encodeURIComponent('"><script>alert(1)</script>')}`);
    for (const reply of [await alice.get('/admin/users'), await alice.get('/admin/users/xss'), await alice.get('/admin/outbox'), await alice.get('/admin/audit?user=xss'), search]) {
      expect(reply.text).not.toContain('<img src=x');
      expect(reply.text).not.toContain('<script>alert');
    }
    const page = await alice.get('/admin/users/xss');
    expect(page.text).toContain('&lt;img src=x onerror=alert(1)&gt;');
    expect(page.text).toContain('&quot;&gt;&lt;script&gt;alert(1)&lt;/script&gt;@evil.example');
    expect(search.text).toContain('value="&quot;&gt;&lt;script&gt;alert(1)&lt;/script&gt;"');
  });
});

describe('admin accounts', () => {
  it('adds an account whose generated password is shown once, unlocks and removes one, never the admin’s own', async () => {
    const alice = await signedIn('alice');
    const added = await alice.post('/admin/accounts', { name: 'dave', role: 'user-admin' });
    expect(added.status).toBe(200);
    const password = /<output id="new-pin" class="pin">([^<]+)<\/output>/.exec(added.text)![1]!;
    expect((await alice.get('/admin/accounts')).text).not.toContain(password);
    const dave = new AdminClient(t.server.url);
    expect((await dave.signIn('dave', password)).status).toBe(303);
    for (let i = 0; i < 10; i++) await new AdminClient(t.server.url).signIn('dave', 'not-the-password-at-all');
    expect((await alice.get('/admin/accounts')).text).toMatch(/data-account="dave">.*locked until/);
    expect((await alice.post('/admin/accounts/dave/unlock', {})).headers.get('location')).toBe('/admin/accounts?done=account-unlock');
    expect((await new AdminClient(t.server.url).signIn('dave', password)).status).toBe(303);
    expect((await alice.post('/admin/accounts', { name: 'dave', role: 'admin' })).status).toBe(409);
    expect((await alice.post('/admin/accounts', { name: 'erin', role: 'root' })).status).toBe(422);
    const self = await alice.post('/admin/accounts/alice/remove', {});
    expect(self.status).toBe(403);
    expect((await alice.post('/admin/accounts/dave/remove', {})).status).toBe(303);
    expect((await dave.get('/admin/users')).status).toBe(303);
    expect((await new AdminClient(t.server.url).signIn('dave', password)).status).toBe(401);
  }, 30_000);

  it('refuses a user-admin’s account changes with 403', async () => {
    const uma = await signedIn('uma');
    expect((await uma.post('/admin/accounts', { name: 'mallory', role: 'admin' })).status).toBe(403);
    expect((await uma.post('/admin/accounts/alice/remove', {})).status).toBe(403);
    expect(await t.server.directory.accounts.get('mallory')).toBeUndefined();
    expect(await t.server.directory.accounts.get('alice')).toBeDefined();
  });
});

describe('site and user policies', () => {
  it('gives a site and a user their own policy, which their pages and PIN checks follow, and removes them', async () => {
    const alice = await signedIn('alice');
    expect((await alice.post('/admin/policies/new', { kind: 'site', name: 'emea' })).headers.get('location')).toBe('/admin/policies?done=saved');
    const fields = { minLength: '7', historyCount: '5', lifetimeDays: '0', maxLogonAttempts: 'auto', logonFailuresBeforePinReset: '' };
    expect((await alice.post('/admin/policies/site/emea', fields)).status).toBe(303);
    const page = await alice.get('/admin/users/sam');
    expect(page.text).toContain('(the site emea policy)');
    expect(page.text).toContain('<dd data-field="minLength">7</dd>');
    expect(JSON.parse((await alice.postJson('/admin/users/sam/check-pin', { pin: '80529' })).text)).toMatchObject({ rule: 'min-length', text: 'The PIN must have at least 7 digits.' });
    expect((await alice.post('/admin/users/sam/set-pin', { mode: 'manual', pin: '80529' })).status).toBe(422);
    await alice.post('/admin/policies/new', { kind: 'user', name: 'sam' });
    await alice.post('/admin/policies/user/sam', { ...fields, minLength: '8' });
    const policies = await alice.get('/admin/policies');
    expect(policies.text).toContain('data-scope="site emea"');
    expect(policies.text).toMatch(/data-user-id="sam">.*<td>user sam<\/td><td>8<\/td>/);
    expect((await alice.get('/admin/users/sam')).text).toContain('(the user sam policy)');
    expect((await alice.post('/admin/policies/user/sam/remove', {})).status).toBe(303);
    expect((await alice.post('/admin/policies/user/sam/remove', {})).status).toBe(409);
    expect((await alice.post('/admin/policies/site/emea/remove', {})).status).toBe(303);
    expect((await alice.get('/admin/users/sam')).text).toContain('(the global policy)');
  });

  it('refuses a user-admin’s policy changes with 403', async () => {
    const uma = await signedIn('uma');
    expect((await uma.post('/admin/policies/new', { kind: 'site', name: 'apac' })).status).toBe(403);
    expect((await uma.post('/admin/policies/site/apac', { minLength: '4' })).status).toBe(403);
    expect(await t.server.directory.listScopedPolicies()).toEqual([]);
  });
});

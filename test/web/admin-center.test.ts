/**
 * End to end in headless Chromium against the real server: every PIN action
 * through the admin center's pages, for an admin and for a user-admin (and
 * what a user-admin is refused), the PIN checked as it is typed, a new PIN
 * shown once with its Copy button, markup in a user's name shown as text,
 * and /me from the mailed link to a new PIN.
 */
import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startAdminServer, type AdminTestServer } from '../server/admin/admin-client.ts';
import { openUser, shownPin, signInAdmin, signInMe } from './admin-driver.ts';
import { launchBrowser, type TestBrowser } from './browser.ts';
import { textContrasts } from './page-contrast.ts';

let browser: TestBrowser;
let t: AdminTestServer;
const dialogs: string[] = [];
const cspReports: string[] = [];

beforeAll(async () => {
  t = await startAdminServer();
  await t.server.directory.importRecords({
    users: [
      { id: 'xss', name: '<img src=x onerror=alert(1)>', email: '"><script>alert(2)</script>@evil.example', phone: null, extension: null },
      { id: 'bea', name: 'Bea Quinn', email: 'bea@example.com', phone: '+1 555 0142', extension: '2048' },
    ],
    conferences: [{ id: '777888', organizerId: 'bea', allowAnonymousStart: null }],
  });
  browser = await launchBrowser();
});

afterAll(async () => {
  await browser?.close();
  await t?.close();
});

/** A page in a browser with no session cookies (the profile is shared by every page). */
async function newPage(): Promise<Page> {
  await browser.context.clearCookies();
  const page = await browser.newPage();
  page.on('dialog', (dialog) => {
    dialogs.push(dialog.message());
    void dialog.dismiss();
  });
  page.on('console', (message) => {
    if (/Content Security Policy/i.test(message.text())) cspReports.push(message.text());
  });
  return page;
}

describe('admin center in Chromium', () => {
  it('sets a generated PIN, shows it once with a Copy button, and ***** after leaving the page', async () => {
    const page = await newPage();
    await browser.context.grantPermissions(['clipboard-read', 'clipboard-write'], { origin: t.server.url });
    await signInAdmin(page, t.server.url, 'alice');
    await openUser(page, 'bea@example', 'Bea Quinn');
    await expect.poll(() => page.getByLabel('Automatically generate a valid PIN').isChecked()).toBe(true);
    expect(await page.getByLabel('PIN', { exact: true }).isDisabled()).toBe(true);
    await page.getByRole('button', { name: 'Set PIN', exact: true }).click();
    await page.getByRole('heading', { name: 'New PIN for Bea Quinn' }).waitFor();
    const pin = await shownPin(page);
    expect(pin).toMatch(/^\d{5}$/);
    expect(page.url()).toBe(`${t.server.url}/admin/users/bea/set-pin`);
    await page.getByRole('button', { name: 'Copy', exact: true }).click();
    await page.getByText('Copied.').waitFor();
    expect(await page.evaluate(() => navigator.clipboard.readText())).toBe(pin);
    await page.getByRole('link', { name: 'Users', exact: true }).click();
    await page.getByRole('link', { name: 'Bea Quinn' }).click();
    expect(await page.content()).not.toContain(pin);
    expect(await page.locator('[data-field="pin"]').textContent()).toMatch(/^\*\*\*\*\* set /);
    await page.goBack();
    expect(await page.content()).not.toContain(pin);
    await page.close();
  }, 60_000);

  it('checks a typed PIN against the policy as it is typed, then sets it', async () => {
    const page = await newPage();
    await signInAdmin(page, t.server.url, 'alice');
    await openUser(page, '0142', 'Bea Quinn');
    await page.getByLabel('Manually enter a specific PIN').check();
    const field = page.getByLabel('PIN', { exact: true });
    expect(await field.isDisabled()).toBe(false);
    const verdict = page.locator('#pin-check');
    await field.pressSequentially('11111');
    await expect.poll(() => verdict.textContent()).toBe('The PIN is one digit repeated.');
    await field.fill('');
    await field.pressSequentially('5550142');
    await expect.poll(() => verdict.textContent()).toBe("The PIN matches the user's phone number.");
    await field.fill('');
    await field.pressSequentially('204');
    await expect.poll(() => verdict.textContent()).toBe('The PIN must have at least 5 digits.');
    await field.pressSequentially('93');
    await expect.poll(() => verdict.textContent()).toBe('The PIN meets the policy.');
    expect(await verdict.getAttribute('data-ok')).toBe('true');
    await page.getByRole('button', { name: 'Set PIN', exact: true }).click();
    await page.getByRole('heading', { name: 'New PIN for Bea Quinn' }).waitFor();
    expect(await shownPin(page)).toBe('20493');
    await page.close();
  }, 60_000);

  it('locks, unlocks, resets, removes a PIN and resets a conference ID through the buttons', async () => {
    const page = await newPage();
    await signInAdmin(page, t.server.url, 'alice');
    await openUser(page, 'bea', 'Bea Quinn');
    await page.getByRole('button', { name: 'Lock PIN', exact: true }).click();
    await page.getByText('The PIN has been locked until it is unlocked.').waitFor();
    expect(await page.getByRole('button', { name: 'Set PIN', exact: true }).count()).toBe(0);
    expect(await page.getByRole('button', { name: 'Reset PIN', exact: true }).count()).toBe(0);
    await page.getByRole('link', { name: 'Users', exact: true }).click();
    await page.getByLabel('Locked', { exact: true }).check();
    await page.getByRole('button', { name: 'Search', exact: true }).click();
    expect(await page.locator('tr[data-user-id]').evaluateAll((rows) => rows.map((row) => row.getAttribute('data-user-id')))).toEqual(['bea']);
    expect(await page.locator('tr[data-user-id="bea"] [data-field="pin-state"]').textContent()).toBe('locked (admin)');
    await page.getByRole('link', { name: 'Bea Quinn', exact: true }).click();
    await page.getByRole('button', { name: 'Unlock PIN', exact: true }).click();
    await page.getByText('The PIN has been unlocked').waitFor();
    const box = page.getByLabel('Require the user to change the PIN at the next dial-in');
    expect(await box.isChecked()).toBe(true);
    await page.getByRole('button', { name: 'Reset PIN', exact: true }).click();
    await page.getByRole('heading', { name: 'New PIN for Bea Quinn' }).waitFor();
    expect((await t.server.directory.getStatus('bea')).mustChange).toBe(true);
    expect(await page.locator('[data-field="expiry"]').textContent()).toBe('expired: must be changed at the next dial-in');
    await page.getByRole('button', { name: 'Remove PIN', exact: true }).click();
    await page.getByText('The PIN has been removed.').waitFor();
    expect(await page.locator('[data-field="pin"]').textContent()).toBe('not set');
    await page.getByRole('button', { name: 'Reset conference ID', exact: true }).click();
    await page.getByText('The conference ID has been reset.').waitFor();
    const [conference] = (await t.server.directory.listConferences()).filter((c) => c.organizerId === 'bea');
    expect(conference!.id).not.toBe('777888');
    await page.getByText(`Conference ${conference!.id}`).waitFor();
    await page.close();
  }, 60_000);

  it('lets an admin change policies and tenant settings, manage accounts and read the outbox, audit log and live conferences', async () => {
    await t.server.directory.setPin('bea');
    const page = await newPage();
    await signInAdmin(page, t.server.url, 'alice');
    await page.getByRole('link', { name: 'Policies' }).click();
    const global = page.locator('[data-scope="global"]');
    await global.getByText('Change').click();
    await global.getByLabel(/^Minimum PIN length/).fill('6');
    await page.getByRole('button', { name: 'Save global policy', exact: true }).click();
    await page.getByText('Saved.').waitFor();
    expect((await t.server.directory.getPolicy()).minLength).toBe(6);
    await global.getByText('Change').click();
    await global.getByLabel(/^Minimum PIN length/).fill('5');
    await page.getByRole('button', { name: 'Save global policy', exact: true }).click();
    await page.getByText('Saved.').waitFor();
    await page.getByLabel('For', { exact: true }).selectOption('user');
    await page.getByLabel('Site name or user id').fill('bea');
    await page.getByRole('button', { name: 'Add policy', exact: true }).click();
    const own = page.locator('[data-scope="user bea"]');
    await own.getByText('Change').click();
    await own.getByLabel(/^Minimum PIN length/).fill('9');
    await own.getByRole('button', { name: 'Save User bea', exact: true }).click();
    await page.getByText('Saved.').waitFor();
    expect((await t.server.directory.effectivePolicy('bea')).policy.minLength).toBe(9);
    await page.locator('tr[data-user-id="bea"]').getByText('user bea').waitFor();
    await own.getByRole('button', { name: 'Remove the policy of User bea', exact: true }).click();
    await page.getByText('Saved.').waitFor();
    expect((await t.server.directory.effectivePolicy('bea')).scope).toEqual({ kind: 'global' });
    await page.getByRole('link', { name: 'Tenant settings' }).click();
    await page.getByLabel(/^Length of generated PINs/).fill('7');
    await page.getByLabel('Send PIN mails to this address instead').fill('pins@example.com');
    await page.getByRole('button', { name: 'Save tenant settings', exact: true }).click();
    await page.getByText('Saved.').waitFor();
    expect(await t.server.directory.getTenant()).toMatchObject({ pinLength: 7, emailOverride: 'pins@example.com' });
    await page.getByLabel(/^Length of generated PINs/).fill('5');
    await page.getByLabel('Send PIN mails to this address instead').fill('');
    await page.getByRole('button', { name: 'Save tenant settings', exact: true }).click();
    await page.getByText('Saved.').waitFor();
    await page.getByRole('link', { name: 'Outbox' }).click();
    await page.getByText('to bea@example.com (user bea)').first().waitFor();
    await page.getByRole('link', { name: 'Audit log' }).click();
    await page.getByLabel('Admin', { exact: true }).fill('alice');
    await page.getByLabel('Event', { exact: true }).selectOption('settings');
    await page.getByRole('button', { name: 'Filter', exact: true }).click();
    const rows = page.locator('table.audit tbody tr');
    expect(await rows.count()).toBeGreaterThan(0);
    for (const row of await rows.all()) expect(await row.locator('td').nth(3).textContent()).toBe('admin alice');
    await page.getByRole('link', { name: 'Live conferences' }).click();
    await page.locator('tr[data-conference-id="123456"]').waitFor();
    await page.getByRole('link', { name: 'Admin accounts' }).click();
    await page.locator('tr[data-account="uma"]').waitFor();
    await page.getByLabel('Name', { exact: true }).fill('frank');
    await page.getByLabel('Role').selectOption('user-admin');
    await page.getByRole('button', { name: 'Add account', exact: true }).click();
    await page.getByRole('heading', { name: 'Password for frank' }).waitFor();
    expect(await shownPin(page)).toMatch(/^[A-Za-z0-9_-]{24}$/);
    await page.locator('tr[data-account="frank"]').getByRole('button', { name: 'Remove account' }).click();
    await page.getByText('The account has been removed and its sessions ended.').waitFor();
    expect(await page.locator('tr[data-account="frank"]').count()).toBe(0);
    expect(await page.locator('tr[data-account="alice"]').getByRole('button').count()).toBe(0);
    await page.getByRole('button', { name: 'Sign out', exact: true }).click();
    await page.getByRole('heading', { name: 'Sign in' }).waitFor();
    await page.goto(`${t.server.url}/admin/users`);
    await page.getByRole('heading', { name: 'Sign in' }).waitFor();
    await page.close();
  }, 60_000);

  it('gives a user-admin the PIN actions and no admin pages, and refuses those pages when typed in', async () => {
    const page = await newPage();
    await signInAdmin(page, t.server.url, 'uma');
    const nav = page.getByRole('navigation', { name: 'Admin center' });
    expect(await nav.getByRole('link').allTextContents()).toEqual(['Users', 'Audit log', 'Live conferences']);
    await openUser(page, 'amos', 'Amos Marble');
    await page.getByRole('button', { name: 'Set PIN', exact: true }).click();
    await page.getByRole('heading', { name: 'New PIN for Amos Marble' }).waitFor();
    for (const path of ['/admin/policies', '/admin/tenant', '/admin/accounts', '/admin/outbox']) {
      const response = await page.goto(`${t.server.url}${path}`);
      expect(response?.status(), path).toBe(403);
      await page.getByText('Your role does not allow this.').waitFor();
    }
    await page.close();
  }, 60_000);

  it('shows a name and an e-mail address made of markup as text, running nothing', async () => {
    const page = await newPage();
    await signInAdmin(page, t.server.url, 'alice');
    await page.getByLabel('Search users').fill('evil.example');
    await page.getByRole('button', { name: 'Search', exact: true }).click();
    await page.getByRole('link', { name: '<img src=x onerror=alert(1)>' }).click();
    expect(await page.locator('[data-field="name"]').textContent()).toBe('<img src=x onerror=alert(1)>');
    expect(await page.locator('[data-field="email"]').textContent()).toBe('"><script>alert(2)</script>@evil.example');
    await page.getByRole('button', { name: 'Set PIN', exact: true }).click();
    await page.getByRole('heading', { name: 'New PIN for <img src=x onerror=alert(1)>' }).waitFor();
    await page.getByRole('link', { name: 'Outbox' }).click();
    expect(await page.locator('img[src="x"]').count()).toBe(0);
    expect(await page.locator('main script').count()).toBe(0);
    expect(dialogs).toEqual([]);
    await page.close();
  }, 60_000);
  it('shows small text, buttons, links and values at 7:1 contrast or more, in the light and the dark scheme', async () => {
    const page = await newPage();
    await signInAdmin(page, t.server.url, 'alice');
    await openUser(page, 'bea', 'Bea Quinn');
    for (const colorScheme of ['light', 'dark'] as const) {
      await page.emulateMedia({ colorScheme });
      const small = await textContrasts(page, 15, ['button', 'a', 'dd', 'h1']);
      expect(small.length).toBeGreaterThan(10);
      expect(small.filter((entry) => entry.ratio < 7), colorScheme).toEqual([]);
    }
    await page.close();
  }, 60_000);
});

describe('/me in Chromium', () => {
  it('signs in through the mailed link and resets the PIN to one shown once', async () => {
    const page = await newPage();
    await signInMe(page, t.server, 'amos@example.com', 'amos');
    expect(await page.locator('[data-pin-state]').getAttribute('data-pin-state')).toBe('set');
    await page.getByLabel('Manually enter a specific PIN').check();
    await page.getByLabel('PIN', { exact: true }).pressSequentially('13579');
    await expect.poll(() => page.locator('#pin-check').textContent()).toBe('The PIN meets the policy.');
    await page.getByLabel('Automatically generate a valid PIN').check();
    await page.getByRole('button', { name: 'Reset PIN', exact: true }).click();
    await page.getByRole('heading', { name: 'New PIN for Amos Marble' }).waitFor();
    const pin = await shownPin(page);
    expect(pin).toMatch(/^\d{5}$/);
    expect(page.url()).toBe(`${t.server.url}/me/reset-pin`);
    await page.goto(`${t.server.url}/me`);
    expect(await page.content()).not.toContain(pin);
    await page.getByRole('button', { name: 'Sign out', exact: true }).click();
    await page.getByRole('button', { name: 'Mail me a sign-in link', exact: true }).waitFor();
    await page.close();
  }, 60_000);

  it('says a locked PIN cannot be reset here, and that a used link is used', async () => {
    const page = await newPage();
    await signInMe(page, t.server, 'bea@example.com', 'bea');
    const mail = (await t.server.directory.listOutbox('bea')).filter((message) => message.subject.includes('sign-in link')).at(-1)!;
    await t.server.directory.lock('bea');
    await page.reload();
    await page.getByText('Your PIN is locked, so it cannot be reset here.').waitFor();
    expect(await page.getByRole('button', { name: 'Reset PIN', exact: true }).count()).toBe(0);
    await t.server.directory.unlock('bea');
    const second = await newPage();
    await second.goto(/^http:\/\/\S+$/m.exec(mail.body)![0]);
    await second.getByRole('button', { name: 'Sign in', exact: true }).click();
    await second.getByText('This sign-in link has been used, has expired or is not valid.').waitFor();
    await page.close();
    await second.close();
    expect(browser.pageErrors).toEqual([]);
    expect(cspReports).toEqual([]);
  }, 60_000);
});

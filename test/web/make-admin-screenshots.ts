/**
 * Writes the README's screenshots of the admin center and /me: the users
 * list, a user's page right after Set PIN (the PIN shown once), and a user's
 * /me page. Runs the real server and headless Chromium, like the
 * end-to-end tests.
 *
 *   npx tsx test/web/make-admin-screenshots.ts [out-dir]   (default test/web/screenshots)
 */
import { mkdir } from 'node:fs/promises';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { startAdminServer } from '../server/admin/admin-client.ts';
import { openUser, signInAdmin, signInMe } from './admin-driver.ts';
import { launchBrowser } from './browser.ts';

const outDir = process.argv[2] ?? fileURLToPath(new URL('./screenshots/', import.meta.url));
const t = await startAdminServer();
const { directory } = t.server;
await directory.importRecords({
  users: [
    { id: 'bea', name: 'Bea Quinn', email: 'bea@contoso.com', phone: '+1 (555) 014-2277', extension: '2048', site: 'emea' },
    { id: 'chidi', name: 'Chidi Okafor', email: 'chidi@contoso.com', phone: '+1 (555) 019-3346', extension: '2051' },
    { id: 'dana', name: 'Dana Whitfield', email: 'dana@contoso.com', phone: null, extension: '2060' },
    { id: 'emil', name: 'Emil Sørensen', email: 'emil@contoso.com', phone: '+45 32 12 34 56', extension: null },
  ],
  conferences: [{ id: '480213', organizerId: 'bea', allowAnonymousStart: null }],
});
await directory.setScopedPolicy({ kind: 'site', site: 'emea' }, { minLength: 6 });
await directory.setPin('chidi');
await directory.setPin('dana', undefined, { expired: true });
await directory.lock('emil');
const browser = await launchBrowser({ viewport: { width: 1200, height: 720 } });
try {
  await mkdir(outDir, { recursive: true });
  const admin = await browser.newPage();
  await signInAdmin(admin, t.server.url, 'alice');
  await admin.screenshot({ path: join(outDir, 'admin-users.png') });
  await openUser(admin, 'bea', 'Bea Quinn');
  await admin.getByRole('button', { name: 'Set PIN', exact: true }).click();
  await admin.getByRole('heading', { name: 'New PIN for Bea Quinn' }).waitFor();
  await admin.setViewportSize({ width: 1200, height: 1000 });
  await admin.screenshot({ path: join(outDir, 'admin-user-new-pin.png') });
  await browser.context.clearCookies();
  const me = await browser.newPage();
  await me.setViewportSize({ width: 900, height: 860 });
  await signInMe(me, t.server, 'amos@example.com', 'amos');
  await me.screenshot({ path: join(outDir, 'me-page.png') });
  console.log(`wrote admin-users.png, admin-user-new-pin.png and me-page.png in ${outDir}`);
} finally {
  await browser.close();
  await t.close();
}

/** Test helper: the admin center and /me driven through their real pages, as a person would. */
import type { Page } from 'playwright-core';
import type { RunningServer } from '../../src/server/server.ts';
import { passwordOf } from '../server/admin/admin-client.ts';

export async function signInAdmin(page: Page, base: string, name: string): Promise<void> {
  await page.goto(`${base}/admin/sign-in`);
  await page.getByLabel('Name').fill(name);
  await page.getByLabel('Password').fill(passwordOf(name));
  await page.getByRole('button', { name: 'Sign in' }).click();
  await page.getByRole('heading', { name: 'Users', level: 1 }).waitFor();
}

export async function openUser(page: Page, query: string, displayName: string): Promise<void> {
  await page.getByRole('link', { name: 'Users', exact: true }).click();
  await page.getByLabel('Search users').fill(query);
  await page.getByRole('button', { name: 'Search' }).click();
  await page.getByRole('link', { name: displayName, exact: true }).click();
  await page.getByRole('heading', { name: displayName, level: 1 }).waitFor();
}

/** The PIN the page shows once. */
export async function shownPin(page: Page): Promise<string> {
  return (await page.locator('#new-pin').textContent()) ?? '';
}

/** Signs a user in to /me through the link mailed to them (read from the outbox, as their mail). */
export async function signInMe(page: Page, server: RunningServer, email: string, userId: string): Promise<void> {
  await page.goto(`${server.url}/me`);
  await page.getByLabel('E-mail address').fill(email);
  await page.getByRole('button', { name: 'Mail me a sign-in link' }).click();
  await page.getByText('If this address belongs to a user').waitFor();
  const mail = (await server.directory.listOutbox(userId)).filter((message) => message.subject.includes('sign-in link')).at(-1)!;
  const link = /^http:\/\/\S+$/m.exec(mail.body)![0];
  await page.goto(link);
  await page.getByRole('button', { name: 'Sign in' }).click();
  await page.getByRole('heading', { name: 'Your dial-in PIN' }).waitFor();
}

/**
 * End to end in headless Chromium against the real server: the monitor page
 * while callers (Node clients keying in-band DTMF on /call) wait in the
 * lobby and start the meeting, and while the service is down.
 */
import type { ConsoleMessage } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startServer, type RunningServer } from '../../src/server/server.ts';
import { launchBrowser, type TestBrowser } from './browser.ts';
import { callLine } from './line-caller.ts';
import { textContrasts } from './page-contrast.ts';

let browser: TestBrowser;
const servers: RunningServer[] = [];

async function serve(port = 0): Promise<RunningServer> {
  const server = await startServer({ port, host: '127.0.0.1', db: ':memory:', log: () => undefined });
  servers.push(server);
  return server;
}

beforeAll(async () => {
  browser = await launchBrowser();
});

afterAll(async () => {
  await browser?.close();
  for (const server of servers) await server.close();
});

describe('monitor page', () => {
  it('marks the leader of a started meeting, with small text at 7:1 contrast', async () => {
    const server = await serve();
    const organizer = callLine(server.url, '+15550501');
    await organizer.waitForState('collecting-conference-id');
    organizer.press('123456#');
    await organizer.waitForState('leader-question');
    organizer.press('*');
    await organizer.waitForState('collecting-pin');
    organizer.press(`${server.demoPin}#`);
    await organizer.waitForState('in-meeting');
    const guest = callLine(server.url, '+15550502');
    await guest.waitForState('collecting-conference-id');
    guest.press('123456#');
    await guest.waitForState('in-meeting');
    const leaderId = await organizer.callId;

    const page = await browser.newPage();
    await page.goto(`${server.url}/monitor.html`);
    await page.waitForSelector('#conferences [data-list="participants"] li:nth-child(2)[data-call-id]');
    expect(await page.locator('[data-list="participants"] [data-leader="true"]').getAttribute('data-call-id')).toBe(leaderId);
    expect(await page.locator(`[data-call-id="${leaderId}"] .leader`).textContent()).toBe('leader');
    expect(await page.locator('[data-list="participants"] .leader').count()).toBe(1);
    for (const colorScheme of ['light', 'dark'] as const) {
      await page.emulateMedia({ colorScheme, reducedMotion: 'reduce' });
      const small = await textContrasts(page, 14);
      expect(small.map((entry) => entry.element)).toEqual(expect.arrayContaining([expect.stringContaining('"leader"'), expect.stringContaining('"Started"')]));
      expect(small.filter((entry) => entry.ratio < 7)).toEqual([]);
    }
    await Promise.all([organizer.hangup(), guest.hangup()]);
    expect(browser.pageErrors).toEqual([]);
  }, 45_000);

  it('greys out stale lobby entries while the service is down and says so once each way in the console', async () => {
    const first = await serve();
    const port = Number(new URL(first.url).port);
    const guest = callLine(first.url, '+15550503');
    await guest.waitForState('collecting-conference-id');
    guest.press('123456#');
    await guest.waitForState('leader-question');
    guest.press('#');
    await guest.waitForState('lobby');
    const guestId = await guest.callId;

    const page = await browser.newPage();
    const consoleLines: { type: string; text: string }[] = [];
    page.on('console', (message: ConsoleMessage) => consoleLines.push({ type: message.type(), text: message.text() }));
    await page.goto(`${first.url}/monitor.html`);
    const entry = page.locator(`#conferences [data-list="lobby"] [data-call-id="${guestId}"]`);
    await entry.waitFor();
    expect(await page.textContent('#monitor-status')).toMatch(/^Live · updated /);

    await first.close();
    await page.waitForSelector('#conferences[data-stale="true"]', { timeout: 10_000 });
    expect(await page.textContent('#monitor-status')).toMatch(/^Cannot reach the service · retrying in \d+ s · showing stale data from /);
    expect(await entry.count()).toBe(1);
    const opacity = await page.locator('#conferences').evaluate((node) => Number(getComputedStyle(node).opacity));
    expect(opacity).toBeLessThan(0.6);
    expect(await page.getByRole('img', { name: 'Cannot reach the service' }).count()).toBe(1);
    const before = consoleLines.filter((line) => line.type === 'error').length;
    await page.waitForTimeout(6000);
    expect(consoleLines.filter((line) => line.type === 'error').length - before).toBeLessThanOrEqual(4);

    await serve(port);
    await page.waitForSelector('#conferences:not([data-stale])', { timeout: 15_000 });
    expect(await page.textContent('#monitor-status')).toMatch(/^Live · updated /);
    // The new server has nobody in its lobby.
    await expect.poll(() => entry.count()).toBe(0);
    const own = consoleLines.filter((line) => line.text.startsWith('dialin-sim:')).map((line) => line.text);
    expect(own).toEqual([expect.stringMatching(/^dialin-sim: cannot reach the service \(.*\); retrying with backoff$/), 'dialin-sim: the service is reachable again']);
    expect(browser.pageErrors).toEqual([]);
  }, 60_000);
});

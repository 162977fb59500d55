/**
 * End to end in headless Chromium against the real server: a browser with no
 * microphone at all, and one whose microphone prompt is refused. The page
 * says which on the display and why Mute is disabled, and the call still
 * goes through on key tones alone.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startServer, type RunningServer } from '../../src/server/server.ts';
import { launchBrowser } from './browser.ts';
import { printLogsOnFailure } from './failure-report.ts';
import { clickKeys, dial, waitForState } from './softphone-driver.ts';

let server: RunningServer;

beforeAll(async () => {
  server = await startServer({ port: 0, host: '127.0.0.1', db: ':memory:', log: () => undefined });
});

afterAll(async () => {
  await server?.close();
});

describe('softphone without a usable microphone', () => {
  const cases = [
    { microphone: 'none', state: 'unavailable', notice: 'No microphone found.' },
    { microphone: 'refused', state: 'denied', notice: 'Microphone blocked: the browser refused access.' },
  ] as const;
  for (const { microphone, state, notice } of cases) {
    it(`says so on the page and why Mute is disabled (${microphone})`, async () => {
      const browser = await launchBrowser({ microphone });
      try {
        const page = await browser.newPage();
        printLogsOnFailure({ caller: page });
        await page.goto(server.url);
        // Nothing to choose from: the microphone picker stays hidden rather than empty.
        if (microphone === 'none') expect(await page.getByRole('combobox', { name: 'Microphone' }).count()).toBe(0);
        await dial(page, { from: '+15550401', microphone: true });
        expect(await page.getAttribute('#log li[data-event="audio-ready"]', 'data-microphone')).toBe(state);
        expect(await page.getByRole('status').filter({ hasText: notice }).count()).toBe(1);
        const mute = page.getByRole('button', { name: 'Mute' });
        expect(await mute.isDisabled()).toBe(true);
        const describedBy = await mute.getAttribute('aria-describedby');
        expect(await page.locator(`#${describedBy}`).textContent()).toBe('Mute is disabled: this call has no microphone.');
        expect(await page.locator(`#${describedBy}`).isVisible()).toBe(true);
        // Key tones alone carry the call.
        await waitForState(page, 'collecting-conference-id');
        await clickKeys(page, '123456#');
        await waitForState(page, 'leader-question');
        await page.click('#call-button');
        await page.waitForSelector('body[data-phase="idle"]');
        expect(browser.pageErrors).toEqual([]);
      } finally {
        await browser.close();
      }
    }, 45_000);
  }
});

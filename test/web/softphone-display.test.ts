/**
 * End to end in headless Chromium against the real server: what a person
 * sees on the softphone. Outcomes in plain words, the badge and caption at
 * admission, the digits of each attempt, the call time after the call, the
 * audio controls, the developer log kept out of the way, accessible names
 * and the contrast of small text.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startServer, type RunningServer } from '../../src/server/server.ts';
import { launchBrowser, type TestBrowser } from './browser.ts';
import { printLogsOnFailure } from './failure-report.ts';
import { callLine } from './line-caller.ts';
import { textContrasts } from './page-contrast.ts';
import { clickKeys, dial, shownState, typeKeys, waitForKeysSent, waitForState } from './softphone-driver.ts';

let server: RunningServer;
let browser: TestBrowser;

beforeAll(async () => {
  server = await startServer({ port: 0, host: '127.0.0.1', db: ':memory:', log: () => undefined });
  browser = await launchBrowser();
});

afterAll(async () => {
  await browser?.close();
  await server?.close();
});

/** Waits for the n-th digit-heard line of the log. */
async function waitForDigits(page: import('playwright-core').Page, count: number): Promise<void> {
  await page.waitForFunction((n) => document.querySelectorAll('#log li[data-event="digit-heard"]').length >= n, count, { timeout: 15_000 });
}

describe('softphone display', () => {
  it('shows only the digits of the current attempt and says "too many attempts" without the reason code, keeping the call time', async () => {
    const page = await browser.newPage();
    printLogsOnFailure({ caller: page });
    await page.goto(server.url);
    await dial(page, { from: '+15550301', microphone: true });
    await waitForState(page, 'collecting-conference-id');
    await typeKeys(page, '111111#');
    await waitForDigits(page, 7);
    expect(await page.textContent('#heard-digits')).toBe('111111#');
    await page.waitForSelector('#prompt-name:text-is("invalid-conference-id")');
    await typeKeys(page, '222222#');
    await waitForDigits(page, 14);
    expect(await page.textContent('#heard-digits')).toBe('222222#');
    await page.waitForSelector('#log li[data-event="prompt-started"][data-prompt="invalid-conference-id"] ~ li[data-event="prompt-started"][data-prompt="invalid-conference-id"]', { state: 'attached' });
    await typeKeys(page, '333333#');
    await page.waitForSelector('body[data-phase="idle"]', { timeout: 20_000 });

    expect(await page.getAttribute('#log li[data-event="hung-up"]', 'data-reason')).toBe('conference-id-failures');
    const shown = await shownState(page);
    expect(shown).toMatchObject({ state: 'ended', label: 'Call ended' });
    expect(shown.prompt).toBe('Too many attempts: the conference ID was not recognised. The service ended the call. Press Call to dial in again.');
    expect(await page.locator('.display').innerText()).not.toContain('conference-id-failures');
    // The call lasted several seconds (three entries and their prompts), and
    // its length stays on the display without ticking on.
    const timer = page.getByRole('timer', { name: 'Last call duration' });
    const shownDuration = await timer.textContent();
    expect(shownDuration).toMatch(/^0:[0-5]\d$/);
    expect(Number(shownDuration!.slice(2))).toBeGreaterThanOrEqual(3);
    await page.waitForTimeout(1500);
    expect(await timer.textContent()).toBe(shownDuration);
    expect(browser.pageErrors).toEqual([]);
  }, 60_000);

  it('shows "In meeting" the moment the caller is admitted, before the joining prompt ends', async () => {
    const guest = await browser.newPage();
    printLogsOnFailure({ guest });
    await guest.goto(server.url);
    await dial(guest, { from: '+15550302', microphone: true });
    await waitForState(guest, 'collecting-conference-id');
    await typeKeys(guest, '123456#');
    await waitForState(guest, 'leader-question');
    await typeKeys(guest, '#');
    await waitForState(guest, 'lobby');

    // What the display shows at the instant the admitted event is logged.
    const atAdmission = guest.evaluate(
      () =>
        new Promise<{ label: string; prompt: string; serverInMeeting: boolean }>((resolve) => {
          const log = document.getElementById('log')!;
          const observer = new MutationObserver(() => {
            if (!log.querySelector('li[data-event="admitted"]')) return;
            observer.disconnect();
            resolve({
              label: document.getElementById('call-state')!.textContent ?? '',
              prompt: document.getElementById('prompt-text')!.textContent ?? '',
              serverInMeeting: log.querySelector('li[data-event="state-entered"][data-state="in-meeting"]') !== null,
            });
          });
          observer.observe(log, { childList: true });
        }),
    );
    const organizer = callLine(server.url, '+15550303');
    await organizer.waitForState('collecting-conference-id');
    organizer.press('123456#');
    await organizer.waitForState('leader-question');
    organizer.press('*');
    await organizer.waitForState('collecting-pin');
    organizer.press(`${server.demoPin}#`);
    expect(await atAdmission).toEqual({ label: 'In meeting', prompt: 'You are in the meeting.', serverInMeeting: false });

    // The joining prompt plays, and once it has, the caption says where the caller is.
    await guest.waitForSelector('#log li[data-event="prompt-stopped"][data-prompt="joining-meeting"]', { state: 'attached', timeout: 10_000 });
    expect(await shownState(guest)).toMatchObject({ label: 'In meeting', prompt: 'You are in the meeting.' });
    await guest.keyboard.press('Escape');
    await guest.waitForSelector('body[data-phase="idle"]');
    await organizer.hangup();
    expect(browser.pageErrors).toEqual([]);
  }, 60_000);

  it('keeps the developer log collapsed, names its status parts, and reads no event aloud', async () => {
    const page = await browser.newPage();
    await page.goto(server.url);
    expect(await page.getByRole('img', { name: 'Service reachable' }).count()).toBe(1);
    expect(await page.getByRole('timer', { name: 'Call duration' }).textContent()).toBe('0:00');
    expect(await page.getByRole('status', { name: 'Digits heard by the service' }).count()).toBe(1);
    expect(await page.locator('#developer-log').getAttribute('open')).toBeNull();
    expect(await page.locator('#log').isVisible()).toBe(false);
    // Collapsed, the log is out of the accessibility tree as well as out of sight.
    expect(await page.getByRole('list', { name: 'Call events' }).count()).toBe(0);
    const log = page.getByRole('list', { name: 'Call events', includeHidden: true });
    expect(await log.getAttribute('aria-live')).toBeNull();
    expect(await page.locator('[role="log"], [aria-live="polite"] #log, [aria-live="assertive"]').count()).toBe(0);

    await dial(page, { from: '+15550304', microphone: true });
    await waitForState(page, 'collecting-conference-id');
    await page.click('#developer-log summary');
    expect(await log.isVisible()).toBe(true);
    expect(await page.locator('#log li[data-event="prompt-started"]').first().textContent()).toContain('prompt ▶');
    await page.click('#call-button');
    await page.waitForSelector('body[data-phase="idle"]');
  }, 30_000);

  it('offers the speaker volume and the fake devices Chromium lists, and changes the speaker during a call', async () => {
    const page = await browser.newPage();
    printLogsOnFailure({ caller: page });
    await page.goto(server.url);
    const volume = page.getByRole('slider', { name: 'Speaker volume' });
    await volume.fill('40');
    expect(await page.textContent('output[for="volume"]')).toBe('40 %');
    const microphone = page.getByRole('combobox', { name: 'Microphone' });
    const speaker = page.getByRole('combobox', { name: 'Speaker' });
    await expect.poll(() => microphone.isVisible()).toBe(true);
    expect(await microphone.locator('option').allTextContents()).toEqual(expect.arrayContaining(['System default', 'Fake Audio Input 1']));
    expect(await speaker.isVisible()).toBe(true);
    expect(await speaker.locator('option').allTextContents()).toEqual(expect.arrayContaining(['System default', 'Fake Audio Output 1']));

    await microphone.selectOption({ label: 'Fake Audio Input 1' });
    await dial(page, { from: '+15550305', microphone: true });
    expect(await page.getAttribute('#log li[data-event="audio-ready"]', 'data-microphone')).toBe('on');
    await waitForState(page, 'collecting-conference-id');
    await speaker.selectOption({ label: 'Fake Audio Output 1' });
    await volume.fill('0');
    await clickKeys(page, '1');
    await waitForDigits(page, 1);
    expect(await page.locator('#log li[data-event="output-error"]').count()).toBe(0);
    await page.click('#call-button');
    await page.waitForSelector('body[data-phase="idle"]');
    await page.reload();
    expect(await page.textContent('output[for="volume"]')).toBe('0 %');
    expect(browser.pageErrors).toEqual([]);
  }, 30_000);

  for (const scheme of ['light', 'dark'] as const) {
    it(`gives text under 14 px and the call button at least 7:1 contrast (${scheme})`, async () => {
      const page = await browser.newPage();
      // Reduced motion: colours are judged as they settle, not mid-fade of a key just pressed.
      await page.emulateMedia({ colorScheme: scheme, reducedMotion: 'reduce' });
      await page.goto(server.url);
      await page.click('#developer-log summary');
      await dial(page, { from: '+15550306', microphone: true });
      await waitForState(page, 'collecting-conference-id');
      await typeKeys(page, '12');
      await waitForDigits(page, 2);
      await waitForKeysSent(page);
      const inCall = await textContrasts(page, 14, ['#call-button']);
      expect(inCall.map((entry) => entry.element)).toEqual(expect.arrayContaining([expect.stringContaining('Hang up'), expect.stringContaining('heard 1')]));
      expect(inCall.filter((entry) => entry.ratio < 7)).toEqual([]);
      await page.click('#call-button');
      await page.waitForSelector('body[data-phase="idle"]');
      const idle = await textContrasts(page, 14, ['#call-button']);
      expect(idle.map((entry) => entry.element)).toEqual(expect.arrayContaining([expect.stringContaining('"Call"')]));
      expect(idle.filter((entry) => entry.ratio < 7)).toEqual([]);
    }, 30_000);
  }
});

/**
 * Test helper: drives the softphone page the way a person would (clicks on
 * the pad, typing on the keyboard) and reads back what the page shows.
 */
import type { Page } from 'playwright-core';

export interface DialOptions {
  /** Caller id typed into the settings. */
  from: string;
  /** Whether the page asks for the (fake) microphone. */
  microphone: boolean;
}

export async function dial(page: Page, options: DialOptions): Promise<void> {
  await page.fill('input[name="from"]', options.from);
  await page.setChecked('input[name="microphone"]', options.microphone);
  await page.click('#call-button');
  await page.waitForSelector('body[data-phase="in-call"]', { timeout: 15_000 });
}

/** Waits until the display shows call state `state`. */
export async function waitForState(page: Page, state: string, timeoutMs = 20_000): Promise<void> {
  await page.waitForSelector(`#call-state[data-state="${state}"]`, { timeout: timeoutMs });
}

/** Presses keys by clicking the on-screen pad. */
export async function clickKeys(page: Page, keys: string): Promise<void> {
  for (const key of keys) await page.click(`#keypad [data-key="${key}"]`);
}

/** Presses keys on the keyboard, as fast as a person can type. */
export async function typeKeys(page: Page, keys: string): Promise<void> {
  for (const key of keys) await page.keyboard.press(key);
}

/** Waits until no key tone is queued or sounding. */
export async function waitForKeysSent(page: Page): Promise<void> {
  await page.waitForFunction(() => document.querySelectorAll('#keypad .sounding').length === 0 && /queued keys 0/.test(document.getElementById('line-status')?.textContent ?? ''), undefined, { timeout: 15_000 });
}

/** The data-event of every log line, in order. */
export async function loggedEvents(page: Page): Promise<string[]> {
  return page.$$eval('#log li', (items) => items.map((item) => (item as HTMLElement).dataset.event ?? ''));
}

/** Digits of the log's digit-heard lines, in order (PIN digits show as •). */
export async function heardDigits(page: Page): Promise<string> {
  return page.$$eval('#log li[data-event="digit-heard"]', (items) => items.map((item) => (item as HTMLElement).dataset.digit ?? '?').join(''));
}

export async function shownState(page: Page): Promise<{ state: string; label: string; prompt: string; promptName: string }> {
  return page.evaluate(() => {
    const text = (id: string) => document.getElementById(id)?.textContent ?? '';
    return {
      state: document.getElementById('call-state')?.dataset.state ?? '',
      label: text('call-state'),
      prompt: text('prompt-text'),
      promptName: text('prompt-name'),
    };
  });
}

/** The call log as text, for failure reports. */
export async function logText(page: Page): Promise<string> {
  if (page.isClosed()) return '(page closed)';
  return page.$$eval('#log li', (items) => items.map((item) => item.textContent ?? '').join('\n')).catch((error: Error) => `(log unreadable: ${error.message})`);
}

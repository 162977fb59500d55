/**
 * End to end in headless Chromium: the microphone is a WAV file of key
 * presses written by `dialin-sim synth` (Chromium's fake capture device
 * plays it once), the softphone sends it at 16 kHz through its worklet, and
 * the real server must hear exactly the keys in the file, at their times.
 */
import { execFile } from 'node:child_process';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startServer, type RunningServer } from '../../src/server/server.ts';
import { launchBrowser, type TestBrowser } from './browser.ts';
import { printLogsOnFailure } from './failure-report.ts';
import { dial, shownState, waitForState } from './softphone-driver.ts';

/**
 * Conference ID, `#` at the leader question (to the lobby), then every other
 * key, which the lobby ignores, and finally `*` (leader PIN entry). The call
 * stays up throughout, so every key in the file must be heard.
 */
const KEYS = '123456##0123456789#ABCD*';
const TONE_MS = 100;
const GAP_MS = 100;
const LEAD_MS = 1000;

const execFileAsync = promisify(execFile);
const CLI = fileURLToPath(new URL('../../bin/dialin-sim.js', import.meta.url));

let server: RunningServer;
let browser: TestBrowser;
let dir: string;

beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'dialin-sim-web-'));
  const wav = join(dir, 'keys.wav');
  // A telephone-rate file made by the CLI: Chromium brings it up to its
  // capture rate, the page's worklet down to the call's.
  await execFileAsync(process.execPath, [
    CLI, 'synth', KEYS, '-o', wav,
    '--rate', '8000', '--on', String(TONE_MS), '--off', String(GAP_MS), '--lead', String(LEAD_MS), '--level=-12', '--snr', '30',
  ]);
  server = await startServer({ port: 0, host: '127.0.0.1', db: ':memory:', log: () => undefined });
  browser = await launchBrowser({ microphoneWav: { file: wav, loop: false } });
});

afterAll(async () => {
  await browser?.close();
  await server?.close();
  if (dir) await rm(dir, { recursive: true, force: true });
});

describe('softphone with a WAV file as microphone', () => {
  it('delivers exactly the keys in the file, with their timing, to the server', async () => {
    const page = await browser.newPage();
    printLogsOnFailure({ 'WAV caller': page });
    await page.goto(server.url);
    await page.selectOption('select[name="sampleRate"]', '16000');
    await dial(page, { from: '+15550003', microphone: true });
    await page.waitForFunction((count) => document.querySelectorAll('#log li[data-event="digit-heard"]').length >= count, KEYS.length, {
      timeout: 20_000,
    });
    // Anything decoded after the file ends would be a false key: give it time to show up.
    await page.waitForTimeout(1500);

    const heard = await page.$$eval('#log li[data-event="digit-heard"]', (items) => items.map((item) => (item as HTMLElement).dataset.digit));
    expect(heard.join('')).toBe(KEYS);
    expect(await page.getAttribute('#log li[data-event="call-started"]', 'data-call-id')).toMatch(/^c\d+$/);

    // The server's digit times (ms of our audio stream) keep the file's rhythm.
    const times = await page.$$eval('#log li[data-event="digit-heard"]', (items) =>
      items.map((item) => ({ startMs: Number((item as HTMLElement).dataset.startMs), endMs: Number((item as HTMLElement).dataset.endMs) })),
    );
    for (let i = 1; i < times.length; i++) {
      expect(Math.abs(times[i]!.startMs - times[i - 1]!.startMs - (TONE_MS + GAP_MS))).toBeLessThan(25);
    }
    for (const { startMs, endMs } of times) expect(Math.abs(endMs - startMs - TONE_MS)).toBeLessThan(30);

    // The last key, '*', took the caller from the lobby to leader PIN entry.
    await waitForState(page, 'collecting-pin');
    expect((await shownState(page)).label).toBe('Leader PIN');
    expect(browser.pageErrors).toEqual([]);
    await page.click('#call-button');
    await page.waitForSelector('body[data-phase="idle"]');
  }, 60_000);
});

/**
 * Test helper: Debian's Chromium, headless, driven by playwright-core, with
 * fake media devices (the "microphone" is a WAV file or Chromium's own test
 * signal) and a fresh profile in a temp dir that is removed afterwards.
 */
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { chromium, type BrowserContext, type Page } from 'playwright-core';

export const CHROMIUM_PATH = '/usr/bin/chromium';

export interface BrowserOptions {
  /**
   * The microphone the pages get: Chromium's fake device, granted without a
   * prompt (the default); none at all (getUserMedia fails NotFoundError); or
   * a device whose permission prompt is refused (NotAllowedError).
   */
  microphone?: 'fake' | 'none' | 'refused';
  /** WAV file played as the microphone, once (`%noloop`) or looped. */
  microphoneWav?: { file: string; loop: boolean };
  viewport?: { width: number; height: number };
  colorScheme?: 'light' | 'dark';
}

export interface TestBrowser {
  readonly context: BrowserContext;
  /** Uncaught exceptions of any page; a test asserts this stays empty. */
  readonly pageErrors: string[];
  newPage(): Promise<Page>;
  close(): Promise<void>;
}

export async function launchBrowser(options: BrowserOptions = {}): Promise<TestBrowser> {
  const profile = await mkdtemp(join(tmpdir(), 'dialin-sim-chromium-'));
  const args = [
    '--no-sandbox',
    '--disable-gpu',
    '--disable-quic',
    '--no-first-run',
    '--disable-background-networking',
    '--disable-component-update',
    '--disable-sync',
    '--autoplay-policy=no-user-gesture-required',
    // Background tabs must keep their timers and audio running: each tab is a caller.
    '--disable-background-timer-throttling',
    '--disable-renderer-backgrounding',
    '--disable-backgrounding-occluded-windows',
  ];
  const microphone = options.microphone ?? 'fake';
  // Without the fake UI, headless Chromium refuses permission prompts.
  if (microphone !== 'refused') args.push('--use-fake-ui-for-media-stream');
  if (microphone !== 'none') args.push('--use-fake-device-for-media-stream');
  if (options.microphoneWav) {
    const { file, loop } = options.microphoneWav;
    args.push(`--use-file-for-fake-audio-capture=${file}${loop ? '' : '%noloop'}`);
  }
  let context: BrowserContext;
  try {
    context = await chromium.launchPersistentContext(profile, {
      executablePath: CHROMIUM_PATH,
      headless: true,
      args,
      viewport: options.viewport ?? { width: 1280, height: 800 },
      colorScheme: options.colorScheme ?? 'light',
    });
  } catch (error) {
    await rm(profile, { recursive: true, force: true });
    throw error;
  }
  const pageErrors: string[] = [];
  return {
    context,
    pageErrors,
    async newPage() {
      const page = await context.newPage();
      page.on('pageerror', (error) => pageErrors.push(error.message));
      return page;
    },
    async close() {
      await context.close();
      await rm(profile, { recursive: true, force: true });
    },
  };
}

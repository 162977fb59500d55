/**
 * Test helper: JsSIP in a Chromium page. JsSIP ships CommonJS only, so its
 * entry point is bundled for the browser with esbuild (already there for
 * tsx); a loopback HTTP server (a secure context, as getUserMedia needs)
 * serves a blank page, the bundle and the README's example, which the page
 * loads verbatim. The call's JsSIP events are kept on the page.
 */
import { readFile } from 'node:fs/promises';
import { createRequire } from 'node:module';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { build } from 'esbuild';
import type { Page } from 'playwright-core';

export const EXAMPLE_PATH = new URL('examples/jssip-call-example.js', import.meta.url);

let bundle: Promise<string> | undefined;

function jssipBundle(): Promise<string> {
  bundle ??= build({
    entryPoints: [createRequire(import.meta.url).resolve('jssip')],
    bundle: true,
    format: 'iife',
    globalName: 'JsSIP',
    platform: 'browser',
    write: false,
    logLevel: 'silent',
  }).then((result) => result.outputFiles[0]!.text);
  return bundle;
}

export async function startJssipPageServer(): Promise<{ url: string; close(): Promise<void> }> {
  const files: Record<string, { type: string; body: string }> = {
    '/': { type: 'text/html', body: '<!doctype html><title>JsSIP caller</title><script src="/jssip.js"></script><script src="/example.js"></script>' },
    '/jssip.js': { type: 'text/javascript', body: await jssipBundle() },
    '/example.js': { type: 'text/javascript', body: await readFile(EXAMPLE_PATH, 'utf8') },
  };
  const server: Server = createServer((request, response) => {
    const file = files[request.url ?? ''];
    response.writeHead(file ? 200 : 404, { 'content-type': `${file?.type ?? 'text/plain'}; charset=utf-8` });
    response.end(file?.body ?? 'not found');
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return { url: `http://127.0.0.1:${port}/`, close: () => new Promise<void>((resolve) => server.close(() => resolve())) };
}

interface CallWindow {
  callIvr(server: string, number: string): Promise<JssipSession>;
  session: JssipSession;
  jssipEvents: string[];
}

interface JssipSession {
  on(event: string, listener: (data: { originator?: string; cause?: string }) => void): void;
  sendDTMF(tones: string, options: { transportType: 'INFO' | 'RFC2833'; duration?: number; interToneGap?: number }): void;
  hold(): boolean;
  unhold(): boolean;
  terminate(): void;
}

/** Calls through the example's callIvr; JsSIP's session events are recorded as `confirmed`, `ended:remote`, `failed:…`. */
export async function placeCall(page: Page, sipUrl: string, number: string): Promise<void> {
  await page.evaluate(
    async ({ url, dialled }) => {
      const w = window as unknown as CallWindow;
      w.jssipEvents = [];
      const session = await w.callIvr(url, dialled);
      w.session = session;
      session.on('confirmed', () => w.jssipEvents.push('confirmed'));
      session.on('hold', () => w.jssipEvents.push('hold'));
      session.on('unhold', () => w.jssipEvents.push('unhold'));
      session.on('ended', (event) => w.jssipEvents.push(`ended:${event.originator}`));
      session.on('failed', (event) => w.jssipEvents.push(`failed:${event.originator}:${event.cause}`));
    },
    { url: sipUrl, dialled: number },
  );
}

export async function waitForJssipEvent(page: Page, event: string, timeout = 15_000): Promise<void> {
  await page.waitForFunction((wanted) => (window as unknown as CallWindow).jssipEvents.includes(wanted), event, { timeout });
}

export function jssipEvents(page: Page): Promise<string[]> {
  return page.evaluate(() => [...(window as unknown as CallWindow).jssipEvents]);
}

/** Keys `tones` the way JsSIP does: SIP INFO, or RFC 4733 events through the browser's RTCDTMFSender. */
export async function sendDtmf(page: Page, tones: string, transportType: 'INFO' | 'RFC2833'): Promise<void> {
  await page.evaluate(({ keys, type }) => (window as unknown as CallWindow).session.sendDTMF(keys, { transportType: type }), { keys: tones, type: transportType });
}

/** session.hold() or unhold(): a re-INVITE with sendonly, then sendrecv. */
export async function setHold(page: Page, hold: boolean): Promise<void> {
  await page.evaluate((on) => {
    const call = (window as unknown as CallWindow).session;
    if (on) call.hold();
    else call.unhold();
  }, hold);
}

/** The caller hangs up: JsSIP sends BYE. */
export async function hangUp(page: Page): Promise<void> {
  await page.evaluate(() => (window as unknown as CallWindow).session.terminate());
}

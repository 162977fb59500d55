/**
 * JsSIP in headless Chromium, over SIP over WebSocket with WebRTC media (the
 * README's example page), keying out-of-band: session.sendDTMF as SIP INFO
 * (JsSIP's default) and as RFC 2833/4733 events through the browser's
 * RTCDTMFSender and werift's SRTP. Each key counts once; hold and resume by
 * re-INVITE; the IVR's BYE after goodbye reaches JsSIP. The microphone is
 * silence, so no key can come in-band.
 */
import { execFile } from 'node:child_process';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import type { Page } from 'playwright-core';
import { launchBrowser, type TestBrowser } from '../../web/browser.ts';
import { startTestServer, wrongPin, type TestServer } from '../test-server.ts';
import { hangUp, jssipEvents, placeCall, sendDtmf, setHold, startJssipPageServer, waitForJssipEvent } from './jssip-page.ts';
import { until } from './sipp.ts';

const execFileAsync = promisify(execFile);

let server: TestServer;
let browser: TestBrowser;
let pages: Awaited<ReturnType<typeof startJssipPageServer>>;
let dir: string;
let page: Page;

beforeAll(async () => {
  pages = await startJssipPageServer();
  dir = await mkdtemp(join(tmpdir(), 'dialin-sim-jssip-'));
  const silence = join(dir, 'silence.wav');
  await execFileAsync('sox', ['-n', '-r', '8000', '-c', '1', '-b', '16', silence, 'trim', '0', '120']);
  browser = await launchBrowser({ microphoneWav: { file: silence, loop: true } });
}, 30_000);

afterAll(async () => {
  await browser?.close();
  await pages?.close();
  if (dir) await rm(dir, { recursive: true, force: true });
});

// A server each: a meeting started by one test must not be running in the next.
beforeEach(async () => {
  server = await startTestServer({ sipPort: 0, allowedOrigins: [new URL(pages.url).origin] });
  page = await browser.newPage();
  await page.goto(pages.url);
});

afterEach(async () => {
  await page?.close();
  await server?.close();
});

async function callOnServer(): Promise<string> {
  await placeCall(page, `ws://127.0.0.1:${server.port}/sip`, '123456');
  await waitForJssipEvent(page, 'confirmed');
  let id: string | undefined;
  await until(() => (id = / (c\d+) call-started protocol=sip-ws/.exec(server.lines.join('\n'))?.[1]) !== undefined, 5000, 'the call');
  return id!;
}

async function entered(callId: string, state: string): Promise<void> {
  await until(() => server.lines.some((line) => line.endsWith(` ${callId} state-entered ${state}`)), 15_000, `${callId} in ${state}`);
}

/** The keys the server heard on the call, as the log shows them (digits masked), with their source. */
function heard(callId: string): { keys: string; sources: Set<string> } {
  const lines = server.lines.filter((line) => line.includes(` ${callId} digit-heard `));
  const parsed = lines.map((line) => / digit-heard (\S) (\S+) /.exec(line)!);
  return { keys: parsed.map((match) => match[1]).join(''), sources: new Set(parsed.map((match) => match[2]!)) };
}

describe('JsSIP keys over WebSocket with WebRTC media', () => {
  it('hears each SIP INFO key and each RFC 2833 key once, and holds and resumes by re-INVITE', async () => {
    const callId = await callOnServer();
    await entered(callId, 'collecting-conference-id');
    await sendDtmf(page, '123456#', 'INFO');
    await entered(callId, 'leader-question');
    await until(() => heard(callId).keys.length >= 7, 5000, 'seven keys');
    expect(heard(callId).keys).toBe('xxxxxx#');

    await setHold(page, true);
    await waitForJssipEvent(page, 'hold');
    await until(() => server.lines.some((line) => line.endsWith(`${callId} sip media on hold PCMU`)), 5000, 'hold');
    await setHold(page, false);
    await waitForJssipEvent(page, 'unhold');
    await until(() => server.lines.some((line) => line.endsWith(`${callId} sip media resumed PCMU`)), 5000, 'resume');

    await sendDtmf(page, `*${server.pin}#`, 'RFC2833');
    await until(() => server.lines.some((line) => line.includes(`${callId} meeting-started `)), 20_000, 'the meeting');
    // Anything counted twice would show up after the last key: give it time.
    await page.waitForTimeout(500);
    expect(heard(callId)).toEqual({ keys: `xxxxxx#*${'x'.repeat(server.pin.length)}#`, sources: new Set(['out-of-band']) });
  }, 60_000);

  it('sends its BYE after goodbye, which JsSIP reports as ended by the other side', async () => {
    const callId = await callOnServer();
    await entered(callId, 'collecting-conference-id');
    await sendDtmf(page, '123456#', 'INFO');
    await entered(callId, 'leader-question');
    await sendDtmf(page, '*', 'INFO');
    await entered(callId, 'collecting-pin');
    for (let attempt = 0; attempt < 3; attempt++) {
      await sendDtmf(page, `${wrongPin(server.pin)}#`, 'INFO');
      await until(() => heard(callId).keys.split('#').length - 1 >= attempt + 2, 15_000, `wrong PIN ${attempt + 1}`);
    }
    await waitForJssipEvent(page, 'ended:remote', 30_000);
    expect(server.lines.some((line) => line.endsWith(`${callId} sip call ended local-bye`))).toBe(true);
    expect(await jssipEvents(page)).toEqual(['confirmed', 'ended:remote']);
  }, 60_000);

  it('ends the call on the server when JsSIP hangs up', async () => {
    const callId = await callOnServer();
    await hangUp(page);
    await waitForJssipEvent(page, 'ended:local');
    await until(() => server.lines.some((line) => line.endsWith(`${callId} hung-up caller`)), 5000, 'hung-up');
    expect(server.lines.some((line) => line.endsWith(`${callId} sip call ended remote-bye`))).toBe(true);
    await until(() => server.stats().sip?.calls === 0, 5000, 'the call slot freed');
  }, 30_000);

  it('sends every WebSocket caller a BYE when the server shuts down', async () => {
    const callId = await callOnServer();
    await entered(callId, 'collecting-conference-id');
    await server.close();
    await waitForJssipEvent(page, 'ended:remote');
    expect(server.lines.some((line) => line.endsWith(`${callId} sip call ended local-bye`))).toBe(true);
  }, 30_000);
});

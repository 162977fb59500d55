/**
 * JsSIP in headless Chromium calls the IVR over SIP over WebSocket with
 * WebRTC media, the README's example page as is. The microphone is a WAV
 * file of `dialin-sim synth '123456#*PIN#'`: the server must decode the
 * keys in-band from the browser's SRTP and start the meeting.
 */
import { execFile } from 'node:child_process';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { launchBrowser, type TestBrowser } from '../../web/browser.ts';
import { startTestServer, type TestServer } from '../test-server.ts';
import { hangUp, placeCall, startJssipPageServer, waitForJssipEvent } from './jssip-page.ts';
import { until } from './sipp.ts';

const execFileAsync = promisify(execFile);
const CLI = fileURLToPath(new URL('../../../bin/dialin-sim.js', import.meta.url));
/** The microphone starts with the call: time for the answer, ICE, DTLS and the welcome prompt before the first key. */
const LEAD_MS = 5000;

let server: TestServer;
let browser: TestBrowser;
let pages: Awaited<ReturnType<typeof startJssipPageServer>>;
let dir: string;

beforeAll(async () => {
  pages = await startJssipPageServer();
  // Real-time prompts: the browser's microphone runs in real time too. The page is served from elsewhere, so its origin must be allowed.
  server = await startTestServer({ sipPort: 0, playbackSpeed: 1, allowedOrigins: [new URL(pages.url).origin] });
  dir = await mkdtemp(join(tmpdir(), 'dialin-sim-jssip-'));
  const wav = join(dir, 'keys.wav');
  await execFileAsync(process.execPath, [CLI, 'synth', `123456#*${server.pin}#`, '-o', wav, '--on', '120', '--off', '150', '--lead', String(LEAD_MS)]);
  browser = await launchBrowser({ microphoneWav: { file: wav, loop: false } });
}, 30_000);

afterAll(async () => {
  await browser?.close();
  await pages?.close();
  await server?.close();
  if (dir) await rm(dir, { recursive: true, force: true });
});

describe('JsSIP over WebSocket with WebRTC media', () => {
  it('keys the conference ID and PIN in-band from the microphone, and the meeting starts', async () => {
    const page = await browser.newPage();
    await page.goto(pages.url);
    await placeCall(page, `ws://127.0.0.1:${server.port}/sip`, '123456');
    await waitForJssipEvent(page, 'confirmed');
    await until(() => server.lines.some((line) => / sip sip#\d+ Call-ID \S+ answered PCM[UA] telephone-event webrtc$/.test(line)), 5000, 'a WebRTC answer');
    await until(() => server.lines.some((line) => line.includes(' meeting-started ')), 20_000, 'the meeting');

    const callId = /^.* (c\d+) call-started protocol=sip-ws/m.exec(server.lines.join('\n'))?.[1];
    expect(callId).toBeDefined();
    const keys = server.lines.filter((line) => line.includes(` ${callId} digit-heard `));
    // Every key of the file, heard once each and in-band (digits masked in the log, * and # as keyed).
    expect(keys.map((line) => / digit-heard (\S) /.exec(line)![1]).join('')).toBe(`xxxxxx#*${'x'.repeat(server.pin.length)}#`);
    expect(keys.every((line) => line.includes(' in-band '))).toBe(true);

    await hangUp(page);
    await waitForJssipEvent(page, 'ended:local');
    await until(() => server.lines.some((line) => line.endsWith(`${callId} sip call ended remote-bye`)), 5000, 'the caller BYE');
    expect(browser.pageErrors).toEqual([]);
  }, 60_000);
});

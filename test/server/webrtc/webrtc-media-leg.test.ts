/**
 * The WebRTC media leg against a browser nobody here wrote: Debian's
 * Chromium with a plain RTCPeerConnection, its microphone a WAV file of key
 * presses made by `dialin-sim synth`. The offer and answer cross as strings,
 * the media crosses real ICE, DTLS-SRTP and rtcp-mux on loopback.
 */
import { execFile } from 'node:child_process';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { DtmfKey } from '../../../src/dsp/dtmf-keys.ts';
import { createDigitDecoder } from '../../../src/engines/create-digit-decoder.ts';
import type { TelephoneKeyPress } from '../../../src/rtp/telephone-event-tracker.ts';
import { FRAME_SAMPLES } from '../../../src/server/webrtc/audio-receiver.ts';
import { WebRtcOfferError, type CloseReason } from '../../../src/server/webrtc/webrtc-errors.ts';
import { openWebRtcMedia, type WebRtcMediaEvents, type WebRtcMediaLeg } from '../../../src/server/webrtc/webrtc-media-leg.ts';
import { launchBrowser, type TestBrowser } from '../../web/browser.ts';
import { browserAnswer, browserOffer, startBlankPageServer, waitForBrowserConnected } from './browser-peer.ts';

const KEYS = '123456#';
const execFileAsync = promisify(execFile);
const CLI = fileURLToPath(new URL('../../../bin/dialin-sim.js', import.meta.url));

let browser: TestBrowser;
let pages: Awaited<ReturnType<typeof startBlankPageServer>>;
let dir: string;

beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'dialin-sim-webrtc-'));
  const wav = join(dir, 'keys.wav');
  // Two seconds of lead silence: the keys start after ICE and DTLS are up.
  await execFileAsync(process.execPath, [CLI, 'synth', KEYS, '-o', wav, '--rate', '8000', '--on', '100', '--off', '100', '--lead', '2000', '--level=-12', '--snr', '30']);
  browser = await launchBrowser({ microphoneWav: { file: wav, loop: false } });
  pages = await startBlankPageServer();
});

afterAll(async () => {
  await browser?.close();
  await pages?.close();
  if (dir) await rm(dir, { recursive: true, force: true });
});

interface Recorded extends WebRtcMediaEvents {
  frames: number;
  frameSizes: Set<number>;
  keys: TelephoneKeyPress[];
  inBand: DtmfKey[];
  closes: CloseReason[];
}

function recorder(): Recorded {
  const decoder = createDigitDecoder('native', 8000);
  const recorded: Recorded = {
    frames: 0,
    frameSizes: new Set(),
    keys: [],
    inBand: [],
    closes: [],
    audio(frame) {
      recorded.frames++;
      recorded.frameSizes.add(frame.length);
      recorded.inBand.push(...decoder.push(frame).map((event) => event.digit));
    },
    key(press) {
      recorded.keys.push(press);
    },
    closed(reason) {
      recorded.inBand.push(...decoder.flush().map((event) => event.digit));
      recorded.closes.push(reason);
    },
  };
  return recorded;
}

async function openPage(): Promise<Page> {
  const page = await browser.newPage();
  await page.goto(pages.url);
  return page;
}

async function connectedCall(page: Page, recorded: Recorded): Promise<WebRtcMediaLeg> {
  const leg = await openWebRtcMedia(await browserOffer(page), recorded);
  await browserAnswer(page, leg.answer);
  await waitForBrowserConnected(page);
  await until(() => leg.connected, 'the leg connects');
  return leg;
}

async function until(check: () => boolean, what: string, timeoutMs = 10_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!check()) {
    if (Date.now() > deadline) throw new Error(`timed out waiting until ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
}

describe('WebRTC media leg with Chromium', () => {
  it('decodes exactly the in-band keys of the microphone file from the caller audio', async () => {
    const page = await openPage();
    const recorded = recorder();
    const leg = await connectedCall(page, recorded);
    expect(leg.codec).toEqual({ name: 'PCMU', payloadType: 0 });
    // Lead, seven 200 ms keys, and time for the last packets.
    await until(() => recorded.inBand.length >= KEYS.length, 'all keys are heard', 15_000);
    await new Promise((resolve) => setTimeout(resolve, 500));
    await leg.close();
    expect(recorded.inBand.join('')).toBe(KEYS);
    expect([...recorded.frameSizes]).toEqual([FRAME_SAMPLES]);
    expect(recorded.keys).toEqual([]);
    expect(recorded.closes).toEqual(['closed']);
    await page.close();
  });

  it('reports each RTCDTMFSender key once', async () => {
    const page = await openPage();
    const recorded = recorder();
    const leg = await connectedCall(page, recorded);
    const sent = '159#*0';
    await page.evaluate(async (tones) => {
      const sender = (window as unknown as { pc: RTCPeerConnection }).pc.getSenders()[0]!;
      await new Promise<void>((resolve) => {
        sender.dtmf!.addEventListener('tonechange', (event) => (event as RTCDTMFToneChangeEvent).tone === '' && resolve());
        sender.dtmf!.insertDTMF(tones, 100, 70);
      });
    }, sent);
    await new Promise((resolve) => setTimeout(resolve, 500));
    await leg.close();
    expect(recorded.keys.map((press) => press.key).join('')).toBe(sent);
    expect(recorded.keys.every((press) => press.endSeen)).toBe(true);
    await page.close();
  });
});

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
import { UsageError } from '../../../src/errors.ts';
import { createDigitDecoder } from '../../../src/engines/create-digit-decoder.ts';
import type { TelephoneKeyPress } from '../../../src/rtp/telephone-event-tracker.ts';
import { parseSdp } from '../../../src/sdp/sdp-parser.ts';
import { attributeValues, hasAttribute } from '../../../src/sdp/session-description.ts';
import { FRAME_SAMPLES } from '../../../src/server/webrtc/audio-receiver.ts';
import { WebRtcOfferError, type CloseReason } from '../../../src/server/webrtc/webrtc-errors.ts';
import { openWebRtcMedia, type WebRtcMediaEvents, type WebRtcMediaLeg } from '../../../src/server/webrtc/webrtc-media-leg.ts';
import { launchBrowser, type TestBrowser } from '../../web/browser.ts';
import { BROWSER_OFFER } from '../../sdp/helpers/offers.ts';
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
    // Chromium offers telephone-event/8000 as 126 next to opus, G722, PCMA and a 48 kHz telephone-event.
    const answer = parseSdp(leg.answer);
    const audio = answer.media[0]!;
    expect([audio.proto, audio.formats]).toEqual(['UDP/TLS/RTP/SAVPF', ['0', '126']]);
    expect(attributeValues(audio.attributes, 'rtpmap')).toEqual(['0 PCMU/8000', '126 telephone-event/8000']);
    const candidates = attributeValues(audio.attributes, 'candidate');
    expect(candidates.length).toBeGreaterThan(0);
    expect(candidates.every((candidate) => candidate.split(' ')[4] === '127.0.0.1')).toBe(true);
    for (const name of ['rtcp-mux', 'ice-lite', 'ice-ufrag', 'ice-pwd', 'fingerprint', 'setup']) expect(hasAttribute([...answer.attributes, ...audio.attributes], name)).toBe(true);
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

  it('sends audio the browser receives and decodes as the tone sent', async () => {
    const page = await openPage();
    const recorded = recorder();
    const leg = await connectedCall(page, recorded);
    await page.evaluate(() => {
      const pc = (window as unknown as { pc: RTCPeerConnection }).pc;
      const remote = new MediaStream([pc.getReceivers()[0]!.track]);
      // Chromium pulls remote WebRTC audio only for a playing element; WebAudio then taps it.
      const element = new Audio();
      element.muted = true;
      element.srcObject = remote;
      void element.play();
      const context = new AudioContext();
      const analyser = context.createAnalyser();
      analyser.fftSize = 2048;
      context.createMediaStreamSource(remote).connect(analyser);
      (window as unknown as { analyser: AnalyserNode }).analyser = analyser;
    });
    const silent = await receivedSound(page);
    expect(silent.rms).toBeLessThan(0.005);

    const tone = toneFrames(1000, 10_000, 100);
    let sent = 0;
    const timer = setInterval(() => leg.sendAudio(tone[sent++ % tone.length]!), 20);
    try {
      await new Promise((resolve) => setTimeout(resolve, 800));
      const heard = await receivedSound(page);
      expect(heard.rms).toBeGreaterThan(0.1);
      expect(Math.abs(heard.peakHz - 1000)).toBeLessThan(30);
      const inbound = await page.evaluate(async () => {
        const stats = await (window as unknown as { pc: RTCPeerConnection }).pc.getStats();
        let packets = 0;
        let codecId = '';
        stats.forEach((report) => {
          if (report.type === 'inbound-rtp' && report.kind === 'audio') {
            packets = report.packetsReceived;
            codecId = report.codecId;
          }
        });
        return { packets, mimeType: stats.get(codecId)?.mimeType as string | undefined };
      });
      expect(inbound.packets).toBeGreaterThan(20);
      expect(inbound.mimeType).toBe('audio/PCMU');
    } finally {
      clearInterval(timer);
      await leg.close();
    }
    await page.close();
  });

  it('stops sending while the browser holds the call and resumes after', async () => {
    const page = await openPage();
    const recorded = recorder();
    const leg = await connectedCall(page, recorded);
    const frame = new Int16Array(FRAME_SAMPLES);
    expect(leg.sendAudio(frame)).toBe(true);

    const holdAnswer = await leg.reoffer(await browserReoffer(page, 'sendonly'));
    expect(holdAnswer).toMatch(/\r\na=recvonly\r\n/);
    await browserAnswer(page, holdAnswer);
    expect(leg.onHold).toBe(true);
    expect(leg.direction).toBe('recvonly');
    expect(leg.sendAudio(frame)).toBe(false);

    const resumeAnswer = await leg.reoffer(await browserReoffer(page, 'sendrecv'));
    expect(resumeAnswer).toMatch(/\r\na=sendrecv\r\n/);
    await browserAnswer(page, resumeAnswer);
    expect(leg.onHold).toBe(false);
    expect(leg.direction).toBe('sendrecv');
    expect(leg.sendAudio(frame)).toBe(true);
    await leg.close();
    expect(recorded.closes).toEqual(['closed']);
    await page.close();
  });

  it('refuses an Opus-only offer with a typed error', async () => {
    const page = await openPage();
    const recorded = recorder();
    const offer = await browserOffer(page, { codecs: ['audio/opus'] });
    expect(offer).toMatch(/opus\/48000/);
    const refused = await openWebRtcMedia(offer, recorded).then(
      () => undefined,
      (error: unknown) => error,
    );
    expect(refused).toBeInstanceOf(WebRtcOfferError);
    expect(refused).toMatchObject({ code: 'E_WEBRTC_OFFER', problem: 'no-common-codec' });
    expect(recorded.closes).toEqual([]);
    await page.close();
  });

  it('closes with dtls-failed when the browser certificate does not match the offered fingerprint', async () => {
    const page = await openPage();
    const recorded = recorder();
    const offer = await browserOffer(page);
    // Flip the first hex digit of the fingerprint (RFC 8122 section 5): ICE still succeeds, DTLS must not.
    const forged = offer.replace(/(a=fingerprint:sha-256 )([0-9A-F])/, (_, head: string, digit: string) => head + (digit === '0' ? '1' : '0'));
    expect(forged).not.toBe(offer);
    const leg = await openWebRtcMedia(forged, recorded, { connectTimeoutMs: 8000 });
    await browserAnswer(page, leg.answer);
    await until(() => recorded.closes.length > 0, 'the leg gives up');
    expect(recorded.closes).toEqual(['dtls-failed']);
    expect(leg.connected).toBe(false);
    await leg.close();
    await page.close();
  });

  it('closes once with connect-timeout when the browser never connects', async () => {
    const page = await openPage();
    const recorded = recorder();
    // The answer never reaches the browser, so it never starts ICE.
    const leg = await openWebRtcMedia(await browserOffer(page), recorded, { connectTimeoutMs: 300 });
    await until(() => recorded.closes.length > 0, 'the leg gives up');
    expect(recorded.closes).toEqual(['connect-timeout']);
    expect(leg.connected).toBe(false);
    expect(leg.sendAudio(new Int16Array(FRAME_SAMPLES))).toBe(false);
    await leg.close();
    expect(recorded.closes).toEqual(['connect-timeout']);
    await page.close();
  });
});

/** A re-offer from the page with the audio transceiver's direction changed, as a softphone's hold button does. */
async function browserReoffer(page: Page, direction: RTCRtpTransceiverDirection): Promise<string> {
  return page.evaluate(async (wanted) => {
    const pc = (window as unknown as { pc: RTCPeerConnection }).pc;
    pc.getTransceivers()[0]!.direction = wanted;
    await pc.setLocalDescription(await pc.createOffer());
    return pc.localDescription!.sdp;
  }, direction);
}

/** RMS (full scale 1) and loudest frequency of what the page's analyser hears now. */
async function receivedSound(page: Page): Promise<{ rms: number; peakHz: number }> {
  return page.evaluate(() => {
    const analyser = (window as unknown as { analyser: AnalyserNode }).analyser;
    const wave = new Float32Array(analyser.fftSize);
    analyser.getFloatTimeDomainData(wave);
    const rms = Math.sqrt(wave.reduce((sum, value) => sum + value * value, 0) / wave.length);
    const spectrum = new Float32Array(analyser.frequencyBinCount);
    analyser.getFloatFrequencyData(spectrum);
    let peak = 0;
    for (let i = 1; i < spectrum.length; i++) if (spectrum[i]! > spectrum[peak]!) peak = i;
    return { rms, peakHz: (peak * analyser.context.sampleRate) / analyser.fftSize };
  });
}

/** `count` 20 ms frames of a sine at `hz` with peak `amplitude`, continuous across frames. */
function toneFrames(hz: number, amplitude: number, count: number): Int16Array[] {
  return Array.from({ length: count }, (_, frame) =>
    Int16Array.from({ length: FRAME_SAMPLES }, (_, i) => Math.round(amplitude * Math.sin((2 * Math.PI * hz * (frame * FRAME_SAMPLES + i)) / 8000))),
  );
}

describe('openWebRtcMedia options', () => {
  it.each(['0.0.0.0', '::1', 'localhost'])('refuses host address %s before opening anything', async (hostAddress) => {
    const recorded = recorder();
    const refused = await openWebRtcMedia(BROWSER_OFFER, recorded, { hostAddress }).then(
      () => undefined,
      (error: unknown) => error,
    );
    expect(refused).toBeInstanceOf(UsageError);
    expect(refused).toMatchObject({ code: 'E_USAGE' });
    expect(recorded.closes).toEqual([]);
  });
});

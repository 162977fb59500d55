/**
 * Test helper: a plain RTCPeerConnection in a Chromium page (no STUN, the
 * page's getUserMedia microphone), driven from Node. The SDP crosses through
 * page.evaluate, as a SIP INVITE body and 200 OK body would.
 */
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { Page } from 'playwright-core';

/**
 * An empty page on http://127.0.0.1: getUserMedia needs a secure context,
 * which loopback HTTP is and about:blank is not.
 */
export async function startBlankPageServer(): Promise<{ url: string; close(): Promise<void> }> {
  const server: Server = createServer((_request, response) => {
    response.writeHead(200, { 'content-type': 'text/html; charset=utf-8' });
    response.end('<!doctype html><title>peer</title>');
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return { url: `http://127.0.0.1:${port}/`, close: () => new Promise<void>((resolve) => server.close(() => resolve())) };
}

export interface OfferOptions {
  /** Keep only these codecs (RTCRtpTransceiver.setCodecPreferences), by mime type. */
  codecs?: string[];
}

/** Creates the page's peer connection with the microphone and returns its complete (non-trickle) offer. */
export async function browserOffer(page: Page, options: OfferOptions = {}): Promise<string> {
  return page.evaluate(async ({ codecs }) => {
    const stream = await navigator.mediaDevices.getUserMedia({ audio: true });
    const pc = new RTCPeerConnection({ iceServers: [] });
    const transceiver = pc.addTransceiver(stream.getAudioTracks()[0]!, { direction: 'sendrecv', streams: [stream] });
    if (codecs) {
      const all = RTCRtpReceiver.getCapabilities('audio')!.codecs;
      transceiver.setCodecPreferences(all.filter((codec) => codecs.includes(codec.mimeType.toLowerCase())));
    }
    (window as unknown as { pc: RTCPeerConnection }).pc = pc;
    await pc.setLocalDescription(await pc.createOffer());
    if (pc.iceGatheringState !== 'complete') {
      await new Promise<void>((resolve) => pc.addEventListener('icegatheringstatechange', () => pc.iceGatheringState === 'complete' && resolve()));
    }
    return pc.localDescription!.sdp;
  }, { codecs: options.codecs?.map((codec) => codec.toLowerCase()) });
}

export async function browserAnswer(page: Page, sdp: string): Promise<void> {
  await page.evaluate(async (answer) => {
    const pc = (window as unknown as { pc: RTCPeerConnection }).pc;
    await pc.setRemoteDescription({ type: 'answer', sdp: answer });
  }, sdp);
}

export async function waitForBrowserConnected(page: Page): Promise<void> {
  await page.waitForFunction(() => (window as unknown as { pc: RTCPeerConnection }).pc.connectionState === 'connected', undefined, { timeout: 10_000 });
}

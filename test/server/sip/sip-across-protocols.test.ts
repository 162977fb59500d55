/**
 * SIP calls and WebSocket calls share one bridge: `serve` with a SIP port
 * runs both transports on one Ivr. A SIP caller waits in the lobby, hearing
 * the hold music over RTP, until an organizer on /twilio keys the PIN; and
 * a Twilio caller in the lobby is admitted when an organizer on SIP keys it.
 */
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { decodeMulaw } from '../../../src/dsp/g711.ts';
import { loadPromptLibrary } from '../../../src/media/load-prompt-library.ts';
import { TwilioCaller } from '../test-callers.ts';
import { startTestServer, type TestServer } from '../test-server.ts';
import { RawSipPhone } from './raw-sip-phone.ts';
import { until } from './sipp.ts';

let server: TestServer;

// A server each: the first test's meeting must not be running in the second.
beforeEach(async () => {
  server = await startTestServer({ sipPort: 0 });
});

afterEach(async () => {
  await server?.close();
});

/** The server's call id for the SIP call that started last (from its call-started log line). */
async function lastSipCallId(): Promise<string> {
  let id: string | undefined;
  await until(() => (id = [...server.lines].reverse().map((line) => / (c\d+) call-started protocol=sip-udp/.exec(line)?.[1]).find(Boolean)) !== undefined, 10_000, 'a SIP call');
  return id!;
}

async function sipCallEnters(callId: string, state: string): Promise<void> {
  await until(() => server.lines.some((line) => line.endsWith(` ${callId} state-entered ${state}`)), 15_000, `${callId} in ${state}`);
}

/** Keys as SIP INFO (application/dtmf-relay), the way JsSIP and SIP.js send them. */
function infoKeys(phone: RawSipPhone, keys: string): void {
  for (const key of keys) phone.request('INFO', { type: 'application/dtmf-relay', body: `Signal=${key}\r\nDuration=100\r\n` });
}

/**
 * The best normalised correlation of `heard` with any stretch of the looped
 * `reference`: near 1 when the caller hears that recording (G.711 costs a
 * little), near 0 for other audio.
 */
function bestCorrelation(heard: Int16Array, reference: Int16Array): number {
  const energy = (samples: ArrayLike<number>, from: number, n: number) => {
    let sum = 0;
    for (let i = 0; i < n; i++) sum += samples[(from + i) % samples.length]! ** 2;
    return sum;
  };
  const heardEnergy = energy(heard, 0, heard.length);
  let best = 0;
  for (let offset = 0; offset < reference.length; offset++) {
    let dot = 0;
    for (let i = 0; i < heard.length; i++) dot += heard[i]! * reference[(offset + i) % reference.length]!;
    if (dot <= 0) continue;
    best = Math.max(best, dot / Math.sqrt(heardEnergy * energy(reference, offset, heard.length)));
  }
  return best;
}

describe('SIP and WebSocket calls on one bridge', () => {
  it('admits a SIP caller from the lobby, where RTP carries the hold music, when an organizer on /twilio keys the PIN', async () => {
    const phone = await RawSipPhone.open(server.sipPort!);
    try {
      await phone.call();
      const guest = await lastSipCallId();
      await sipCallEnters(guest, 'collecting-conference-id');
      infoKeys(phone, '123456#');
      await sipCallEnters(guest, 'leader-question');
      infoKeys(phone, '#');
      await sipCallEnters(guest, 'lobby');

      // What the SIP caller hears from a moment into the lobby is the hold music.
      await until(() => server.lines.some((line) => line.endsWith(` ${guest} prompt-started hold-music`)), 10_000, 'hold music');
      const from = phone.rtp.length + 25;
      await until(() => phone.rtp.length >= from + 10, 10_000, 'RTP in the lobby');
      const heard = decodeMulaw(Uint8Array.from(phone.rtp.slice(from, from + 10).flatMap((packet) => [...packet.payload])));
      const hold = (await loadPromptLibrary()).atRate(8000).get('hold-music');
      expect(phone.rtp.slice(from, from + 10).every((packet) => packet.payloadType === 0)).toBe(true);
      expect(bestCorrelation(heard.subarray(0, 400), hold)).toBeGreaterThan(0.9);

      const organizer = new TwilioCaller(server.url, { speed: 2 });
      await organizer.start('+15550902');
      await organizer.waitForState('collecting-conference-id');
      await organizer.press('123456#');
      await organizer.waitForState('leader-question');
      await organizer.press('*');
      await organizer.waitForState('collecting-pin');
      await organizer.press(`${server.pin}#`);
      await organizer.waitForState('in-meeting', 15_000);
      await sipCallEnters(guest, 'in-meeting');
      expect(server.lines.some((line) => line.includes(` ${guest} admitted 123456`))).toBe(true);
      organizer.close();
    } finally {
      phone.close();
    }
  }, 60_000);

  it('admits a Twilio caller from the lobby when an organizer on SIP keys the PIN', async () => {
    const guest = new TwilioCaller(server.url, { speed: 2 });
    await guest.start('+15550903');
    await guest.waitForState('collecting-conference-id');
    await guest.press('123456#');
    await guest.waitForState('leader-question');
    await guest.press('#');
    await guest.waitForState('lobby');

    const phone = await RawSipPhone.open(server.sipPort!);
    try {
      await phone.call();
      const organizer = await lastSipCallId();
      await sipCallEnters(organizer, 'collecting-conference-id');
      infoKeys(phone, '123456#');
      await sipCallEnters(organizer, 'leader-question');
      infoKeys(phone, '*');
      await sipCallEnters(organizer, 'collecting-pin');
      infoKeys(phone, `${server.pin}#`);
      await sipCallEnters(organizer, 'in-meeting');
      await guest.waitFor('admitted', 10_000);
      await guest.waitForState('in-meeting');
      // The log names the organizer's PIN keys only as x.
      expect(server.lines.join('\n')).not.toContain(server.pin);
    } finally {
      guest.close();
      phone.close();
    }
  }, 60_000);
});

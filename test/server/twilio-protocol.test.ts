import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { TwilioCaller } from './test-callers.ts';
import { startTestServer, type TestServer } from './test-server.ts';

let server: TestServer;
beforeAll(async () => {
  server = await startTestServer();
});
afterAll(() => server.close());

describe('/twilio Media Streams', () => {
  it('takes an organizer from µ-law in-band DTMF to the meeting, marking each finished prompt', async () => {
    const caller = new TwilioCaller(server.url, { speed: 2 });
    await caller.start('+15550199');
    const mark = await caller.waitFor((e) => e.event === 'mark');
    expect(mark).toEqual({ event: 'mark', streamSid: caller.streamSid, mark: { name: 'welcome#1' } });
    expect(caller.peak).toBeGreaterThan(1000);
    await caller.press('123456#');
    await caller.waitForState('leader-question');
    await caller.press('*');
    await caller.waitForState('collecting-pin');
    await caller.press(`${server.pin}#`);
    await caller.waitForState('in-meeting');
    const digits = caller.events.filter((e) => e.event === 'digit-heard');
    expect(digits.map((e) => e.digit).join('')).toBe(`123456#*${server.pin}#`);
    expect(digits.every((e) => e.source === 'in-band')).toBe(true);
    caller.stop();
    expect(await caller.closed).toEqual({ code: 1000, reason: 'caller' });
    expect(caller.events.at(-1)).toMatchObject({ event: 'hung-up', reason: 'caller' });
  });

  it('sends clear when the caller barges in on a prompt', async () => {
    const caller = new TwilioCaller(server.url, { speed: 1 });
    await caller.start();
    await caller.waitFor((e) => e.event === 'prompt-started' && e.prompt === 'welcome');
    await caller.press('9');
    const clear = await caller.waitFor((e) => e.event === 'clear');
    expect(clear).toEqual({ event: 'clear', streamSid: caller.streamSid });
    expect(caller.events.find((e) => e.event === 'prompt-stopped')).toMatchObject({ prompt: 'welcome', reason: 'barge-in' });
    expect(caller.twilio.filter((m) => m.event === 'mark')).toHaveLength(0);
    caller.close();
  });

  it('counts a key once when it arrives both as a dtmf event and as in-band audio', async () => {
    const caller = new TwilioCaller(server.url, { speed: 2 });
    await caller.start();
    const keys = '123456#';
    for (const [index, key] of [...keys].entries()) {
      // Twilio may report the press before or after its audio has streamed.
      if (index % 2 === 0) caller.dtmf(key);
      await caller.press(key);
      if (index % 2 === 1) caller.dtmf(key);
    }
    await caller.waitForState('leader-question');
    const digits = caller.events.filter((e) => e.event === 'digit-heard');
    expect(digits.map((e) => e.digit).join('')).toBe(keys);
    expect(new Set(digits.map((e) => e.source))).toEqual(new Set(['in-band', 'out-of-band']));
    caller.close();
  });

  it('follows dtmf events alone when the platform strips the tones', async () => {
    const caller = new TwilioCaller(server.url, { speed: 2 });
    await caller.start();
    for (const key of '123456#') {
      caller.dtmf(key);
      await new Promise((resolve) => setTimeout(resolve, 30));
    }
    await caller.waitForState('leader-question');
    caller.dtmf('#');
    await caller.waitForState('lobby');
    expect(caller.events.filter((e) => e.event === 'digit-heard').every((e) => e.source === 'out-of-band')).toBe(true);
    caller.close();
  });

  it('sends only Twilio messages unless events are asked for', async () => {
    const caller = new TwilioCaller(server.url, { events: false });
    await caller.start();
    await new Promise((resolve) => setTimeout(resolve, 900));
    expect(caller.audioSamples).toBeGreaterThan(0);
    expect(new Set(caller.events.map((e) => e.event))).toEqual(new Set(['mark']));
    caller.close();
  });
});

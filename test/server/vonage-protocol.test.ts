import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { VonageCaller } from './test-callers.ts';
import { startTestServer, type TestServer } from './test-server.ts';

let server: TestServer;
beforeAll(async () => {
  server = await startTestServer();
});
afterAll(() => server.close());

describe('/vonage WebSocket', () => {
  it('takes a 16 kHz guest to the lobby on in-band DTMF and answers in 640-byte frames', async () => {
    const caller = new VonageCaller(server.url, { speed: 2 });
    const sizes = new Set<number>();
    caller.socket.on('message', (data: Buffer, isBinary) => isBinary && sizes.add(data.length));
    await caller.start(16000);
    expect(await caller.waitFor('call-started')).toMatchObject({ sampleRate: 16000, protocol: 'vonage', from: '447700900001' });
    await caller.press('123456#');
    await caller.waitForState('leader-question');
    await caller.press('#');
    await caller.waitForState('lobby');
    expect(sizes).toEqual(new Set([640]));
    expect(caller.peak).toBeGreaterThan(1000);
    caller.close();
  });

  it('counts a key once when websocket:dtmf reports it alongside its audio', async () => {
    const caller = new VonageCaller(server.url, { speed: 2 });
    await caller.start(8000);
    for (const key of '123456#') {
      await caller.press(key, { onMs: 100, offMs: 60 });
      caller.dtmf(key, 100);
    }
    await caller.waitForState('leader-question');
    const digits = caller.events.filter((e) => e.event === 'digit-heard');
    expect(digits.map((e) => e.digit).join('')).toBe('123456#');
    caller.close();
  });

  it('asks Vonage to clear its playback when the caller barges in', async () => {
    const caller = new VonageCaller(server.url, { speed: 1 });
    await caller.start(8000);
    await caller.waitFor((e) => e.event === 'prompt-started' && e.prompt === 'welcome');
    await caller.press('4');
    await caller.waitFor((e) => e.event === 'prompt-stopped' && e.reason === 'barge-in');
    await new Promise((resolve) => setTimeout(resolve, 50));
    expect(caller.commands).toEqual([{ action: 'clear' }]);
    caller.close();
  });
});

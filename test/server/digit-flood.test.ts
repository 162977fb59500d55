import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { NativeCaller, TwilioCaller } from './test-callers.ts';
import { startTestServer, type TestServer } from './test-server.ts';

let server: TestServer;
beforeAll(async () => {
  server = await startTestServer();
});
afterAll(() => server.close());

describe('out-of-band digit floods', () => {
  it('ends a call that sends 30,000 dtmf events while another call keeps its audio', async () => {
    const bystander = new NativeCaller(server.url);
    await bystander.start(8000);
    await bystander.waitForState('greeting');

    const flooder = new TwilioCaller(server.url);
    await flooder.start();
    await flooder.waitFor('call-started');
    flooder.stopStreaming(); // no audio: the flood does not move the call's clock
    const heardBefore = bystander.audioSamples;
    for (let i = 0; i < 30_000; i++) flooder.dtmf('5');

    expect(await flooder.closed).toEqual({ code: 1008, reason: 'E_RATE_LIMIT' });
    expect(flooder.events).toContainEqual(expect.objectContaining({ event: 'error', code: 'E_RATE_LIMIT' }));
    const heard = flooder.events.filter((e) => e.event === 'digit-heard');
    expect(heard.length).toBeGreaterThan(0);
    expect(heard.length).toBeLessThanOrEqual(20);

    // The other call still hears its prompts and still has its keys heard.
    await expect.poll(() => bystander.audioSamples - heardBefore, { timeout: 5000 }).toBeGreaterThan(8000);
    await bystander.press('1');
    await bystander.waitFor((e) => e.event === 'digit-heard' && e.digit === '1');
    await bystander.waitForState('collecting-conference-id');
    bystander.close();
  }, 20_000);

  it('accepts a burst of keys as fast as a platform reports a typed-ahead entry', async () => {
    const caller = new TwilioCaller(server.url);
    await caller.start();
    await caller.waitFor('call-started');
    for (const key of '123456##') caller.dtmf(key);
    await caller.waitForState('lobby');
    // Eight keys is under the limit (20 per second): each is heard once, in order, and nothing is refused.
    const heard = caller.events.filter((e) => e.event === 'digit-heard').map((e) => e.digit);
    expect(heard.join('')).toBe('123456##');
    expect(caller.events.filter((e) => e.event === 'error')).toEqual([]);
    caller.close();
    expect((await caller.closed).reason).not.toBe('E_RATE_LIMIT');
  });
});

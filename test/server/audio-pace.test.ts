import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { synthesizeDtmf } from '../../src/dsp/dtmf-generator.ts';
import { encodeMulaw } from '../../src/dsp/g711.ts';
import { NativeCaller, TwilioCaller } from './test-callers.ts';
import { startTestServer, type TestServer } from './test-server.ts';

const pcm = (samples: Int16Array) => Buffer.from(samples.buffer, samples.byteOffset, samples.byteLength);
const twilioMedia = (caller: TwilioCaller, samples: Int16Array) =>
  JSON.stringify({ event: 'media', streamSid: caller.streamSid, media: { payload: Buffer.from(encodeMulaw(samples)).toString('base64') } });

describe('caller audio and the wall clock (default limits)', () => {
  let server: TestServer;
  beforeAll(async () => {
    server = await startTestServer({ maxAudioLeadMs: undefined }); // undefined: the server's default, not the test server's
  });
  afterAll(() => server.close());

  it('ends a call whose audio runs more than 1 s ahead of real time (1008)', async () => {
    const caller = new NativeCaller(server.url);
    await caller.start(8000);
    caller.stopStreaming();
    caller.socket.send(pcm(new Int16Array(8000 * 0.9))); // 0.9 s at once: within a jitter buffer
    caller.socket.send(pcm(synthesizeDtmf('123456#', { sampleRate: 8000, onMs: 100, offMs: 100 }))); // 1.4 s more
    expect(await caller.closed).toEqual({ code: 1008, reason: 'E_AUDIO_AHEAD' });
    const error = caller.events.find((e) => e.event === 'error');
    expect(error).toMatchObject({ code: 'E_AUDIO_AHEAD' });
    expect(error!.message).toMatch(/^audio \d+ ms ahead of real time \(limit 1000 ms\)/);
    expect(caller.events.filter((e) => e.event === 'digit-heard')).toEqual([]);
  });

  it('ends a call that floods tiny frames (more than 250 messages a second) while another call keeps its pace', async () => {
    const bystander = new NativeCaller(server.url);
    await bystander.start(8000);
    const flooder = new NativeCaller(server.url);
    await flooder.start(8000);
    flooder.stopStreaming();
    for (let i = 0; i < 100_000 && flooder.socket.readyState === flooder.socket.OPEN; i++) flooder.socket.send(Buffer.alloc(2));
    expect(await flooder.closed).toEqual({ code: 1008, reason: 'E_RATE_LIMIT' });
    expect(flooder.events.find((e) => e.event === 'error')?.message).toBe('more than 250 messages within 1000 ms');
    const heard = bystander.audioSamples;
    await new Promise((resolve) => setTimeout(resolve, 500));
    expect(bystander.audioSamples - heard).toBeGreaterThan(8000 * 0.3);
    bystander.close();
  });

  it('stamps events with ms since the start message, not since the socket opened', async () => {
    const caller = new NativeCaller(server.url);
    await caller.opened;
    await new Promise((resolve) => setTimeout(resolve, 400));
    caller.socket.send(JSON.stringify({ event: 'start', sampleRate: 8000 }));
    await caller.waitFor('call-started');
    caller.socket.send(JSON.stringify({ event: 'teleport' }));
    await caller.closed;
    expect(caller.events[0]!.event).toBe('call-started');
    expect(caller.events[0]!.callMs).toBeLessThan(50);
    const error = caller.events.find((e) => e.event === 'error')!;
    expect(error.code).toBe('E_UNKNOWN_EVENT');
    expect(error.callMs).toBeLessThan(300);
  });
});

describe('out-of-band digits and the wall clock', () => {
  let server: TestServer;
  beforeAll(async () => {
    // Audio far ahead is allowed here, so only the wall-clock digit limit stands in the way.
    server = await startTestServer({ maxAudioLeadMs: 60_000 });
  });
  afterAll(() => server.close());

  it('admits at most 20 digits a second of wall time, however much audio comes with them', async () => {
    const caller = new TwilioCaller(server.url);
    await caller.start();
    await caller.waitFor('call-started');
    caller.stopStreaming();
    const second = new Int16Array(8000);
    for (let round = 0; round < 10 && caller.socket.readyState === caller.socket.OPEN; round++) {
      for (let i = 0; i < 20; i++) caller.dtmf(String(i % 10));
      caller.socket.send(twilioMedia(caller, second));
    }
    expect(await caller.closed).toEqual({ code: 1008, reason: 'E_RATE_LIMIT' });
    expect(caller.events.filter((e) => e.event === 'digit-heard').length).toBeLessThanOrEqual(20);
    expect(caller.events.find((e) => e.event === 'error')?.message).toBe('more than 20 out-of-band digits within 1000 ms');
  });
});

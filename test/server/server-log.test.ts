import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { WebSocket } from 'ws';
import { synthesizeDtmf } from '../../src/dsp/dtmf-generator.ts';
import { NativeCaller, TwilioCaller, type Json } from './test-callers.ts';
import { startTestServer, type TestServer } from './test-server.ts';

/** A PIN with none of the conference ID's digits (123456), so any digit of it in the log is a leak. */
const PIN = '79087';

let server: TestServer;
beforeEach(async () => {
  server = await startTestServer();
  await server.directory.setPin('amos', PIN);
});
afterEach(() => server.close());

/** The digit field of every digit-heard line of the log. */
const loggedKeys = () =>
  server.lines.filter((line) => line.includes(' digit-heard ')).map((line) => line.split(' ')[3]).join('');

function expectNoPinInLog(): void {
  expect(server.lines.join('\n')).not.toContain(PIN);
  expect(loggedKeys()).not.toMatch(/[0789]/);
}

async function open(path: string): Promise<{ socket: WebSocket; events: Json[]; closed: Promise<number> }> {
  const socket = new WebSocket(`${server.url.replace('http', 'ws')}${path}`);
  const events: Json[] = [];
  socket.on('message', (data: Buffer, isBinary) => !isBinary && events.push(JSON.parse(data.toString())));
  const closed = new Promise<number>((resolve) => socket.once('close', resolve));
  await new Promise((resolve) => socket.once('open', resolve));
  return { socket, events, closed };
}

describe('the server log', () => {
  it('holds no PIN digit when the whole entry arrives in one audio frame', async () => {
    const { socket, events } = await open('/call');
    socket.send(JSON.stringify({ event: 'start', sampleRate: 8000 }));
    const pcm = synthesizeDtmf(`123456#*${PIN}#`, { sampleRate: 8000, onMs: 60, offMs: 60 });
    socket.send(Buffer.from(pcm.buffer, pcm.byteOffset, pcm.byteLength));
    socket.send(Buffer.alloc(1600));
    await expect.poll(() => events.some((e) => e.event === 'meeting-started'), { timeout: 5000 }).toBe(true);
    expect(events.filter((e) => e.event === 'digit-heard').map((e) => e.digit).join('')).toBe(`123456#*${PIN}#`);
    expect(loggedKeys()).toBe('xxxxxx#*xxxxx#');
    expectNoPinInLog();
    socket.close();
  });

  it('holds no PIN digit when a platform sends every key as one burst of dtmf events', async () => {
    const caller = new TwilioCaller(server.url);
    await caller.start();
    await caller.waitFor('call-started');
    for (const key of `123456#*${PIN}#`) caller.dtmf(key);
    await caller.waitFor('meeting-started', 5000);
    expect(caller.events.filter((e) => e.event === 'digit-heard')).toHaveLength(14);
    expect(loggedKeys()).toBe('xxxxxx#*xxxxx#');
    expectNoPinInLog();
    caller.close();
  });

  it('writes what callers send as escaped values, so no caller can forge a line', async () => {
    const forged = '2026-01-01T00:00:00.000Z c9 pin-checked accepted';
    const native = new NativeCaller(server.url);
    await native.start(8000, `x\n${forged}`);
    const twilio = await open('/twilio');
    twilio.socket.send(
      JSON.stringify({
        event: 'start',
        start: {
          streamSid: `MZ1\r\n${forged}`,
          callSid: `CA1\n${forged}`,
          customParameters: { from: `y\u2028${forged}` },
          mediaFormat: { encoding: 'audio/x-mulaw', sampleRate: 8000, channels: 1 },
        },
      }),
    );
    const vonage = await open('/vonage');
    vonage.socket.send(JSON.stringify({ event: 'websocket:connected', 'content-type': 'audio/l16;rate=16000', from: `z\n${forged}` }));
    const broken = await open('/call');
    broken.socket.send(JSON.stringify({ event: `${'e'.repeat(20_000)}\n${forged}` }));
    await broken.closed;
    await expect.poll(() => server.lines.filter((line) => line.includes(' call-started ')).length).toBe(3);
    await expect.poll(() => server.lines.some((line) => line.includes('twilio reference'))).toBe(true);

    for (const line of server.lines) {
      expect(line).toMatch(/^[ -~]*$/);
      expect(line.length).toBeLessThan(400);
      expect(line.startsWith(forged)).toBe(false);
    }
    const started = server.lines.filter((line) => line.includes(' call-started '));
    expect(started.map((line) => / from=(\S+)/.exec(line)?.[1])).toEqual(['"x\\n2026-01-01T00:00:00.000Z', '"y\\u20282026-01-01T00:00:00.000Z', '"z\\n2026-01-01T00:00:00.000Z']);
    expect(server.lines.find((line) => line.includes('twilio reference'))).toContain('reference "CA1\\n2026-01-01T00:00:00.000Z');
    native.close();
    twilio.socket.close();
    vonage.socket.close();
  });
});

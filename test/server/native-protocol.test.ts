import { spawn } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { WebSocket } from 'ws';
import { synthesizeDtmf } from '../../src/dsp/dtmf-generator.ts';
import { NativeCaller } from './test-callers.ts';
import { startTestServer, type TestServer } from './test-server.ts';

let server: TestServer;
beforeAll(async () => {
  server = await startTestServer();
});
afterAll(() => server.close());

/** Keys the conference ID, answers the leader question, and (for the organizer) the PIN. */
async function dialIn(caller: NativeCaller, pin?: string): Promise<void> {
  await caller.press('123456#');
  await caller.waitForState('leader-question');
  await caller.press(pin === undefined ? '#' : '*');
  if (pin === undefined) return;
  await caller.waitForState('collecting-pin');
  await caller.press(`${pin}#`);
}

describe('/call native protocol', () => {
  it('admits a lobby caller when the organizer keys the PIN as DTMF on another socket', async () => {
    const guest = new NativeCaller(server.url, { speed: 2 });
    const organizer = new NativeCaller(server.url, { speed: 2 });
    const guestStart = await guest.start(16000, '+15550001');
    expect(guestStart).toMatchObject({ event: 'call-started', sampleRate: 16000, protocol: 'native' });
    await dialIn(guest);
    await guest.waitForState('lobby');
    const lobby = await (await fetch(`${server.url}/api/conferences`)).json();
    expect(lobby).toEqual([
      { id: '123456', organizer: 'amos', started: false, lobby: [{ callId: guestStart.callId, from: '+15550001' }], participants: [] },
    ]);

    const organizerStart = await organizer.start(8000, '+15550002');
    await dialIn(organizer, server.pin);
    await organizer.waitFor('meeting-started');
    await organizer.waitForState('in-meeting');
    await guest.waitFor('admitted');
    await guest.waitForState('in-meeting');

    const heardPin = organizer.events.filter((e) => e.event === 'digit-heard').map((e) => e.digit).join('');
    expect(heardPin).toBe(`123456#*${server.pin}#`);
    const meeting = await (await fetch(`${server.url}/api/conferences`)).json();
    expect(meeting[0].started).toBe(true);
    expect(meeting[0].leader).toBe(organizerStart.callId);
    expect(meeting[0].participants).toEqual(
      expect.arrayContaining([
        { callId: guestStart.callId, from: '+15550001' },
        { callId: organizerStart.callId, from: '+15550002' },
      ]),
    );
    // The log has one line per event, and no digit's value is written there.
    const organizerLines = server.lines.filter((line) => line.includes(` ${organizerStart.callId} digit-heard`));
    expect(organizerLines).toHaveLength(heardPin.length);
    expect(server.lines.join('\n')).not.toContain(server.pin);
    expect(organizerLines.map((line) => line.split(' ')[3]).join('')).toBe(`xxxxxx#*${'x'.repeat(server.pin.length)}#`);
    guest.close();
    organizer.close();
  });

  it('stops a prompt as soon as the caller keys a digit', async () => {
    const caller = new NativeCaller(server.url, { speed: 1 });
    await caller.start(8000);
    const started = await caller.waitFor((e) => e.event === 'prompt-started' && e.prompt === 'welcome');
    await new Promise((resolve) => setTimeout(resolve, 150));
    expect(caller.peak).toBeGreaterThan(1000);
    await caller.press('1');
    const stopped = await caller.waitFor('prompt-stopped');
    expect(stopped).toMatchObject({ prompt: 'welcome', reason: 'barge-in' });
    // Played 4x fast, welcome lasts 690 ms; it was cut long before that.
    expect(stopped.callMs - started.callMs).toBeLessThan(600);
    const digit = caller.events.find((e) => e.event === 'digit-heard');
    expect(digit).toMatchObject({ digit: '1', source: 'in-band' });
    // After the barge-in the caller hears silence: the flow waits for more digits.
    caller.peak = 0;
    const samples = caller.audioSamples;
    await new Promise((resolve) => setTimeout(resolve, 200));
    expect(caller.audioSamples).toBeGreaterThan(samples);
    expect(caller.peak).toBe(0);
    caller.close();
  });

  it('sends what the caller hears in 20 ms PCM frames at the caller’s rate', async () => {
    const realTime = await startTestServer({ playbackSpeed: 1 });
    try {
      const socket = new WebSocket(`${realTime.url.replace('http', 'ws')}/call`);
      await new Promise((resolve) => socket.once('open', resolve));
      const frames: { at: number; bytes: number }[] = [];
      socket.on('message', (data: Buffer, isBinary) => {
        if (isBinary) frames.push({ at: performance.now(), bytes: data.length });
      });
      socket.send(JSON.stringify({ event: 'start', sampleRate: 48000 }));
      await new Promise((resolve) => setTimeout(resolve, 1000));
      const { skippedFrames } = realTime.stats().pacer;
      socket.close();
      expect(new Set(frames.map((f) => f.bytes))).toEqual(new Set([1920]));
      const span = frames.at(-1)!.at - frames[0]!.at;
      // Paced against the monotonic clock: the frame count matches the elapsed
      // time (less any frames skipped because this machine stalled the server).
      expect(Math.abs(frames.length + skippedFrames - 1 - span / 20)).toBeLessThanOrEqual(3);
      expect(frames.length).toBeGreaterThan(40);
    } finally {
      await realTime.close();
    }
  });

  it('hears digits whose audio arrives in frames split at odd byte boundaries', async () => {
    const socket = new WebSocket(`${server.url.replace('http', 'ws')}/call`);
    const events: any[] = [];
    socket.on('message', (data: Buffer, isBinary) => !isBinary && events.push(JSON.parse(data.toString())));
    await new Promise((resolve) => socket.once('open', resolve));
    socket.send(JSON.stringify({ event: 'start', sampleRate: 8000 }));
    const pcm = synthesizeDtmf('1479', { sampleRate: 8000, leadMs: 40, offMs: 60 });
    const bytes = Buffer.from(pcm.buffer, pcm.byteOffset, pcm.byteLength);
    let offset = 0;
    for (let size = 1; offset < bytes.length; size = (size * 7 + 3) % 331 | 1) {
      socket.send(bytes.subarray(offset, offset + size));
      offset += size;
    }
    socket.send(Buffer.alloc(801)); // trailing silence, with a dangling odd byte that is dropped at hangup
    await new Promise((resolve) => setTimeout(resolve, 300));
    socket.send(JSON.stringify({ event: 'hangup' }));
    const closed = await new Promise<number>((resolve) => socket.once('close', resolve));
    expect(closed).toBe(1000);
    expect(events.filter((e) => e.event === 'digit-heard').map((e) => e.digit).join('')).toBe('1479');
    expect(events.at(-1)).toMatchObject({ event: 'hung-up', reason: 'caller' });
  });

  it('runs the README client example to the lobby', async () => {
    const example = fileURLToPath(new URL('./examples/native-call-example.ts', import.meta.url));
    const child = spawn(process.execPath, ['--import', 'tsx', example, `${server.url.replace('http', 'ws')}/call`], {
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let output = '';
    child.stdout.on('data', (chunk) => (output += chunk));
    child.stderr.on('data', (chunk) => (output += chunk));
    const code = await new Promise((resolve) => child.on('exit', resolve));
    expect(code).toBe(0);
    expect(output).toContain('digit-heard #');
    expect(output).toContain('state-entered lobby');
    expect(output.trim().split('\n').at(-1)).toBe('hung-up caller');
  }, 20_000);
});

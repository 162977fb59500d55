import { spawn } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, describe, expect, it } from 'vitest';
import { WebSocket } from 'ws';
import { getRequest, openTcp, upgradeHeaders } from './raw-http.ts';
import { NativeCaller, TwilioCaller } from './test-callers.ts';
import { startTestServer } from './test-server.ts';

const BIN = fileURLToPath(new URL('../../bin/dialin-sim.js', import.meta.url));
const dir = mkdtempSync(join(tmpdir(), 'dialin-serve-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe('shutdown', () => {
  it('says goodbye to every call, closes the sockets and the database', async () => {
    const server = await startTestServer();
    const guest = new NativeCaller(server.url, { speed: 2 });
    await guest.start(16000);
    await guest.press('123456#');
    await guest.waitForState('leader-question');
    const twilio = new TwilioCaller(server.url);
    await twilio.start();
    await twilio.waitFor('call-started');
    const waiting = new WebSocket(`${server.url.replace('http', 'ws')}/call`);
    await new Promise((resolve) => waiting.once('open', resolve));
    const waitingClosed = new Promise((resolve) => waiting.once('close', resolve));

    await server.close();
    for (const caller of [guest, twilio]) {
      expect(await caller.closed).toEqual({ code: 1001, reason: 'server-shutdown' });
      const tail = caller.events.filter((e) => e.event !== 'mark').slice(-3);
      expect(tail).toMatchObject([
        { event: 'prompt-started', prompt: 'goodbye' },
        { event: 'prompt-stopped', prompt: 'goodbye', reason: 'finished' },
        { event: 'hung-up', reason: 'server-shutdown' },
      ]);
    }
    expect(await waitingClosed).toBe(1001);
    await expect(server.directory.listUsers()).rejects.toThrow();
    await expect(fetch(`${server.url}/healthz`)).rejects.toThrow();
    expect(server.lines.at(-1)).toMatch(/server stopped$/);
  });

  it('answers a new caller and a health check with 503 while calls hear goodbye', async () => {
    const server = await startTestServer();
    const caller = new NativeCaller(server.url);
    await caller.start(8000);
    await caller.waitFor('prompt-started');
    const closing = server.close();
    const status = await new Promise<number>((resolve, reject) => {
      const late = new WebSocket(`${server.url.replace('http', 'ws')}/call`);
      late.once('unexpected-response', (_request, response) => resolve(response.statusCode ?? 0));
      late.once('open', () => resolve(101));
      late.once('error', reject);
    });
    expect(status).toBe(503);
    expect((await fetch(`${server.url}/healthz`)).status).toBe(503);
    await closing;
    expect(await caller.closed).toEqual({ code: 1001, reason: 'server-shutdown' });
  });

  it('ends keep-alive, half-sent and unstarted sockets, and stops within the grace period', async () => {
    const server = await startTestServer();
    const host = new URL(server.url).host;
    const keepAlive = await openTcp(server.url);
    keepAlive.write(getRequest('/healthz', { Host: host }));
    const halfSent = await openTcp(server.url);
    halfSent.write(`GET /healthz HTTP/1.1\r\nHost: ${host}\r\n`);
    const unstarted = await openTcp(server.url);
    unstarted.write(getRequest('/call', upgradeHeaders(host)));
    const sockets = [keepAlive, halfSent, unstarted];
    const ended = sockets.map((socket) => new Promise((resolve) => (socket.on('error', () => {}), socket.once('close', resolve))));
    await new Promise((resolve) => setTimeout(resolve, 100));
    const startedAt = Date.now();
    await server.close();
    await Promise.all(ended);
    expect(Date.now() - startedAt).toBeLessThan(3000);
  });
});

/** Runs `dialin-sim serve` until `ready` resolves, then SIGTERM; resolves with exit code and output. */
function runServe(
  args: string[],
  whileRunning: (url: string) => Promise<void>,
  signal: NodeJS.Signals = 'SIGTERM',
): Promise<{ code: number | null; out: string }> {
  const child = spawn(process.execPath, [BIN, 'serve', '--port', '0', '--sip-port', '0', ...args], { stdio: ['ignore', 'pipe', 'pipe'] });
  let out = '';
  let started = false;
  return new Promise((resolve, reject) => {
    const onData = (chunk: Buffer) => {
      out += chunk;
      const match = /listening on (http:\/\/127\.0\.0\.1:\d+)/.exec(out);
      if (match && !started && out.includes('Softphone:')) {
        started = true;
        whileRunning(match[1]!).then(() => child.kill(signal), (error) => (child.kill('SIGKILL'), reject(error)));
      }
    };
    child.stdout.on('data', onData);
    child.stderr.on('data', (chunk) => (out += chunk));
    child.on('exit', (code) => resolve({ code, out }));
  });
}

describe('dialin-sim serve', () => {
  it('prints the demo PIN once, ends calls on SIGTERM and exits 0; a restart keeps the PIN', async () => {
    const db = join(dir, 'demo.db');
    let callEvents: string[] = [];
    const first = await runServe(['--db', db], async (url) => {
      expect((await (await fetch(`${url}/healthz`)).json())).toEqual({ ok: true });
      const caller = new NativeCaller(url);
      await caller.start(8000);
      await caller.waitFor('prompt-started');
      caller.closed.then(() => (callEvents = caller.events.map((e) => e.event)));
    });
    expect(first.code).toBe(0);
    const pin = /Organizer PIN: (\d+)/.exec(first.out)?.[1];
    expect(pin).toMatch(/^\d{5}$/);
    expect(first.out.split(pin!).length - 1).toBe(1);
    expect(first.out).toContain('SIGTERM: ending calls');
    expect(first.out).toMatch(/c1 hung-up server-shutdown/);
    expect(first.out).toMatch(/server stopped/);
    expect(callEvents.slice(-1)).toEqual(['hung-up']);

    const second = await runServe(['--db', db], async () => {});
    expect(second.code).toBe(0);
    expect(second.out).not.toContain('Organizer PIN');
    expect(second.out).toContain('not shown again');
    expect(second.out).toContain(`dialin-sim pin reset amos --db ${db}`);
    expect(second.out).not.toContain(pin!);
  }, 30_000);

  it('exits 0 on SIGTERM with malformed upgrades and idle sockets still connected', async () => {
    const clients: import('node:net').Socket[] = [];
    const startedAt = Date.now();
    let signalledAt = 0;
    const run = await runServe(['--db', join(dir, 'sockets.db')], async (url) => {
      const host = new URL(url).host;
      const broken = upgradeHeaders(host);
      delete broken['Sec-WebSocket-Key'];
      for (const request of [getRequest('/call', broken), getRequest('/healthz', { Host: host }), `GET / HTTP/1.1\r\nHost: ${host}\r\n`]) {
        const socket = await openTcp(url);
        socket.on('error', () => {});
        socket.write(request);
        clients.push(socket);
      }
      await new Promise((resolve) => setTimeout(resolve, 200));
      signalledAt = Date.now();
    });
    for (const socket of clients) socket.destroy();
    expect(run.code).toBe(0);
    expect(run.out).toMatch(/server stopped/);
    expect(Date.now() - signalledAt).toBeLessThan(5000);
    expect(signalledAt).toBeGreaterThan(startedAt);
  }, 30_000);

  it('ends calls with goodbye and exits 0 on SIGINT (Ctrl-C) too', async () => {
    let events: string[] = [];
    const run = await runServe(
      ['--db', join(dir, 'sigint.db')],
      async (url) => {
        const caller = new NativeCaller(url);
        await caller.start(8000);
        await caller.waitFor('prompt-started');
        caller.closed.then(() => (events = caller.events.filter((e) => e.event === 'prompt-started').map((e) => e.prompt)));
      },
      'SIGINT',
    );
    expect(run.code).toBe(0);
    expect(run.out).toContain('SIGINT: ending calls');
    expect(run.out).toMatch(/c1 hung-up server-shutdown/);
    expect(events.at(-1)).toBe('goodbye');
  }, 30_000);

  it('rejects a bad option with a usage error', async () => {
    const child = spawn(process.execPath, [BIN, 'serve', '--sip-port', 'off', '--max-calls', 'many'], { stdio: ['ignore', 'pipe', 'pipe'] });
    let err = '';
    child.stderr.on('data', (chunk) => (err += chunk));
    const code = await new Promise((resolve) => child.on('exit', resolve));
    expect(code).toBe(2);
    expect(err.trim()).toBe("dialin-sim serve: --max-calls expects a number, got 'many'");
  });
});

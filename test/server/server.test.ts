import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { request } from 'node:http';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { WebSocket } from 'ws';
import { startServer } from '../../src/server/server.ts';
import { NativeCaller, type Json } from './test-callers.ts';
import { startTestServer, type TestServer } from './test-server.ts';

interface RawSocket {
  socket: WebSocket;
  messages: Json[];
  closed: Promise<{ code: number; reason: string }>;
}

async function openRaw(url: string, headers: Record<string, string> = {}): Promise<RawSocket> {
  const socket = new WebSocket(url.replace(/^http/, 'ws'), { headers });
  const messages: Json[] = [];
  socket.on('message', (data: Buffer, isBinary) => !isBinary && messages.push(JSON.parse(data.toString())));
  socket.on('error', () => {});
  const closed = new Promise<{ code: number; reason: string }>((resolve) =>
    socket.on('close', (code, reason) => resolve({ code, reason: reason.toString() })),
  );
  await new Promise((resolve, reject) => {
    socket.once('open', resolve);
    socket.once('unexpected-response', (_req, res) => reject(new Error(`HTTP ${res.statusCode}`)));
    socket.once('error', reject);
  });
  return { socket, messages, closed };
}

/** Status of a refused upgrade. */
function upgradeStatus(url: string, headers: Record<string, string> = {}): Promise<number> {
  return new Promise((resolve, reject) => {
    const socket = new WebSocket(url.replace(/^http/, 'ws'), { headers });
    socket.once('unexpected-response', (_req, res) => {
      resolve(res.statusCode ?? 0);
      socket.terminate();
    });
    socket.once('open', () => {
      socket.close();
      resolve(101);
    });
    socket.once('error', reject);
  });
}

const start8k = JSON.stringify({ event: 'start', sampleRate: 8000 });

describe('server', () => {
  let server: TestServer;
  beforeAll(async () => {
    server = await startTestServer({ maxCalls: 6, maxFrameBytes: 8192, handshakeTimeoutMs: 300, idleTimeoutMs: 600 });
  });
  afterAll(() => server.close());

  it('answers /healthz and 404 for unknown paths, before any upgrade', async () => {
    expect(await (await fetch(`${server.url}/healthz`)).json()).toEqual({ ok: true });
    expect((await fetch(`${server.url}/nope`)).status).toBe(404);
    expect(await upgradeStatus(`${server.url}/nope`)).toBe(404);
    expect(await upgradeStatus(`${server.url}/call/extra`)).toBe(404);
  });

  it('serves the softphone page at /', async () => {
    const response = await fetch(`${server.url}/`);
    expect(response.status).toBe(200);
    expect(response.headers.get('content-type')).toContain('text/html');
  });

  const badInputs: [string, (raw: RawSocket) => void, string, number][] = [
    ['invalid JSON', (raw) => raw.socket.send('{"event": "start",'), 'E_INVALID_JSON', 1007],
    ['a binary frame before start', (raw) => raw.socket.send(Buffer.alloc(320)), 'E_NOT_STARTED', 1008],
    ['an unknown event', (raw) => raw.socket.send(JSON.stringify({ event: 'dial' })), 'E_UNKNOWN_EVENT', 1008],
    ['an unsupported sample rate', (raw) => raw.socket.send(JSON.stringify({ event: 'start', sampleRate: 22050 })), 'E_SAMPLE_RATE', 1003],
    ['a frame over the size limit', (raw) => (raw.socket.send(start8k), raw.socket.send(Buffer.alloc(9000))), 'E_FRAME_TOO_BIG', 1009],
  ];
  for (const [what, send, code, closeCode] of badInputs) {
    it(`ends only the offending call on ${what} (${closeCode})`, async () => {
      const bystander = new NativeCaller(server.url, { speed: 2 });
      await bystander.start(8000);
      const raw = await openRaw(`${server.url}/call`);
      send(raw);
      expect(await raw.closed).toEqual({ code: closeCode, reason: code });
      expect(raw.messages.find((m) => m.event === 'error')).toMatchObject({ event: 'error', code });
      expect(server.lines.filter((line) => line.includes(`${code} close ${closeCode}`))).toHaveLength(1);
      // The other call carries on: it still hears digits and moves through the flow.
      await bystander.press('123456#');
      await bystander.waitForState('leader-question');
      bystander.close();
      server.lines.length = 0;
    });
  }

  it('closes a socket that sends a frame beyond the hard limit with 1009', async () => {
    const raw = await openRaw(`${server.url}/call`);
    raw.socket.send(start8k);
    raw.socket.send(Buffer.alloc(8192 * 4 + 1));
    expect((await raw.closed).code).toBe(1009);
  });

  it('rejects Twilio frames with garbage base64 (1007) and Vonage frames of the wrong size (1007)', async () => {
    const twilio = await openRaw(`${server.url}/twilio`);
    twilio.socket.send(
      JSON.stringify({
        event: 'start',
        start: { streamSid: 'MZ1', callSid: 'CA1', mediaFormat: { encoding: 'audio/x-mulaw', sampleRate: 8000, channels: 1 } },
      }),
    );
    twilio.socket.send(JSON.stringify({ event: 'media', streamSid: 'MZ1', media: { payload: '%%%not-base64%%%' } }));
    expect(await twilio.closed).toEqual({ code: 1007, reason: 'E_BAD_BASE64' });
    const vonage = await openRaw(`${server.url}/vonage`);
    vonage.socket.send(JSON.stringify({ event: 'websocket:connected', 'content-type': 'audio/l16;rate=16000' }));
    vonage.socket.send(Buffer.alloc(641));
    expect(await vonage.closed).toEqual({ code: 1007, reason: 'E_FRAME_SIZE' });
    expect(vonage.messages.find((m) => m.event === 'error')).toMatchObject({ code: 'E_FRAME_SIZE' });
  });

  it('refuses a caller name over 64 characters on every protocol (1007), naming the field and the limit', async () => {
    const long = `+${'1'.repeat(64)}`;
    const mulaw = { encoding: 'audio/x-mulaw', sampleRate: 8000, channels: 1 };
    const starts: [string, unknown, string][] = [
      ['/call', { event: 'start', sampleRate: 8000, from: long }, 'start.from'],
      ['/twilio', { event: 'start', start: { streamSid: 'MZ1', customParameters: { from: long }, mediaFormat: mulaw } }, 'start.customParameters.from'],
      ['/vonage', { event: 'websocket:connected', 'content-type': 'audio/l16;rate=8000', from: long }, 'websocket:connected.from'],
    ];
    const linesBefore = server.lines.length;
    for (const [path, start, field] of starts) {
      const raw = await openRaw(`${server.url}${path}`);
      raw.socket.send(JSON.stringify(start));
      expect(await raw.closed).toEqual({ code: 1007, reason: 'E_BAD_FIELD' });
      expect(raw.messages.find((m) => m.event === 'error')).toMatchObject({
        code: 'E_BAD_FIELD',
        message: `${field}: longer than 64 characters (got 65)`,
      });
    }
    expect(server.lines.slice(linesBefore).filter((line) => line.includes('call-started'))).toEqual([]);
  });

  it('closes a socket that never sends start (handshake timeout)', async () => {
    const raw = await openRaw(`${server.url}/call`);
    expect(await raw.closed).toEqual({ code: 1008, reason: 'E_HANDSHAKE_TIMEOUT' });
  });

  it('ends a call whose socket goes quiet (idle timeout)', async () => {
    const raw = await openRaw(`${server.url}/call`);
    raw.socket.send(start8k);
    expect(await raw.closed).toEqual({ code: 1008, reason: 'E_IDLE_TIMEOUT' });
    expect(raw.messages.at(-1)).toMatchObject({ event: 'hung-up', reason: 'idle-timeout' });
  });

  it('turns callers away with 1013 when the call limit is reached', async () => {
    const callers = await Promise.all(Array.from({ length: 6 }, () => openRaw(`${server.url}/call`)));
    for (const caller of callers) caller.socket.send(start8k);
    const extra = await openRaw(`${server.url}/call`);
    expect(await extra.closed).toEqual({ code: 1013, reason: 'E_SERVER_FULL' });
    expect(extra.messages[0]).toMatchObject({ event: 'error', code: 'E_SERVER_FULL' });
    for (const caller of callers) caller.socket.close();
    await Promise.all(callers.map((caller) => caller.closed));
    await new Promise((resolve) => setTimeout(resolve, 50));
    const again = await openRaw(`${server.url}/call`);
    again.socket.send(start8k);
    await new Promise((resolve) => setTimeout(resolve, 100));
    expect(again.socket.readyState).toBe(WebSocket.OPEN);
    again.socket.close();
  });
});

describe('server with a token', () => {
  let server: TestServer;
  const token = 'sesame-0123456789';
  beforeAll(async () => {
    server = await startTestServer({ token });
  });
  afterAll(() => server.close());

  it('refuses upgrades without the right bearer token (401) and accepts header or query token', async () => {
    expect(await upgradeStatus(`${server.url}/call`)).toBe(401);
    expect(await upgradeStatus(`${server.url}/call`, { authorization: 'Bearer wrong' })).toBe(401);
    expect(await upgradeStatus(`${server.url}/twilio?token=sesame-012345678`)).toBe(401);
    expect(await upgradeStatus(`${server.url}/call`, { authorization: `Bearer ${token}` })).toBe(101);
    expect(await upgradeStatus(`${server.url}/vonage?token=${token}`)).toBe(101);
    expect(server.lines.filter((line) => line.includes('missing or wrong token'))).toHaveLength(3);
  });

  it('protects the conference list but not the health check', async () => {
    expect((await fetch(`${server.url}/api/conferences`)).status).toBe(401);
    expect((await fetch(`${server.url}/api/conferences`, { headers: { authorization: `Bearer ${token}` } })).status).toBe(200);
    expect((await fetch(`${server.url}/healthz`)).status).toBe(200);
  });
});

describe('server and browser origins', () => {
  let server: TestServer;
  beforeAll(async () => {
    server = await startTestServer({ allowedOrigins: ['https://softphone.example.com'] });
  });
  afterAll(() => server.close());

  it('refuses a call from another site (403) and accepts its own pages, listed origins and non-browser clients', async () => {
    const host = new URL(server.url).host;
    expect(await upgradeStatus(`${server.url}/call`, { origin: 'https://evil.example' })).toBe(403);
    expect(await upgradeStatus(`${server.url}/twilio`, { origin: `http://${host.replace(/:\d+$/, ':1')}` })).toBe(403);
    expect(await upgradeStatus(`${server.url}/call`, { origin: `http://${host}` })).toBe(101);
    expect(await upgradeStatus(`${server.url}/vonage`, { origin: 'https://softphone.example.com' })).toBe(101);
    expect(await upgradeStatus(`${server.url}/call`)).toBe(101);
    const refused = server.lines.filter((line) => line.includes('not allowed'));
    expect(refused).toHaveLength(2);
    expect(refused[0]).toMatch(/rejected \/call upgrade from \S+: origin https:\/\/evil.example not allowed$/);
  });

  it('refuses an allowed origin written with a path', async () => {
    await expect(startTestServer({ allowedOrigins: ['https://softphone.example.com/phone'] })).rejects.toThrow(/allowedOrigins: .* is not an origin/);
  });
});

describe('server with a stalled reader', () => {
  /** Opens a 48 kHz call that stops reading, and waits until the server gives up on it. */
  async function stallUntilDropped(server: TestServer): Promise<RawSocket & { resume(): void }> {
    const raw = await openRaw(`${server.url}/call`);
    raw.socket.send(JSON.stringify({ event: 'start', sampleRate: 48000 }));
    // Stop reading: the kernel buffers fill, then the server's send queue grows.
    const tcp = (raw.socket as unknown as { _socket: { pause(): void; resume(): void } })._socket;
    tcp.pause();
    const deadline = Date.now() + 15_000;
    while (!server.lines.some((line) => line.includes('E_SLOW_READER')) && Date.now() < deadline) {
      await new Promise((resolve) => setTimeout(resolve, 50));
    }
    return Object.assign(raw, { resume: () => tcp.resume() });
  }

  it('ends a caller that stops reading with an error event and 1008 instead of buffering without bound', async () => {
    const server = await startTestServer({ playbackSpeed: 200, maxBufferedBytes: 64 * 1024 });
    try {
      const raw = await stallUntilDropped(server);
      expect(server.lines.find((line) => line.includes('E_SLOW_READER'))).toMatch(
        /c\d+ E_SLOW_READER close 1008: \d+ bytes unsent \(limit 65536\): the client is not reading$/,
      );
      expect(server.lines.some((line) => / hung-up slow-reader$/.test(line))).toBe(true);
      expect(server.stats().connections).toBe(0);
      raw.resume(); // a reader that catches up gets the error and the close frame queued behind its backlog
      expect(await raw.closed).toEqual({ code: 1008, reason: 'E_SLOW_READER' });
      expect(raw.messages).toContainEqual(expect.objectContaining({ event: 'error', code: 'E_SLOW_READER' }));
      expect(raw.messages.at(-1)).toMatchObject({ event: 'hung-up', reason: 'slow-reader' });
    } finally {
      await server.close();
    }
  });

  it('cuts the socket of a reader that never catches up', async () => {
    const server = await startTestServer({ playbackSpeed: 200, maxBufferedBytes: 64 * 1024 });
    try {
      const raw = await stallUntilDropped(server);
      // Past the 2 s the server gives it: what arrives then ends without a close frame.
      await new Promise((resolve) => setTimeout(resolve, 2500));
      raw.resume();
      expect((await raw.closed).code).toBe(1006);
    } finally {
      await server.close();
    }
  });
});

describe('HTTP methods', () => {
  it('refuses writes to the read-only API', async () => {
    const server = await startTestServer();
    try {
      const status = await new Promise<number>((resolve) => {
        const req = request(`${server.url}/api/conferences`, { method: 'POST' }, (res) => resolve(res.statusCode ?? 0));
        req.end();
      });
      expect(status).toBe(405);
    } finally {
      await server.close();
    }
  });
});

describe('startServer', () => {
  it('fails with E_LISTEN when the port is taken, and with E_SERVER_OPTIONS on bad options', async () => {
    const server = await startTestServer();
    try {
      await expect(startTestServer({ port: server.port })).rejects.toMatchObject({ code: 'E_LISTEN', name: 'ListenError' });
      await expect(startTestServer({ token: 'short' })).rejects.toMatchObject({ code: 'E_SERVER_OPTIONS' });
      await expect(startTestServer({ maxCalls: 0 })).rejects.toMatchObject({ code: 'E_SERVER_OPTIONS' });
      expect((await fetch(`${server.url}/healthz`)).status).toBe(200);
    } finally {
      await server.close();
    }
  });
});

describe('server with a deployment file', () => {
  it('serves the deployment’s conferences instead of the demo', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'dialin-config-'));
    const config = join(dir, 'deployment.yaml');
    writeFileSync(
      config,
      'users:\n  - { id: bea, name: Bea Holm, email: bea@example.com, pin: "48207" }\nconferences:\n  - { id: "777", organizer: bea }\n',
    );
    const server = await startServer({ port: 0, db: ':memory:', config, log: () => {} });
    try {
      expect(server.demo).toBe(false);
      expect(server.demoPin).toBeUndefined();
      expect(await (await fetch(`${server.url}/api/conferences`)).json()).toEqual([
        { id: '777', organizer: 'bea', started: false, lobby: [], participants: [] },
      ]);
    } finally {
      await server.close();
      rmSync(dir, { recursive: true, force: true });
    }
  });
});

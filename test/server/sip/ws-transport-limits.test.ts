/**
 * The WebSocket transport's own bounds, on a bare WebSocketServer: a
 * connection over the limit is closed with 1013, a source over its message
 * rate is closed with 1008, and a peer that answers no ping is cut while one
 * that does stays.
 */
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterEach, describe, expect, it } from 'vitest';
import WebSocket, { WebSocketServer } from 'ws';
import { DEFAULT_PARSE_LIMITS } from '../../../src/sip/sip-constants.ts';
import type { SipInput } from '../../../src/server/sip/sip-input.ts';
import { SourceRateLimit } from '../../../src/server/sip/source-rate-limit.ts';
import { WsTransport, type WsLimits } from '../../../src/server/sip/ws-transport.ts';

const OPTIONS = 'OPTIONS sip:127.0.0.1 SIP/2.0\r\nVia: SIP/2.0/WS x.invalid;branch=z9hG4bK1\r\nTo: <sip:a@b>\r\nFrom: <sip:c@d>;tag=1\r\nCall-ID: 1\r\nCSeq: 1 OPTIONS\r\n\r\n';

let http: Server | undefined;
let transport: WsTransport | undefined;

afterEach(async () => {
  await transport?.close();
  await new Promise((resolve) => (http ? http.close(resolve) : resolve(undefined)));
  http = transport = undefined;
});

async function start(limits: Partial<WsLimits>, maxPerSecond = 100): Promise<{ url: string; inputs: SipInput[] }> {
  const inputs: SipInput[] = [];
  transport = new WsTransport({ parse: DEFAULT_PARSE_LIMITS, maxConnections: 10, idleTimeoutMs: 60_000, ...limits }, new SourceRateLimit(maxPerSecond), (input) => inputs.push(input));
  const wss = new WebSocketServer({ noServer: true });
  http = createServer();
  http.on('upgrade', (request, socket, head) => wss.handleUpgrade(request, socket, head, (ws) => transport!.accept(ws, request)));
  await new Promise<void>((resolve) => http!.listen(0, '127.0.0.1', resolve));
  return { url: `ws://127.0.0.1:${(http.address() as AddressInfo).port}/`, inputs };
}

function connect(url: string, options: WebSocket.ClientOptions = {}): Promise<WebSocket> {
  return new Promise((resolve, reject) => {
    const socket = new WebSocket(url, ['sip'], options);
    socket.once('open', () => resolve(socket));
    socket.once('error', reject);
  });
}

const closed = (socket: WebSocket) => new Promise<number>((resolve) => socket.once('close', (code) => resolve(code)));

describe('WsTransport limits', () => {
  it('closes a connection over maxConnections with 1013 and keeps the others', async () => {
    const { url, inputs } = await start({ maxConnections: 1 });
    const first = await connect(url);
    const second = await connect(url);
    expect(await closed(second)).toBe(1013);
    first.send(OPTIONS);
    await expect.poll(() => inputs.length).toBe(1);
    first.close();
  });

  it('closes a source over its message rate with 1008', async () => {
    const { url, inputs } = await start({}, 3);
    const socket = await connect(url);
    const end = closed(socket);
    for (let i = 0; i < 5; i++) socket.send(OPTIONS);
    expect(await end).toBe(1008);
    expect(inputs.length).toBe(3);
  });

  it('cuts a peer that answers no ping and keeps one that does', async () => {
    const { url } = await start({ idleTimeoutMs: 200 });
    const silent = await connect(url, { autoPong: false });
    const alive = await connect(url);
    // Cut without a close frame: 1006 on the client's side.
    expect(await closed(silent)).toBe(1006);
    await new Promise((resolve) => setTimeout(resolve, 400));
    expect(alive.readyState).toBe(WebSocket.OPEN);
    alive.close();
  });
});

/**
 * SIP over WebSocket (RFC 7118): the HTTP server's /sip upgrade, once its
 * Host, token and Origin checks and the `sip` subprotocol have passed
 * (websocket-calls.ts), hands the socket here. Each WebSocket message, text
 * or binary, is one SIP message (section 5.1), so messages are parsed like
 * datagrams and Content-Length may be left out; responses and the IVR's own
 * requests go back on the connection (section 5.2: the client's Via host is
 * a `.invalid` name nobody resolves). WebSocket is reliable, so the
 * transaction layer runs no retransmission timers (RFC 3261 section 17).
 *
 * A connection is bounded like a TCP one: a source over its message rate is
 * cut, and a peer that answers no ping for an idle period is cut too
 * (browsers answer pings on their own, so a call can stay silent in SIP).
 */
import type { IncomingMessage } from 'node:http';
import type { WebSocket } from 'ws';
import { parseSipMessage } from '../../sip/message/message-parser.ts';
import { SipParseError } from '../../sip/message/sip-error.ts';
import type { SipParseLimits } from '../../sip/sip-constants.ts';
import type { Peer } from '../../sip/transaction/peer.ts';
import { CLOSE_CODES } from '../protocol-error.ts';
import type { SipInputHandler } from './sip-input.ts';
import type { SourceRateLimit } from './source-rate-limit.ts';

/** Longest wait on close for connections to finish sending, ms. */
const FLUSH_MS = 200;

export interface WsLimits {
  readonly parse: SipParseLimits;
  readonly maxConnections: number;
  /** A connection that answers no ping within this is cut, ms. */
  readonly idleTimeoutMs: number;
}

interface Connection {
  readonly socket: WebSocket;
  readonly localPort: number;
  alive: boolean;
}

export class WsTransport {
  private readonly connections = new Map<string, Connection>();
  private counter = 0;
  private readonly heartbeat: ReturnType<typeof setInterval>;

  constructor(
    private readonly limits: WsLimits,
    private readonly rate: SourceRateLimit,
    private readonly onInput: SipInputHandler,
  ) {
    this.heartbeat = setInterval(() => this.checkAlive(), limits.idleTimeoutMs / 2);
    this.heartbeat.unref();
  }

  /** Takes an upgraded /sip WebSocket. */
  accept(socket: WebSocket, request: IncomingMessage): void {
    if (this.connections.size >= this.limits.maxConnections) return socket.close(CLOSE_CODES.tryAgainLater, 'too many SIP connections');
    const connectionId = `ws${++this.counter}`;
    const from: Peer = { transport: 'ws', host: request.socket.remoteAddress ?? '', port: request.socket.remotePort ?? 0, connectionId };
    const connection: Connection = { socket, localPort: request.socket.localPort ?? 0, alive: true };
    this.connections.set(connectionId, connection);
    socket.on('error', () => socket.terminate());
    socket.on('close', () => this.connections.delete(connectionId));
    socket.on('pong', () => (connection.alive = true));
    socket.on('message', (data: Buffer | ArrayBuffer | Buffer[]) => {
      connection.alive = true;
      if (!this.rate.allow(from.host, performance.now())) return socket.close(CLOSE_CODES.policy, 'too many SIP messages');
      const bytes = Array.isArray(data) ? Buffer.concat(data) : Buffer.isBuffer(data) ? data : Buffer.from(data);
      try {
        this.onInput({ type: 'message', message: parseSipMessage(bytes, { framing: 'datagram', limits: this.limits.parse }) }, from);
      } catch (error) {
        if (!(error instanceof SipParseError)) throw error;
        // A message of only line breaks is a keep-alive, as on UDP.
        if (error.problem !== 'empty') this.onInput({ type: 'error', error }, from);
      }
    });
  }

  /** The HTTP port a connection came in on, for the Via and Contact of what is sent on it. */
  localPort(peer: Peer): number | undefined {
    return peer.connectionId === undefined ? undefined : this.connections.get(peer.connectionId)?.localPort;
  }

  /** Sends one SIP message as one text message (RFC 7118 section 5.1: SIP is UTF-8); dropped when the connection has gone. */
  send(bytes: Uint8Array, to: Peer): void {
    const connection = to.connectionId === undefined ? undefined : this.connections.get(to.connectionId);
    if (connection && connection.socket.readyState === connection.socket.OPEN) connection.socket.send(bytes, { binary: false });
  }

  /** Closes every connection (what was sent still leaves), cuts those still open after FLUSH_MS. */
  async close(): Promise<void> {
    clearInterval(this.heartbeat);
    for (const { socket } of this.connections.values()) socket.close(CLOSE_CODES.goingAway, 'server shutting down');
    const deadline = performance.now() + FLUSH_MS;
    while (this.connections.size > 0 && performance.now() < deadline) await new Promise((resolve) => setTimeout(resolve, 5));
    for (const { socket } of this.connections.values()) socket.terminate();
  }

  private checkAlive(): void {
    for (const connection of this.connections.values()) {
      if (!connection.alive) {
        connection.socket.terminate();
        continue;
      }
      connection.alive = false;
      connection.socket.ping();
    }
  }
}

/**
 * SIP over TCP (RFC 3261 section 18.3): the stream framer cuts messages at
 * their Content-Length, responses go back on the connection the request came
 * on (section 18.2.2). Connections are bounded in number and closed when
 * silent for the idle timeout; a stream that cannot be framed is answered
 * when possible and then closed, since the next message boundary is unknown.
 */
import type { Server, Socket } from 'node:net';
import { SipStreamFramer } from '../../sip/message/stream-framer.ts';
import type { SipParseLimits } from '../../sip/sip-constants.ts';
import type { Peer } from '../../sip/transaction/peer.ts';
import type { SipInputHandler } from './sip-input.ts';
import type { SourceRateLimit } from './source-rate-limit.ts';

/** Longest wait on close for connections to finish sending, ms. */
const FLUSH_MS = 200;
/** RFC 5626 section 4.4.1: the pong to a double-CRLF ping is a single CRLF. */
const PONG = Buffer.from('\r\n');

export interface TcpLimits {
  readonly parse: SipParseLimits;
  readonly maxConnections: number;
  readonly idleTimeoutMs: number;
}

export class TcpTransport {
  private readonly connections = new Map<string, Socket>();
  private counter = 0;

  constructor(
    private readonly server: Server,
    limits: TcpLimits,
    rate: SourceRateLimit,
    onInput: SipInputHandler,
  ) {
    server.maxConnections = limits.maxConnections;
    server.on('connection', (socket) => {
      const connectionId = `tcp${++this.counter}`;
      const from: Peer = { transport: 'tcp', host: socket.remoteAddress ?? '', port: socket.remotePort ?? 0, connectionId };
      const framer = new SipStreamFramer(limits.parse);
      this.connections.set(connectionId, socket);
      socket.setNoDelay(true);
      socket.setTimeout(limits.idleTimeoutMs, () => socket.destroy());
      socket.on('error', () => socket.destroy());
      socket.on('close', () => this.connections.delete(connectionId));
      socket.on('data', (chunk) => {
        if (!rate.allow(from.host, performance.now())) return void socket.destroy();
        for (const output of framer.push(chunk)) {
          if (output.type === 'ping') socket.write(PONG);
          else if (output.type === 'message') onInput({ type: 'message', message: output.message }, from);
          else {
            onInput({ type: 'error', error: output.error }, from);
            if (output.fatal) socket.end();
          }
        }
      });
    });
  }

  get port(): number {
    const address = this.server.address();
    return typeof address === 'object' && address ? address.port : 0;
  }

  /** Sends on the connection; a message for a connection that has gone is dropped. */
  send(bytes: Uint8Array, to: Peer): void {
    const socket = to.connectionId === undefined ? undefined : this.connections.get(to.connectionId);
    if (socket && !socket.destroyed) socket.write(bytes);
  }

  /** Ends every connection (what was written still leaves), cuts those still open after FLUSH_MS, and stops listening. */
  async close(): Promise<void> {
    const closed = new Promise((resolve) => this.server.close(resolve));
    for (const socket of this.connections.values()) socket.end();
    const deadline = performance.now() + FLUSH_MS;
    while (this.connections.size > 0 && performance.now() < deadline) await new Promise((resolve) => setTimeout(resolve, 5));
    for (const socket of this.connections.values()) socket.destroy();
    await closed;
  }
}

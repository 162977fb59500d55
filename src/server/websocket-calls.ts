/**
 * Calls over WebSocket: the upgrade paths and the protocol adapter behind
 * each, the checks an upgrade passes before its handshake completes, and the
 * CallConnection that carries each admitted call. SIP over WebSocket (/sip)
 * passes the same checks and is then handed to the SIP service.
 *
 * Checks, in order: the Host header names this server (else 421), the path
 * is a call path (404), the token (401), the page's origin (403), the server
 * is not shutting down (503), a /sip client offers the `sip` subprotocol
 * (400; RFC 7118 section 4); ws answers a malformed handshake with 400. A
 * full server completes the handshake and closes with 1013, so a softphone
 * can tell "busy" from "wrong address".
 */
import type { IncomingMessage } from 'node:http';
import type { Duplex } from 'node:stream';
import { WebSocketServer, type WebSocket } from 'ws';
import { CallConnection, type ConnectionLimits } from './call-connection.ts';
import { logValue, type CallLog } from './call-log.ts';
import type { CallSessions } from './call-sessions.ts';
import type { HostGuard } from './host-guard.ts';
import { PACING_PHASES, type LiveCalls } from './live-calls.ts';
import { NATIVE_SAMPLE_RATES, NativeProtocol } from './native-protocol.ts';
import { originAllowed } from './origin-check.ts';
import type { CallTransport } from './shutdown.ts';
import type { AdapterContext, ProtocolAdapter, ProtocolName } from './protocol-adapter.ts';
import { TWILIO_MEDIA_FORMAT, TwilioProtocol } from './twilio-protocol.ts';
import { VONAGE_SAMPLE_RATES, VonageProtocol } from './vonage-protocol.ts';

/** One call path: its protocol, the rates its callers may use, and a fresh adapter per socket. */
export interface WebSocketRoute {
  readonly protocol: ProtocolName;
  readonly sampleRates: readonly number[];
  adapter(context: AdapterContext): ProtocolAdapter;
}

export const WEBSOCKET_ROUTES: Readonly<Record<string, WebSocketRoute>> = {
  '/call': { protocol: 'native', sampleRates: NATIVE_SAMPLE_RATES, adapter: () => new NativeProtocol() },
  '/twilio': { protocol: 'twilio', sampleRates: [TWILIO_MEDIA_FORMAT.sampleRate], adapter: (context) => new TwilioProtocol(context) },
  '/vonage': { protocol: 'vonage', sampleRates: VONAGE_SAMPLE_RATES, adapter: (context) => new VonageProtocol(context) },
};

/** SIP over WebSocket (RFC 7118): the path, and the subprotocol a client must offer (section 4.1). */
export const SIP_PATH = '/sip';
export const SIP_SUBPROTOCOL = 'sip';

export interface WebSocketCallsConfig {
  readonly limits: ConnectionLimits;
  /** Origins admitted besides the server's own pages (`*` for any). */
  readonly allowedOrigins: readonly string[];
  readonly calls: LiveCalls;
  readonly sessions: CallSessions;
  readonly log: CallLog;
  readonly hosts: HostGuard;
  /** True when the request carries the configured token (or none is configured). */
  readonly authorized: (request: IncomingMessage) => boolean;
  /** The TCP socket now carries a call: the shutdown lets it hear goodbye before it is cut. */
  readonly onCallSocket: (socket: Duplex) => void;
  /** Takes an upgraded /sip WebSocket; without it (SIP off) /sip is not a path. */
  readonly sipSocket?: (socket: WebSocket, request: IncomingMessage) => void;
}

/** Answers an upgrade with an HTTP error and closes the socket (both ways: the client may never end its side). */
function rejectUpgrade(socket: Duplex, status: number, text: string, extra = ''): void {
  const body = JSON.stringify({ error: text });
  socket.once('finish', () => socket.destroy());
  socket.end(
    `HTTP/1.1 ${status} ${text}\r\nConnection: close\r\nContent-Type: application/json\r\n` +
      `Content-Length: ${Buffer.byteLength(body)}\r\n${extra}\r\n${body}`,
  );
}

function pathOf(request: IncomingMessage): string {
  return new URL(request.url ?? '/', 'http://localhost').pathname;
}

/** Whether Sec-WebSocket-Protocol lists `name` (RFC 6455 section 11.3.4: comma-separated tokens, matched exactly). */
function offersSubprotocol(request: IncomingMessage, name: string): boolean {
  const header = request.headers['sec-websocket-protocol'];
  return (header ?? '').split(',').some((token) => token.trim() === name);
}

export class WebSocketCalls implements CallTransport {
  private readonly config: WebSocketCallsConfig;
  private readonly wss: WebSocketServer;
  private connectionCounter = 0;

  constructor(config: WebSocketCallsConfig) {
    this.config = config;
    // ws stops reading a message at maxPayload and closes with 1009 on its
    // own; our smaller limit answers first with an error event. Above 4x,
    // ws's hard stop keeps memory bounded.
    this.wss = new WebSocketServer({
      noServer: true,
      maxPayload: config.limits.maxFrameBytes * 4,
      perMessageDeflate: false,
      // ws's own choice (the first offered) for the call paths; /sip gets `sip`, checked offered below.
      handleProtocols: (protocols, request) => (pathOf(request) === SIP_PATH ? SIP_SUBPROTOCOL : (protocols.values().next().value ?? false)),
    });
    // With a listener, ws leaves a malformed handshake (no valid
    // Sec-WebSocket-Key or Version) unanswered: answering and closing is ours.
    this.wss.on('wsClientError', (error, socket, request) => {
      config.log.server(`refused upgrade from ${request.socket.remoteAddress}: ${error.message}`);
      rejectUpgrade(socket, 400, 'Bad Request', 'Sec-WebSocket-Version: 13\r\n');
    });
  }

  /** The HTTP server's `upgrade` event. */
  handleUpgrade(request: IncomingMessage, socket: Duplex, head: Buffer): void {
    const { hosts, log, authorized, allowedOrigins, calls } = this.config;
    socket.on('error', () => socket.destroy());
    if (hosts.misdirected(request)) return rejectUpgrade(socket, 421, 'Misdirected Request');
    const path = pathOf(request);
    const route = Object.hasOwn(WEBSOCKET_ROUTES, path) ? WEBSOCKET_ROUTES[path] : undefined;
    const sipSocket = path === SIP_PATH ? this.config.sipSocket : undefined;
    if (!route && !sipSocket) return rejectUpgrade(socket, 404, 'Not Found');
    if (!authorized(request)) {
      log.server(`rejected ${path} upgrade from ${request.socket.remoteAddress}: missing or wrong token`);
      return rejectUpgrade(socket, 401, 'Unauthorized', 'WWW-Authenticate: Bearer\r\n');
    }
    if (!originAllowed(request.headers.origin, request.headers.host, allowedOrigins)) {
      log.server(`rejected ${path} upgrade from ${request.socket.remoteAddress}: origin ${logValue(request.headers.origin ?? '')} not allowed`);
      return rejectUpgrade(socket, 403, 'Forbidden');
    }
    if (calls.shuttingDown) return rejectUpgrade(socket, 503, 'Service Unavailable');
    if (sipSocket && !offersSubprotocol(request, SIP_SUBPROTOCOL)) {
      log.server(`rejected ${path} upgrade from ${request.socket.remoteAddress}: no '${SIP_SUBPROTOCOL}' subprotocol`);
      return rejectUpgrade(socket, 400, 'Bad Request');
    }
    this.wss.handleUpgrade(request, socket, head, (ws) => {
      this.config.onCallSocket(socket);
      if (route) this.accept(ws, request, route);
      else sipSocket!(ws, request);
    });
  }

  /** WebSockets still open (a call's close frame may be on its way). */
  get openSockets(): number {
    return this.wss.clients.size;
  }

  /** Cuts every WebSocket still open. */
  terminate(): void {
    for (const client of this.wss.clients) client.terminate();
  }

  close(): void {
    this.wss.close();
  }

  private accept(socket: WebSocket, request: IncomingMessage, route: WebSocketRoute): void {
    const { calls, sessions, log, limits } = this.config;
    const query = new URL(request.url ?? '/', 'http://localhost').searchParams;
    const number = ++this.connectionCounter;
    const connection = new CallConnection(
      socket,
      route.adapter({ extraEvents: query.get('events') === '1' }),
      limits,
      {
        createSession: (start, sink, startedAt) => sessions.create(route.protocol, start, sink, startedAt),
        onEvent: (callId, event) => log.event(callId, event),
        onNote: (label, message) => log.note(label, message),
        onClosed: (closed) => calls.release(closed),
      },
      performance.now(),
      `${route.protocol}#${number}`,
      number % PACING_PHASES,
    );
    const refusal = calls.admit(connection);
    if (refusal) connection.reject(refusal);
  }
}

/**
 * The live IVR server: one HTTP port for health, the conference list and the
 * softphone page, and WebSocket calls on /call (native), /twilio and
 * /vonage. Every call is one flow actor in one shared Ivr (so a lobby caller
 * on one socket is admitted when the organizer keys the PIN on another), and
 * one shared 20 ms clock sends every caller's audio.
 *
 * Every request and upgrade must first name this server in its Host header
 * (host-check.ts), else 421. Upgrades are routed by path before the
 * handshake completes: an unknown path gets 404, a missing or wrong token
 * 401, a server shutting down 503, a malformed handshake 400. A full server
 * completes the handshake and closes with 1013, so a softphone can tell
 * "busy" from "wrong address".
 */
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { Duplex } from 'node:stream';
import { WebSocketServer, type WebSocket } from 'ws';
import { openDirectory } from '../directory/open-directory.ts';
import type { PinDirectory } from '../directory/pin-directory.ts';
import { systemClock } from '../directory/clock.ts';
import { DtmfDetector } from '../dsp/dtmf-detector.ts';
import { createIvr } from '../flow/ivr.ts';
import { handleStatic } from '../web/serve-static.ts';
import { CallMedia } from '../media/call-media.ts';
import { loadPromptLibrary } from '../media/load-prompt-library.ts';
import type { PromptLibrary } from '../media/prompt-library.ts';
import { CallSession } from '../session/call-session.ts';
import { createAuthorizer } from './auth.ts';
import { CallConnection } from './call-connection.ts';
import { CallLog, logValue } from './call-log.ts';
import { ensureDemoDeployment } from './demo-deployment.ts';
import { FramePacer, type PacerStats } from './frame-pacer.ts';
import { hostPolicy, type HostPolicy } from './host-check.ts';
import { createHttpHandler, sendJson } from './http-routes.ts';
import { IvrBridge } from './ivr-bridge.ts';
import { originAllowed } from './origin-check.ts';
import { NATIVE_SAMPLE_RATES, NativeProtocol } from './native-protocol.ts';
import type { ProtocolAdapter, ProtocolName } from './protocol-adapter.ts';
import { CLOSE_CODES, ProtocolError } from './protocol-error.ts';
import { ListenError, resolveServerOptions, type ServerOptions } from './server-options.ts';
import { SocketRegistry } from './socket-registry.ts';
import { TWILIO_MEDIA_FORMAT, TwilioProtocol } from './twilio-protocol.ts';
import { VONAGE_SAMPLE_RATES, VonageProtocol } from './vonage-protocol.ts';

export interface ServerStats {
  /** Sockets on a call path (started or still in their handshake). */
  connections: number;
  /** Calls whose flow is running. */
  calls: number;
  /** Calls since start. */
  totalCalls: number;
  pacer: PacerStats;
}

export interface RunningServer {
  /** `http://host:port`. */
  readonly url: string;
  readonly port: number;
  /** The demo organizer's PIN when it was generated at this start (shown once); otherwise undefined. */
  readonly demoPin: string | undefined;
  /** True when running on the embedded demo deployment (no --config). */
  readonly demo: boolean;
  readonly directory: PinDirectory;
  stats(): ServerStats;
  /** Stops accepting, says goodbye to every call, closes the database. Idempotent. */
  close(): Promise<void>;
}

const CALL_PATHS: Readonly<Record<string, ProtocolName>> = { '/call': 'native', '/twilio': 'twilio', '/vonage': 'vonage' };
const PACING_PHASES = 4;
/** On shutdown, sockets that carry no call (keep-alive, unfinished requests) are cut after this, ms. */
const STRAY_SOCKET_GRACE_MS = 2000;

/** Answers an upgrade with an HTTP error and closes the socket (both ways: the client may never end its side). */
function rejectUpgrade(socket: Duplex, status: number, text: string, extra = ''): void {
  const body = JSON.stringify({ error: text });
  socket.once('finish', () => socket.destroy());
  socket.end(
    `HTTP/1.1 ${status} ${text}\r\nConnection: close\r\nContent-Type: application/json\r\n` +
      `Content-Length: ${Buffer.byteLength(body)}\r\n${extra}\r\n${body}`,
  );
}

/** An HTTP error that also ends the connection. */
function refuseRequest(response: ServerResponse, status: number, error: string): void {
  response.setHeader('connection', 'close');
  sendJson(response, status, { error });
}

let sharedLibrary: Promise<PromptLibrary> | undefined;

/**
 * The prompts at every rate a caller may use, loaded once per process.
 * Resampling takes about a second; done on a caller's first frame it would
 * stall every call's audio, so it happens before the server listens.
 */
function promptLibrary(): Promise<PromptLibrary> {
  sharedLibrary ??= loadPromptLibrary().then((library) => {
    for (const rate of new Set([...NATIVE_SAMPLE_RATES, ...VONAGE_SAMPLE_RATES, TWILIO_MEDIA_FORMAT.sampleRate])) {
      library.atRate(rate);
    }
    return library;
  });
  sharedLibrary.catch(() => (sharedLibrary = undefined));
  return sharedLibrary;
}

export async function startServer(partial: Partial<ServerOptions> = {}): Promise<RunningServer> {
  const options = resolveServerOptions(partial);
  const wallClock = options.wallClock ?? systemClock.now;
  const log = new CallLog(options.log, wallClock);
  const library = await promptLibrary();
  const { directory, applied } = await openDirectory({ db: options.db, config: options.config, clock: { now: wallClock } });
  let demoPin: string | undefined;
  try {
    if (!applied) demoPin = (await ensureDemoDeployment(directory)).newPin;
  } catch (error) {
    directory.close();
    throw error;
  }
  const ivr = createIvr({
    directory,
    ...(options.flow ? { options: options.flow } : {}),
    onListenerError: (error, event) => log.server(`ivr listener failed on ${event.type}: ${(error as Error).message}`),
  });
  const bridge = new IvrBridge(ivr, (callId, message) => log.note(callId, message));
  const authorized = createAuthorizer(options.token);
  const connections = new Set<CallConnection>();
  let callCounter = 0;
  let connectionCounter = 0;
  let shuttingDown = false;

  // Calls are spread over PACING_PHASES slots of each frame period, so the
  // event loop renders a quarter of them every 5 ms instead of all of them in
  // one burst that would hold back the callers' incoming audio.
  let slot = 0;
  const pacer = new FramePacer(
    () => {
      const phase = slot++ % PACING_PHASES;
      for (const connection of connections) if (connection.phase === phase) connection.tick();
    },
    {
      frameMs: options.frameMs / PACING_PHASES,
      speed: options.playbackSpeed,
      maxCatchUpFrames: 5 * PACING_PHASES * options.playbackSpeed,
      lateTickMs: options.frameMs,
      now: () => performance.now(),
    },
  );

  const createSession = (
    protocol: ProtocolName,
    start: { sampleRate: number; from?: string },
    sink: ConstructorParameters<typeof CallSession>[1],
    startedAt: number,
  ) => {
    const callId = `c${++callCounter}`;
    const session = new CallSession(
      {
        callId,
        ...(start.from !== undefined ? { from: start.from } : {}),
        protocol,
        sampleRate: start.sampleRate,
        frameMs: options.frameMs,
        flow: bridge.flow,
        media: new CallMedia(library, { outputRate: start.sampleRate }),
        decoder: new DtmfDetector({ sampleRate: start.sampleRate }),
        nowMs: () => performance.now() - startedAt,
        ...(options.digitMerger ? { merger: options.digitMerger } : {}),
      },
      sink,
    );
    bridge.add(session, start.from);
    return session;
  };

  const limits = {
    maxFrameBytes: options.maxFrameBytes,
    maxBufferedBytes: options.maxBufferedBytes,
    handshakeTimeoutMs: options.handshakeTimeoutMs,
    idleTimeoutMs: options.idleTimeoutMs,
    maxOutOfBandDigitsPerSecond: options.maxOutOfBandDigitsPerSecond,
    maxMessagesPerSecond: options.maxMessagesPerSecond,
    maxAudioLeadMs: options.maxAudioLeadMs,
  };

  const adapterFor = (protocol: ProtocolName, request: IncomingMessage): ProtocolAdapter => {
    const query = new URL(request.url ?? '/', 'http://localhost').searchParams;
    const context = { extraEvents: query.get('events') === '1' };
    if (protocol === 'twilio') return new TwilioProtocol(context);
    if (protocol === 'vonage') return new VonageProtocol(context);
    return new NativeProtocol();
  };

  const accept = (socket: WebSocket, request: IncomingMessage, protocol: ProtocolName) => {
    const connection = new CallConnection(
      socket,
      adapterFor(protocol, request),
      limits,
      {
        createSession: (start, sink, startedAt) => createSession(protocol, start, sink, startedAt),
        onEvent: (callId, event) => log.event(callId, event),
        onNote: (label, message) => log.note(label, message),
        onClosed: (closed) => {
          connections.delete(closed);
          if (connections.size === 0) pacer.stop();
        },
      },
      performance.now(),
      `${protocol}#${++connectionCounter}`,
      connectionCounter % PACING_PHASES,
    );
    if (shuttingDown) return connection.reject(new ProtocolError('E_SHUTTING_DOWN', CLOSE_CODES.goingAway, 'the server is shutting down'));
    if (connections.size >= options.maxCalls) {
      return connection.reject(new ProtocolError('E_SERVER_FULL', CLOSE_CODES.tryAgainLater, `the server is at its limit of ${options.maxCalls} calls`));
    }
    connections.add(connection);
    if (!pacer.running) pacer.start();
  };

  // ws stops reading a message at maxPayload and closes with 1009 on its
  // own; our smaller limit answers first with an error event. Above 4x,
  // ws's hard stop keeps memory bounded.
  const wss = new WebSocketServer({ noServer: true, maxPayload: options.maxFrameBytes * 4, perMessageDeflate: false });
  // With a listener, ws leaves a malformed handshake (no valid
  // Sec-WebSocket-Key or Version) unanswered: answering and closing is ours.
  wss.on('wsClientError', (error, socket, request) => {
    log.server(`refused upgrade from ${request.socket.remoteAddress}: ${error.message}`);
    rejectUpgrade(socket, 400, 'Bad Request', 'Sec-WebSocket-Version: 13\r\n');
  });

  // Known once the port is bound; nothing is served before.
  let hosts: HostPolicy | undefined;
  const misdirectedLogged = new WeakSet<object>();
  /** True (and logged once per connection) when the request's Host does not name this server. */
  const misdirected = (request: IncomingMessage): boolean => {
    if (hosts?.allows(request.headers.host)) return false;
    if (!misdirectedLogged.has(request.socket)) {
      misdirectedLogged.add(request.socket);
      log.server(`refused request from ${request.socket.remoteAddress}: Host ${logValue(request.headers.host ?? '')} does not name this server`);
    }
    return true;
  };

  // The softphone page's CSP names the server's own hosts (set with `hosts`).
  let connectSources: string[] = [];
  const staticFiles =
    options.staticFiles ?? ((request: IncomingMessage, response: ServerResponse) => handleStatic(request, response, connectSources));
  const routes = createHttpHandler({
    conferences: () => bridge.listConferences(directory.listConferences()),
    authorized,
    staticFiles,
    onError: (message) => log.server(message),
  });
  const sockets = new SocketRegistry();
  const http: Server = createServer((request, response) => {
    if (misdirected(request)) return refuseRequest(response, 421, 'misdirected request: the Host header does not name this server');
    if (shuttingDown) return refuseRequest(response, 503, 'shutting down');
    return routes(request, response);
  });
  http.on('connection', (socket: Duplex) => sockets.track(socket));
  http.on('upgrade', (request: IncomingMessage, socket: Duplex, head: Buffer) => {
    socket.on('error', () => socket.destroy());
    if (misdirected(request)) return rejectUpgrade(socket, 421, 'Misdirected Request');
    const path = new URL(request.url ?? '/', 'http://localhost').pathname;
    const protocol = CALL_PATHS[path];
    if (!protocol) return rejectUpgrade(socket, 404, 'Not Found');
    if (!authorized(request)) {
      log.server(`rejected ${path} upgrade from ${request.socket.remoteAddress}: missing or wrong token`);
      return rejectUpgrade(socket, 401, 'Unauthorized', 'WWW-Authenticate: Bearer\r\n');
    }
    if (!originAllowed(request.headers.origin, request.headers.host, options.allowedOrigins)) {
      log.server(`rejected ${path} upgrade from ${request.socket.remoteAddress}: origin ${logValue(request.headers.origin ?? '')} not allowed`);
      return rejectUpgrade(socket, 403, 'Forbidden');
    }
    if (shuttingDown) return rejectUpgrade(socket, 503, 'Service Unavailable');
    wss.handleUpgrade(request, socket, head, (ws) => {
      sockets.markCall(socket);
      accept(ws, request, protocol);
    });
  });
  http.on('clientError', (_error, socket) => socket.destroy());

  const sweepMs = Math.max(10, Math.min(250, options.handshakeTimeoutMs / 4, options.idleTimeoutMs / 4));
  const sweep = setInterval(() => {
    const now = performance.now();
    for (const connection of connections) connection.checkDeadlines(now);
  }, sweepMs);
  sweep.unref();

  let port = options.port;
  try {
    await new Promise<void>((resolve, reject) => {
      http.once('error', reject);
      http.listen(options.port, options.host, () => {
        http.off('error', reject);
        const address = http.address();
        if (typeof address === 'object' && address) port = address.port;
        hosts = hostPolicy(options.host, port, options.allowHosts);
        connectSources = hosts.pageHosts.flatMap((host) => [`ws://${host}`, `wss://${host}`]);
        resolve();
      });
    });
  } catch (error) {
    clearInterval(sweep);
    bridge.stop();
    directory.close();
    const code = (error as NodeJS.ErrnoException).code ?? 'error';
    throw new ListenError(`cannot listen on ${options.host}:${options.port} (${code})`, { cause: error });
  }
  const host = options.host.includes(':') ? `[${options.host}]` : options.host;
  log.server(`listening on http://${host}:${port} (${applied ? `deployment ${options.config}` : 'demo deployment'}, db ${options.db})`);

  let closing: Promise<void> | undefined;
  const close = () => {
    closing ??= (async () => {
      shuttingDown = true;
      log.server(`shutting down: ${connections.size} call(s) to end`);
      // The listener stays open during the drain so a new caller is told 503.
      http.closeIdleConnections();
      const strays = setTimeout(() => sockets.destroyStrays(), STRAY_SOCKET_GRACE_MS);
      for (const connection of [...connections]) connection.shutdown();
      const deadline = performance.now() + options.shutdownGraceMs;
      while (connections.size > 0 && performance.now() < deadline) await new Promise((resolve) => setTimeout(resolve, 10));
      for (const connection of [...connections]) connection.forceEnd();
      // Give close frames a moment to leave before the sockets are cut.
      const flushUntil = performance.now() + 500;
      while (wss.clients.size > 0 && performance.now() < flushUntil) await new Promise((resolve) => setTimeout(resolve, 10));
      for (const client of wss.clients) client.terminate();
      clearTimeout(strays);
      http.close();
      sockets.destroyAll();
      pacer.stop();
      clearInterval(sweep);
      bridge.stop();
      wss.close();
      directory.close();
      log.server('stopped');
    })();
    return closing;
  };

  return {
    url: `http://${host}:${port}`,
    port,
    demoPin,
    demo: !applied,
    directory,
    stats: () => ({ connections: connections.size, calls: bridge.size, totalCalls: callCounter, pacer: { ...pacer.stats } }),
    close,
  };
}

/**
 * The live IVR server: one HTTP port for health, the conference list and the
 * softphone page, and WebSocket calls on /call (native), /twilio and
 * /vonage, and SIP over UDP and TCP with RTP media and over WebSocket on
 * /sip with WebRTC media (sip/). Every call is one flow actor in one shared Ivr (so a lobby caller
 * on one socket is admitted when the organizer keys the PIN on another), and
 * one shared 20 ms clock sends every caller's audio.
 *
 * startServer wires the parts, each in its own file: the directory and the
 * flow (below), the calls in progress and their admission (live-calls.ts),
 * each call's session (call-sessions.ts), HTTP routing (http-routes.ts), the
 * admin center and /me (admin/admin-center.ts),
 * calls over WebSocket with their upgrade checks (websocket-calls.ts), the
 * Host check (host-guard.ts), the SIP service (sip/sip-service.ts), and the
 * shutdown drain (shutdown.ts). A transport takes CallSessions (and, for
 * WebSocket calls, LiveCalls) and joins the drain. With `redis`, the
 * conferences live on Redis, shared with every server pointed at it
 * (cluster/cluster-node.ts), instead of in this process.
 */
import { createServer, type Server } from 'node:http';
import type { Duplex } from 'node:stream';
import { openDirectory } from '../directory/open-directory.ts';
import type { PinDirectory } from '../directory/pin-directory.ts';
import { systemClock } from '../directory/clock.ts';
import { createIvr } from '../flow/ivr.ts';
import { handleStatic } from '../web/serve-static.ts';
import { createAdminCenter } from './admin/admin-center.ts';
import { directoryAdminServices } from './admin/directory-admin-services.ts';
import { createAuthorizer } from './auth.ts';
import { CallLog } from './call-log.ts';
import { CallSessions } from './call-sessions.ts';
import type { ClusterNode } from './cluster/cluster-node.ts';
import { ensureDemoDeployment } from './demo-deployment.ts';
import { logDirectoryFailures } from './logged-directory.ts';
import type { PacerStats } from './frame-pacer.ts';
import { hostPolicy } from './host-check.ts';
import { HostGuard } from './host-guard.ts';
import { createHttpHandler } from './http-routes.ts';
import { IvrBridge } from './ivr-bridge.ts';
import { LiveCalls } from './live-calls.ts';
import { warmPromptLibrary } from './prompt-warmup.ts';
import { ListenError, resolveServerOptions, type ServerOptions } from './server-options.ts';
import { drain } from './shutdown.ts';
import { startSipService, type RunningSipService, type SipServiceStats } from './sip/sip-service.ts';
import { callerFrom } from '../session/caller-fields.ts';
import { SocketRegistry } from './socket-registry.ts';
import { WEBSOCKET_ROUTES, WebSocketCalls } from './websocket-calls.ts';

export interface ServerStats {
  /** Sockets on a call path (started or still in their handshake). */
  connections: number;
  /** Calls whose flow is running. */
  calls: number;
  /** Calls since start. */
  totalCalls: number;
  pacer: PacerStats;
  /** SIP calls, when SIP is on. */
  sip?: SipServiceStats;
}

export interface RunningServer {
  /** `http://host:port`. */
  readonly url: string;
  readonly port: number;
  /** The SIP port (UDP and TCP), when SIP is on. */
  readonly sipPort: number | undefined;
  /** The demo organizer's PIN when it was generated at this start (shown once); otherwise undefined. */
  readonly demoPin: string | undefined;
  /** True when running on the embedded demo deployment (no --config). */
  readonly demo: boolean;
  readonly directory: PinDirectory;
  stats(): ServerStats;
  /** Stops accepting, says goodbye to every call, closes the database. Idempotent. */
  close(): Promise<void>;
}

/** The directory (with the demo deployment when no --config is given); closed again if the demo cannot be set up. */
async function openServerDirectory(options: ServerOptions, wallClock: () => number, log: CallLog) {
  const { directory, applied } = await openDirectory({
    db: options.db,
    config: options.config,
    mail: options.mail,
    onMailError: (line) => log.server(line),
    clock: { now: wallClock },
  });
  try {
    const demoPin = applied ? undefined : (await ensureDemoDeployment(directory)).newPin;
    return { directory, demo: !applied, demoPin };
  } catch (error) {
    await directory.close();
    throw error;
  }
}

/** Binds the port; the bound port (the one picked for port 0). ListenError when it cannot. */
async function listen(http: Server, host: string, port: number): Promise<number> {
  try {
    return await new Promise<number>((resolve, reject) => {
      http.once('error', reject);
      http.listen(port, host, () => {
        http.off('error', reject);
        const address = http.address();
        resolve(typeof address === 'object' && address ? address.port : port);
      });
    });
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code ?? 'error';
    throw new ListenError(`cannot listen on ${host}:${port} (${code})`, { cause: error });
  }
}

export async function startServer(partial: Partial<ServerOptions> = {}): Promise<RunningServer> {
  const options = resolveServerOptions(partial);
  const wallClock = options.wallClock ?? systemClock.now;
  const log = new CallLog(options.log, wallClock);
  // SIP media is G.711 at 8 kHz (sip/rtp-channel.ts).
  const rates = [...Object.values(WEBSOCKET_ROUTES).flatMap((route) => route.sampleRates), ...(options.sipPort !== undefined ? [8000] : [])];
  const library = await warmPromptLibrary(rates);
  // Redis first: a bridge that cannot be reached leaves no new database file behind.
  // The client loads only then, so a server without --redis starts as fast as before.
  const node: ClusterNode | undefined =
    options.redis === undefined
      ? undefined
      : await (await import('./cluster/cluster-node.ts')).ClusterNode.connect(
          { url: options.redis, leaseMs: options.clusterLeaseMs, keyPrefix: options.clusterKeyPrefix },
          (line) => log.server(line),
        );
  const { directory, demo, demoPin } = await openServerDirectory(options, wallClock, log).catch(async (error: unknown) => {
    await node?.close();
    throw error;
  });

  const ivr = createIvr({
    directory: logDirectoryFailures(directory, (line) => log.server(line)),
    ...(options.flow ? { options: options.flow } : {}),
    ...(node ? { conferences: node.registry } : {}),
    onListenerError: (error, event) => log.server(`ivr listener failed on ${event.type}: ${(error as Error).message}`),
  });
  const bridge = new IvrBridge(ivr, (callId, message) => log.note(callId, message), (id) => node?.recordedCaller(id));
  node?.setCallerLookup((id) => bridge.callerOf(id));
  const sessions = new CallSessions({
    library,
    bridge,
    frameMs: options.frameMs,
    digitMerger: options.digitMerger,
    ...(node ? { callIdPrefix: `${node.nodeId}-` } : {}),
  });
  const calls = new LiveCalls(options);
  const authorized = createAuthorizer(options.token);
  const hosts = new HostGuard((line) => log.server(line));
  const sockets = new SocketRegistry();
  const websocketCalls = new WebSocketCalls({
    limits: options,
    allowedOrigins: options.allowedOrigins,
    calls,
    sessions,
    log,
    hosts,
    authorized,
    onCallSocket: (socket) => sockets.markCall(socket),
    // /sip is a path when SIP is on; the service starts right after the HTTP port is bound.
    ...(options.sipPort !== undefined ? { sipSocket: (socket, request) => (sip ? sip.acceptWebSocket(socket, request) : socket.close(1013, 'SIP is starting')) } : {}),
  });

  // The softphone page's CSP names the server's own hosts, known once the port is bound.
  const staticFiles = options.staticFiles ?? ((request, response) => handleStatic(request, response, hosts.connectSources()));
  const conferences = async () => bridge.listConferences(await directory.listConferences());
  const adminCenter = createAdminCenter({
    directory,
    services: directoryAdminServices(directory),
    conferences,
    linkOrigin: (request) => hosts.linkOrigin(request),
  });
  const http: Server = createServer(
    createHttpHandler({
      misdirected: (request) => hosts.misdirected(request),
      shuttingDown: () => calls.shuttingDown,
      conferences,
      authorized,
      adminCenter,
      staticFiles,
      onError: (message) => log.server(message),
    }),
  );
  http.on('connection', (socket: Duplex) => sockets.track(socket));
  http.on('upgrade', (request, socket: Duplex, head: Buffer) => websocketCalls.handleUpgrade(request, socket, head));
  http.on('clientError', (_error, socket) => socket.destroy());

  // The node closes after the Ivr has stopped: its calls' last commits (LEAVE) still go out first.
  const release = async () => {
    bridge.stop();
    await node?.close();
    await directory.close();
  };
  let port: number;
  let sip: RunningSipService | undefined;
  try {
    await node?.start();
    port = await listen(http, options.host, options.port);
    if (options.sipPort !== undefined) {
      sip = await startSipService(
        { host: options.host, port: options.sipPort, maxCalls: options.maxCalls, frameMs: options.frameMs, playbackSpeed: options.playbackSpeed },
        {
          log,
          createSession: (protocol, from, sink, startedAt) => sessions.create(protocol, { sampleRate: 8000, from }, sink, startedAt),
          // A SIP caller's From is held to the same rule as every protocol's `from`.
          checkCaller: (from) => void callerFrom(from, 'From'),
          ...(options.sipUdpSocket ? { udpSocket: options.sipUdpSocket } : {}),
        },
      );
    }
  } catch (error) {
    http.close();
    calls.endAll();
    await release();
    throw error;
  }
  hosts.bind(hostPolicy(options.host, port, options.allowHosts));
  const host = options.host.includes(':') ? `[${options.host}]` : options.host;
  log.server(`listening on http://${host}:${port} (${demo ? 'demo deployment' : `deployment ${options.config}`}, db ${directory.label})`);
  if (sip) log.server(`listening for SIP on udp and tcp ${host}:${sip.udpPort} and WebSocket http://${host}:${port}/sip`);

  let closing: Promise<void> | undefined;
  return {
    url: `http://${host}:${port}`,
    port,
    sipPort: sip?.udpPort,
    demoPin,
    demo,
    directory,
    stats: () => ({
      connections: calls.size,
      calls: bridge.size,
      totalCalls: sessions.total,
      pacer: calls.pacerStats,
      ...(sip ? { sip: sip.stats() } : {}),
    }),
    close: () =>
      (closing ??= drain({
        http,
        sockets,
        calls,
        transports: [websocketCalls],
        services: sip ? [sip] : [],
        graceMs: options.shutdownGraceMs,
        release,
        log: (line) => log.server(line),
      })),
  };
}

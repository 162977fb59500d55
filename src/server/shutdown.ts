/**
 * The server's shutdown drain, in order: new callers and requests are told
 * 503 while the port stays open, every call hears goodbye (up to the grace
 * period), calls still going are ended, their close frames get a moment to
 * leave, and then every socket is cut and everything is released. Sockets
 * without a call (keep-alive, unfinished requests) are cut after a short
 * grace of their own, so a silent client cannot hold the drain open.
 */
import type { Server } from 'node:http';
import { pause, type LiveCalls } from './live-calls.ts';
import type { SocketRegistry } from './socket-registry.ts';

/** What the drain needs of a transport that carries calls (the WebSocket protocols, later SIP). */
export interface CallTransport {
  /** Sockets still open after their calls ended (close frames on their way). */
  readonly openSockets: number;
  /** Cuts every socket still open. */
  terminate(): void;
  /** Frees the transport. */
  close(): void;
}

export interface DrainParts {
  readonly http: Server;
  readonly sockets: SocketRegistry;
  readonly calls: LiveCalls;
  readonly transports: readonly CallTransport[];
  /** Services that end their own calls (SIP: BYE to each), closed while the WebSocket calls hear goodbye. */
  readonly services: readonly { close(): Promise<void> }[];
  /** Time every call has to hear goodbye, ms. */
  readonly graceMs: number;
  /** Releases what the calls used (the flow, the shared state, the directory), once every socket is gone. */
  readonly release: () => Promise<void>;
  readonly log: (line: string) => void;
}

/** On shutdown, sockets that carry no call (keep-alive, unfinished requests) are cut after this, ms. */
const STRAY_SOCKET_GRACE_MS = 2000;
/** Time close frames have to leave before the sockets are cut, ms. */
const CLOSE_FLUSH_MS = 500;

export async function drain(parts: DrainParts): Promise<void> {
  const { http, sockets, calls, transports } = parts;
  parts.log(`shutting down: ${calls.size} call(s) to end`);
  calls.beginShutdown();
  // The listener stays open during the drain so a new caller is told 503.
  http.closeIdleConnections();
  const strays = setTimeout(() => sockets.destroyStrays(), STRAY_SOCKET_GRACE_MS);
  await Promise.all([calls.settle(parts.graceMs), ...parts.services.map((service) => service.close())]);
  calls.endAll();
  const flushUntil = performance.now() + CLOSE_FLUSH_MS;
  const open = () => transports.reduce((sum, transport) => sum + transport.openSockets, 0);
  while (open() > 0 && performance.now() < flushUntil) await pause(10);
  for (const transport of transports) transport.terminate();
  clearTimeout(strays);
  http.close();
  sockets.destroyAll();
  for (const transport of transports) transport.close();
  await parts.release();
  parts.log('stopped');
}

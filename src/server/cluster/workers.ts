/**
 * `serve --workers N`: N servers on one machine behind one set of ports,
 * with node:cluster. Each worker is a whole server of the bridge (its own
 * node id, lease, calls, RTP ports) on the shared Redis and directory. HTTP,
 * WebSocket and SIP over TCP listen in every worker on the same ports (the
 * primary hands each new connection to a worker, and a connection, with its
 * WebSocket call or TCP dialog, stays there); SIP over UDP is the primary's
 * socket, relayed by Call-ID (udp-relay.ts). Workers start one after the
 * other, so only the first can set up a new database's demo deployment. A
 * worker that dies is replaced in its slot; its calls ended with it and the
 * others clean up after it through Redis, as after any dead server.
 */
import cluster, { type Worker } from 'node:cluster';
import { createSocket } from 'node:dgram';
import { startServer, type RunningServer } from '../server.ts';
import type { ServerOptions } from '../server-options.ts';
import { RelayedUdpSocket, UdpRelay } from './udp-relay.ts';

/** The environment variable that tells a worker the SIP port whose UDP the primary relays. */
const RELAY_PORT_ENV = 'DIALIN_SIP_RELAY_PORT';

interface Ready {
  readonly type: 'dialin-worker-ready';
  readonly url: string;
  readonly demoPin: string | undefined;
}

export interface RunningWorkers {
  /** `http://host:port`, shared by every worker. */
  readonly url: string;
  readonly sipPort: number | undefined;
  /** The demo organizer's PIN when the first worker generated it. */
  readonly demoPin: string | undefined;
  /** Stops every worker (each ends its calls with goodbye), then the relay. */
  close(): Promise<void>;
}

/**
 * Forks the workers, which run this same program (node:cluster) and must
 * call runWorker; resolves once all are listening. `options` must be what
 * each worker is given (with `redis`), a fixed `port` or 0.
 */
export async function startWorkers(count: number, options: Partial<ServerOptions>, log: (line: string) => void): Promise<RunningWorkers> {
  const host = options.host ?? '127.0.0.1';
  const workers: (Worker | undefined)[] = Array.from({ length: count }, () => undefined);
  let relay: UdpRelay | undefined;
  let sipPort: number | undefined;
  if (options.sipPort !== undefined) {
    const socket = createSocket({ type: host.includes(':') ? 'udp6' : 'udp4' });
    await new Promise<void>((resolve, reject) => {
      socket.once('error', reject);
      socket.bind(options.sipPort, host, () => resolve());
    });
    sipPort = socket.address().port;
    relay = new UdpRelay(socket, workers);
  }
  cluster.setupPrimary({ serialization: 'advanced' });
  let stopping = false;

  const fork = (slot: number) =>
    new Promise<Ready>((resolve, reject) => {
      const worker = cluster.fork(sipPort === undefined ? {} : { [RELAY_PORT_ENV]: String(sipPort) });
      workers[slot] = worker;
      worker.on('message', (message: unknown) => {
        if (relay?.fromWorker(message)) return;
        if ((message as Ready).type === 'dialin-worker-ready') resolve(message as Ready);
      });
      worker.once('exit', (code, signal) => {
        if (workers[slot] === worker) workers[slot] = undefined;
        reject(new Error(`worker ${slot + 1} exited before it was ready (${signal ?? code})`));
        if (stopping) return;
        log(`workers: worker ${slot + 1} (pid ${worker.process.pid}) died (${signal ?? code}); starting another`);
        void fork(slot).catch((error: unknown) => log(`workers: ${(error as Error).message}`));
      });
    });

  const ready: Ready[] = [];
  try {
    for (let slot = 0; slot < count; slot++) ready.push(await fork(slot));
  } catch (error) {
    // One worker could not start (a port in use, Redis gone): none runs.
    stopping = true;
    for (const worker of workers) worker?.kill();
    await relay?.close();
    throw error;
  }
  log(`workers: ${count} listening on ${ready[0]!.url}${sipPort === undefined ? '' : `, SIP on udp and tcp ${sipPort}`}`);

  let closing: Promise<void> | undefined;
  return {
    url: ready[0]!.url,
    sipPort,
    demoPin: ready.find((r) => r.demoPin !== undefined)?.demoPin,
    close: () =>
      (closing ??= (async () => {
        stopping = true;
        await Promise.all(
          workers.map((worker) =>
            worker && !worker.isDead()
              ? new Promise<void>((resolve) => {
                  worker.once('exit', () => resolve());
                  worker.send({ type: 'dialin-worker-stop' });
                })
              : undefined,
          ),
        );
        await relay?.close();
      })()),
  };
}

/** A worker's side: the server with the primary's UDP socket relayed, until the primary says stop. */
export async function runWorker(options: Partial<ServerOptions>): Promise<RunningServer> {
  const relayPort = process.env[RELAY_PORT_ENV];
  const server = await startServer({
    ...options,
    ...(relayPort === undefined ? {} : { sipPort: Number(relayPort), sipUdpSocket: new RelayedUdpSocket(Number(relayPort)) }),
  });
  const stop = () => void server.close().then(() => process.exit(0));
  process.on('message', (message: unknown) => {
    if ((message as { type?: unknown }).type === 'dialin-worker-stop') stop();
  });
  // The primary decides when workers stop (a terminal's Ctrl-C reaches every process of the group); without it, they stop.
  for (const signal of ['SIGINT', 'SIGTERM'] as const) process.on(signal, () => {});
  process.once('disconnect', stop);
  const ready: Ready = { type: 'dialin-worker-ready', url: server.url, demoPin: server.demoPin };
  process.send?.(ready);
  return server;
}

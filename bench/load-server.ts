/**
 * The server side of `npm run load`, in its own process so the load
 * generator's work never counts against it. Driven over IPC by bench/load.ts:
 * start → {ready, url, sipPort}; stats → CPU, memory and pacing numbers; stop.
 * Call event log lines go to a file, as `serve > file` would.
 *
 * With `workers`, this process is what `serve --workers N` runs: the
 * primary of N workers (node:cluster, each running this file) on a Redis
 * and a PostgreSQL of their own, started here on loopback in temporary
 * folders and stopped with the server. Stats are then the whole server's:
 * the CPU and memory of the primary and every worker added up (Redis and
 * PostgreSQL, separate processes, are not counted), the calls and frames
 * added, the worst event-loop delay of any. Each worker writes its own log
 * file (LOG.1, LOG.2, ...).
 *
 * SIP carries no call events to the caller, so this process reports those
 * of SIP calls off the call log (load-sip-events.ts) as `sip-events`, each
 * stamped with performance.timeOrigin + performance.now() when it was
 * logged: one monotonic clock with the load generator's, all processes on
 * this machine.
 */
import cluster, { type Worker } from 'node:cluster';
import { scrypt } from 'node:crypto';
import { createWriteStream } from 'node:fs';
import { monitorEventLoopDelay } from 'node:perf_hooks';
import { DEFAULT_SCRYPT_COST } from '../src/directory/pin-hash.ts';
import type { PacerStats } from '../src/server/frame-pacer.ts';
import { runWorker, startWorkers } from '../src/server/cluster/workers.ts';
import { startServer, type RunningServer } from '../src/server/server.ts';
import type { ServerOptions } from '../src/server/server-options.ts';
import { startPostgres, type PostgresServer } from '../test/helpers/postgres-server.ts';
import { startRedis, type TestRedis } from '../test/helpers/redis-server.ts';
import type { SipEventsMessage } from './load-client.ts';
import { SipEventTap } from './load-sip-events.ts';

export type ServerRequest =
  /** `workers`: the server runs as `serve --workers N` does; `db` is then ignored (a PostgreSQL is started). */
  | { type: 'start'; db: string; config: string; logFile: string; workers?: number }
  /**
   * `gc`: collect first (only while idle: a full collection stalls every
   * call). `reset`: start a new event-loop delay window after this sample.
   */
  | { type: 'stats'; gc?: boolean; reset?: boolean }
  | { type: 'stop' };

export interface ServerStatsReply {
  type: 'stats';
  /** process.cpuUsage() in µs. */
  cpu: { user: number; system: number };
  /** performance.now() when the sample was taken, ms. */
  at: number;
  rss: number;
  heapTotal: number;
  heapUsed: number;
  external: number;
  arrayBuffers: number;
  connections: number;
  calls: number;
  /** The frame clocks of WebSocket and SIP calls, together. */
  pacer: PacerStats;
  /** Event-loop delay since the last reset, ms. */
  loopDelayP99Ms: number;
  loopDelayMaxMs: number;
}

const loopDelay = monitorEventLoopDelay({ resolution: 5 });
loopDelay.enable();

let logLines = 0;

/**
 * A PIN check runs scrypt (N=16384, r=8: 16 MB) on a libuv thread, and that
 * thread's malloc arena keeps the 16 MB afterwards. A server reaches this
 * after its first few concurrent PIN checks, whatever its call count, so it
 * is reached here before the idle baseline rather than charged to calls.
 */
async function touchScryptMemory(): Promise<void> {
  const { N, r, p } = DEFAULT_SCRYPT_COST;
  const threads = Number(process.env['UV_THREADPOOL_SIZE'] ?? 4);
  await Promise.all(
    Array.from({ length: 2 * threads }, () =>
      new Promise((resolve, reject) =>
        scrypt('warm-up', 'salt', 32, { N, r, p, maxmem: 256 * N * r * p + 2 ** 20 }, (error) => (error ? reject(error) : resolve(undefined))),
      ),
    ),
  );
}
/** The WebSocket calls' clock and the SIP calls' clock, as one: frames and misses added, the worst lateness of either. */
function mergePacers(a: PacerStats, b: PacerStats): PacerStats {
  return {
    ticks: a.ticks + b.ticks,
    frames: a.frames + b.frames,
    skippedFrames: a.skippedFrames + b.skippedFrames,
    lateTicks: a.lateTicks + b.lateTicks,
    maxLateMs: Math.max(a.maxLateMs, b.maxLateMs),
  };
}

const gc = (globalThis as { gc?: () => void }).gc;

/** How a worker learns the options the primary was started with (workers run this file, without the IPC of load.ts). */
const START_ENV = 'DIALIN_LOAD_START';
type Start = Extract<ServerRequest, { type: 'start' }> & { redis?: string };

function serverOptions(start: Start, log: (line: string) => void): Partial<ServerOptions> {
  return {
    port: 0,
    host: '127.0.0.1',
    db: start.db,
    config: start.config,
    sipPort: 0,
    maxCalls: 10_000,
    ...(start.redis !== undefined ? { redis: start.redis } : {}),
    log,
  };
}

/** The call log to a file, and SIP calls' events off it to `report`. */
function callLog(file: string, report: (events: SipEventsMessage['events']) => void) {
  const out = createWriteStream(file);
  const tap = new SipEventTap(report);
  const log = (line: string) => {
    const at = performance.timeOrigin + performance.now();
    logLines++;
    out.write(`${line}\n`);
    tap.line(line, at);
  };
  return log;
}

/** This process's sample: its own CPU and memory, its server's calls and pacing. */
function sample(server: RunningServer | undefined, message: { gc?: boolean; reset?: boolean }): ServerStatsReply {
  if (message.gc) gc?.();
  const memory = process.memoryUsage();
  const stats = server?.stats();
  const reply: ServerStatsReply = {
    type: 'stats',
    cpu: process.cpuUsage(),
    at: performance.now(),
    rss: memory.rss,
    heapTotal: memory.heapTotal,
    heapUsed: memory.heapUsed,
    external: memory.external,
    arrayBuffers: memory.arrayBuffers,
    connections: stats?.connections ?? 0,
    calls: stats?.calls ?? 0,
    pacer: !stats ? { ticks: 0, frames: 0, skippedFrames: 0, lateTicks: 0, maxLateMs: 0 } : stats.sip ? mergePacers(stats.pacer, stats.sip.pacer) : stats.pacer,
    loopDelayP99Ms: loopDelay.percentile(99) / 1e6,
    loopDelayMaxMs: loopDelay.max / 1e6,
  };
  if (message.reset) loopDelay.reset();
  return reply;
}

/** The whole server's numbers from the primary's and its workers': resources and counts added, the worst delays. */
function addUp(samples: ServerStatsReply[]): ServerStatsReply {
  const sum = (pick: (s: ServerStatsReply) => number) => samples.reduce((total, s) => total + pick(s), 0);
  const max = (pick: (s: ServerStatsReply) => number) => Math.max(...samples.map(pick));
  return {
    type: 'stats',
    cpu: { user: sum((s) => s.cpu.user), system: sum((s) => s.cpu.system) },
    at: samples[0]!.at,
    rss: sum((s) => s.rss),
    heapTotal: sum((s) => s.heapTotal),
    heapUsed: sum((s) => s.heapUsed),
    external: sum((s) => s.external),
    arrayBuffers: sum((s) => s.arrayBuffers),
    connections: sum((s) => s.connections),
    calls: sum((s) => s.calls),
    pacer: samples.map((s) => s.pacer).reduce(mergePacers),
    loopDelayP99Ms: max((s) => s.loopDelayP99Ms),
    loopDelayMaxMs: max((s) => s.loopDelayMaxMs),
  };
}

function send(message: unknown): void {
  process.send?.(message);
}

interface WorkerSample {
  type: 'load-stats';
  stats: ServerStatsReply;
}

if (cluster.isWorker) {
  // A worker of `--workers N`: one server of the bridge; its samples and SIP events go to the primary.
  const start = JSON.parse(process.env[START_ENV]!) as Start;
  const log = callLog(`${start.logFile}.${cluster.worker!.id}`, (events) => send({ type: 'sip-events', events } satisfies SipEventsMessage));
  const server = await runWorker(serverOptions(start, log));
  await touchScryptMemory();
  gc?.();
  process.on('message', (message: { type?: string; gc?: boolean; reset?: boolean }) => {
    if (message.type === 'load-stats') send({ type: 'load-stats', stats: sample(server, message) } satisfies WorkerSample);
  });
} else {
  let server: RunningServer | undefined;
  let cluster_: { close(): Promise<void>; redis: TestRedis; postgres: PostgresServer } | undefined;

  /** One sample from each worker, over its IPC channel. */
  const workerSamples = ({ gc, reset }: { gc?: boolean; reset?: boolean }) =>
    Promise.all(
      Object.values(cluster.workers ?? {}).map(
        (worker) =>
          new Promise<ServerStatsReply>((resolve) => {
            const onMessage = (reply: WorkerSample) => {
              if (reply.type !== 'load-stats') return;
              worker!.off('message', onMessage);
              resolve(reply.stats);
            };
            worker!.on('message', onMessage);
            worker!.send({ type: 'load-stats', gc, reset });
          }),
      ),
    );

  process.on('message', async (message: ServerRequest) => {
    if (message.type === 'start') {
      if (message.workers === undefined) {
        server = await startServer(serverOptions(message, callLog(message.logFile, (events) => send({ type: 'sip-events', events } satisfies SipEventsMessage))));
        await touchScryptMemory();
        gc?.();
        send({ type: 'ready', url: server.url, sipPort: server.sipPort });
        return;
      }
      const [redis, postgres] = await Promise.all([startRedis(), startPostgres()]);
      // load.ts ends a failed run with SIGTERM: redis-server and postgres, children of this process, must not outlive it.
      process.once('SIGTERM', () => void Promise.allSettled([redis.stop(), postgres.stop()]).then(() => process.exit(1)));
      const start: Start = { ...message, db: await postgres.createDatabase(), redis: redis.url };
      process.env[START_ENV] = JSON.stringify(start);
      // The workers' SIP events reach load.ts as this process's own.
      cluster.on('message', (_worker: Worker, event: { type?: string }) => {
        if (event.type === 'sip-events') send(event);
      });
      const running = await startWorkers(message.workers, serverOptions(start, () => {}), (line) => process.stderr.write(`load server: ${line}\n`));
      cluster_ = { close: () => running.close(), redis, postgres };
      gc?.();
      send({ type: 'ready', url: running.url, sipPort: running.sipPort });
    } else if (message.type === 'stats' && (server || cluster_)) {
      const own = sample(server, message);
      send(cluster_ ? addUp([own, ...(await workerSamples(message))]) : own);
    } else if (message.type === 'stop') {
      await server?.close();
      if (cluster_) {
        await cluster_.close();
        await Promise.all([cluster_.redis.stop(), cluster_.postgres.stop()]);
      }
      process.send?.({ type: 'stopped', logLines }, () => process.exit(0));
    }
  });
  send({ type: 'alive' });
}

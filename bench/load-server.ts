/**
 * The server side of `npm run load`, in its own process so the load
 * generator's work never counts against it. Driven over IPC by bench/load.ts:
 * start → {ready, url, sipPort}; stats → CPU, memory and pacing numbers; stop.
 * Call event log lines go to a file, as `serve > file` would.
 *
 * SIP carries no call events to the caller, so this process reports those
 * of SIP calls off the call log (load-sip-events.ts) as `sip-events`, each
 * stamped with performance.timeOrigin + performance.now() when it was
 * logged: one monotonic clock with the load generator's, both processes on
 * this machine.
 */
import { scrypt } from 'node:crypto';
import { createWriteStream } from 'node:fs';
import { monitorEventLoopDelay } from 'node:perf_hooks';
import { DEFAULT_SCRYPT_COST } from '../src/directory/pin-hash.ts';
import type { PacerStats } from '../src/server/frame-pacer.ts';
import { startServer, type RunningServer } from '../src/server/server.ts';
import type { ServerOptions } from '../src/server/server-options.ts';
import type { SipEventsMessage } from './load-client.ts';
import { SipEventTap } from './load-sip-events.ts';

export type ServerRequest =
  /** `workers`: passed to the server as `serve --workers N` would (load.ts checks the server takes it). */
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

let server: RunningServer | undefined;

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
let logLines = 0;

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

const sipEvents = new SipEventTap((events) => send({ type: 'sip-events', events } satisfies SipEventsMessage));
const gc = (globalThis as { gc?: () => void }).gc;

function send(message: unknown): void {
  process.send?.(message);
}

process.on('message', async (message: ServerRequest) => {
  if (message.type === 'start') {
    const log = createWriteStream(message.logFile);
    server = await startServer({
      port: 0,
      host: '127.0.0.1',
      db: message.db,
      config: message.config,
      sipPort: 0,
      maxCalls: 10_000,
      log: (line) => {
        const at = performance.timeOrigin + performance.now();
        logLines++;
        log.write(`${line}\n`);
        sipEvents.line(line, at);
      },
      // Typed loosely so this file builds before ServerOptions has the field; load.ts refuses --workers until it does.
      ...((message.workers !== undefined ? { workers: message.workers } : {}) as Partial<ServerOptions>),
    });
    await touchScryptMemory();
    gc?.();
    send({ type: 'ready', url: server.url, sipPort: server.sipPort });
  } else if (message.type === 'stats' && server) {
    if (message.gc) gc?.();
    const memory = process.memoryUsage();
    const stats = server.stats();
    const reply: ServerStatsReply = {
      type: 'stats',
      cpu: process.cpuUsage(),
      at: performance.now(),
      rss: memory.rss,
      heapTotal: memory.heapTotal,
      heapUsed: memory.heapUsed,
      external: memory.external,
      arrayBuffers: memory.arrayBuffers,
      connections: stats.connections,
      calls: stats.calls,
      pacer: stats.sip ? mergePacers(stats.pacer, stats.sip.pacer) : stats.pacer,
      loopDelayP99Ms: loopDelay.percentile(99) / 1e6,
      loopDelayMaxMs: loopDelay.max / 1e6,
    };
    if (message.reset) loopDelay.reset();
    send(reply);
  } else if (message.type === 'stop') {
    await server?.close();
    process.send?.({ type: 'stopped', logLines }, () => process.exit(0));
  }
});
send({ type: 'alive' });

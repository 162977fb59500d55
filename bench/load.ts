/**
 * `npm run load`: how many concurrent live calls one server process holds on
 * this machine. For each N in the ramp, a fresh server process (its own
 * temporary database with two conferences) and a separate load-generator
 * process are forked; after 20 warm-up calls, the generator opens N calls
 * over loopback, in thirds native /call, Twilio /twilio and SIP over UDP
 * with RTP (or the protocols `--mix` names), streaming real-time 20 ms frames
 * and keying the conference ID (and, for one caller in 50 of the first
 * conference, the organizer PIN) as in-band DTMF. Once all N are connected,
 * every call keys `#` once more (ignored in the lobby and the meeting) at a
 * random moment of the hold: those keys measure digit latency at N
 * concurrent calls; the keys of the dial-in are reported apart, since they
 * meet the extra work of calls still arriving (DIAL_IN_PER_SECOND).
 *
 * A step holds when every call reaches the lobby or the meeting, every key
 * is heard exactly once, p99 digit latency with all N connected is at most
 * 50 ms and the server grows by at most 100 KB per call over the idle
 * server. The ramp stops after a step where calls fail, keys go missing, or
 * the server's thread is saturated (CPU >= 95% per process). Prints a Markdown table,
 * the same figures by protocol, and the largest N each protocol's calls hold.
 *
 * SIP calls (load-sip-call.ts) get no call events on the wire: the server's
 * process reads them off its call log and reports them (load-server.ts),
 * relayed here to the generator, with digit-heard stamped on the monotonic
 * clock both processes share. They call from their own loopback addresses
 * in groups (load-sip-phones.ts), as phones would, not as one trunk.
 *
 *   npm run load                 # ramp 100, 250, 500, 1000, 1500, 2000
 *   npm run load -- 200 400      # chosen steps
 *   npm run load -- --protocol sip 1000   # RTP calls alone (the target: 1,000 on 2 cores)
 *   npm run load -- --mix native,sip      # calls take these protocols in turn (also LOAD_MIX)
 *   npm run load -- --workers 2 1000      # the server runs its calls on 2 processes (serve --workers, on a Redis
 *                                         # and a PostgreSQL started for it); CPU and memory are all processes' sum
 *   npm run load -- --generators 2 1000   # the calls come from 2 generator processes, each opening every other
 *                                         # call (default: as many as the server's workers)
 *   LOAD_DIAL_IN_PER_SECOND=50 npm run load   # a gentler dial-in (default 250 calls/s)
 *   LOAD_DEBUG=1 npm run load    # also print the server's memory breakdown
 *   LOAD_PROFILE_DIR=dir         # write the server's --cpu-prof there
 *   LOAD_SERVER_FLAGS='--trace-gc'  # extra node flags for the server process
 */
import { fork, type ChildProcess } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { cpus, tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { LoadArgsError, parseLoadArgs, type LoadArgs } from './load-args.ts';
import type { CallResult, LatencySink, LoadProtocol } from './load-call.ts';
import type { CpuReply, PressRequest, RunRequest, RunResult } from './load-client.ts';
import type { ServerRequest, ServerStatsReply } from './load-server.ts';

const TARGETS = {
  p99LatencyMs: 50,
  bytesPerCall: 100 * 1024,
  /** The secondary criterion: what the server adds once the deciding frame is sent. */
  serverP99Ms: 20,
  /** RTP calls alone that one server process on this 2-core machine should hold (`--protocol sip`). */
  sipCalls: 1000,
  /** Concurrent calls of the mix that `--workers 2` should hold on this 2-core machine. */
  workerCalls: 2000,
} as const;
const DEFAULT_STEPS = [100, 250, 500, 1000, 1500, 2000];
/** Time all calls stay connected after the last one has dialed in, ms. */
const HOLD_MS = 5000;
/** Calls placed per second while a step dials in (at least 2 s of dialing). */
const DIAL_IN_PER_SECOND = Number(process.env['LOAD_DIAL_IN_PER_SECOND'] ?? 250);
if (!(DIAL_IN_PER_SECOND > 0)) throw new Error(`LOAD_DIAL_IN_PER_SECOND must be a positive number, got '${process.env['LOAD_DIAL_IN_PER_SECOND']}'`);
/**
 * Two conferences: callers of the first are admitted when its organizer
 * keys the PIN (and then sit in a silent meeting); callers of the second
 * wait in its lobby hearing hold music, because its organizer never calls.
 */
const PIN = '48207';
const DEPLOYMENT = `
users:
  - { id: amos, name: Amos Marble, email: amos@example.com, pin: "${PIN}" }
  - { id: bea, name: Bea Holm, email: bea@example.com }
conferences:
  - { id: "123456", organizer: amos }
  - { id: "654321", organizer: bea }
`;

function parseArgs(): LoadArgs {
  try {
    return parseLoadArgs(process.argv.slice(2), process.env, DEFAULT_STEPS);
  } catch (error) {
    if (!(error instanceof LoadArgsError)) throw error;
    process.stderr.write(`load: ${error.message}\n`);
    process.exit(2);
  }
}
const { steps, mix: MIX, workers, generators } = parseArgs();
/** The server's processes that run calls: its CPU is saturated at 95% of each. */
const SERVER_PROCESSES = workers ?? 1;
/** Load-generator processes: as many as the server's workers unless told. */
const GENERATORS = generators ?? SERVER_PROCESSES;

const here = (file: string) => fileURLToPath(new URL(file, import.meta.url));

const children = new Set<ChildProcess>();
// A failed step must not leave a server or generator running (SIGTERM: a
// server with workers then stops the Redis and PostgreSQL it started).
process.on('exit', () => {
  for (const child of children) child.kill('SIGTERM');
});

function start(file: string, execArgv: string[] = []): ChildProcess {
  if (process.env['LOAD_SERVER_FLAGS'] && file.includes('server')) execArgv = [...execArgv, ...process.env['LOAD_SERVER_FLAGS'].split(' ')];
  if (process.env['LOAD_PROFILE_DIR'] && file.includes('server')) {
    execArgv = [...execArgv, '--cpu-prof', `--cpu-prof-dir=${process.env['LOAD_PROFILE_DIR']}`];
  }
  const child = fork(here(file), [], { execArgv: ['--import', 'tsx', ...execArgv], stdio: ['ignore', 'inherit', 'inherit', 'ipc'] });
  children.add(child);
  child.once('exit', () => children.delete(child));
  return child;
}

function next<T>(child: ChildProcess, type: string, timeoutMs = 60_000): Promise<T> {
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`no '${type}' from ${child.spawnargs.at(-1)} within ${timeoutMs} ms`)), timeoutMs);
    const onExit = (code: number | null) => reject(new Error(`${child.spawnargs.at(-1)} exited (${code}) waiting for '${type}'`));
    const onMessage = (message: { type: string }) => {
      if (message.type !== type) return;
      clearTimeout(timer);
      child.off('message', onMessage);
      child.off('exit', onExit);
      resolve(message as T);
    };
    child.on('message', onMessage);
    child.once('exit', onExit);
  });
}

function percentile(sorted: number[], p: number): number {
  if (sorted.length === 0) return NaN;
  return sorted[Math.min(sorted.length - 1, Math.ceil((p / 100) * sorted.length) - 1)]!;
}

interface Percentiles {
  p50: number;
  p99: number;
  max: number;
}

/** One protocol's share of a step. */
type ProtocolResult = Tally & {
  protocol: LoadProtocol;
  /** Its calls dialed in, its keys were heard once each, their p99 is within the target, and so is the step's memory. */
  holds: boolean;
};

interface StepResult {
  calls: number;
  byProtocol: ProtocolResult[];
  reached: number;
  failed: string[];
  digitsSent: number;
  missed: number;
  extra: number;
  /** Keys pressed once all calls were connected: total and server part. */
  connected: Percentiles;
  connectedServer: Percentiles;
  /** Keys of the dial-in (conference ID, leader answer, PIN). */
  dialing: Percentiles;
  dialingServer: Percentiles;
  cpuUserPct: number;
  serverLateTicks: number;
  serverMaxLateMs: number;
  /** Event-loop delay p99 / max while calls dialed in (ramp) and while all streamed (steady), ms. */
  loopRamp: [number, number];
  loopSteady: [number, number];
  cpuPct: number;
  rssMb: number;
  /** RSS growth over the warmed-up idle server, per call. */
  bytesPerCall: number;
  /** RSS growth over the previous (smaller) step, per added call: fixed costs cancel out (shown, not judged). */
  marginalBytesPerCall: number;
  heapPerCall: number;
  externalPerCall: number;
  framesLatePct: number;
  framesMissingPct: number;
  maxFrameLateMs: number;
  serverSkipped: number;
  clientTickP99: number;
  /** The load generator's CPU over the same window as cpuPct (100% = one core). */
  generatorCpuPct: number;
  holds: boolean;
  serverHolds: boolean;
  /** Holds with the dial-in's keys judged too. */
  dialingHolds: boolean;
}

const WARMUP_CALLS = 20;

/** Merges what several generators measured of one step. */
function mergeRuns(runs: RunResult[]): RunResult {
  const latencies: RunResult['latencies'] = {};
  for (const run of runs) {
    for (const [protocol, sink] of Object.entries(run.latencies) as [LoadProtocol, LatencySink][]) {
      const into = (latencies[protocol] ??= { dialing: { total: [], server: [] }, connected: { total: [], server: [] } });
      for (const phase of ['dialing', 'connected'] as const) {
        into[phase].total.push(...sink[phase].total);
        into[phase].server.push(...sink[phase].server);
      }
    }
  }
  return { type: 'result', latencies, calls: runs.flatMap((run) => run.calls), tickLateMs: runs.flatMap((run) => run.tickLateMs) };
}

/**
 * One run of the load generators: N calls dial in, split over GENERATORS
 * processes (each opens every K-th call); `whileSteady` runs once all have,
 * then all hang up.
 */
async function runCalls(server: ChildProcess, target: ServerReady, calls: number, whileSteady: (clients: ChildProcess[]) => Promise<void>): Promise<RunResult> {
  const count = Math.min(GENERATORS, calls);
  const clients = Array.from({ length: count }, () => start('./load-client.ts'));
  await Promise.all(clients.map((client) => next(client, 'alive')));
  // SIP calls' events come from the server's process (load-server.ts); a generator ignores other generators' calls.
  const relay = (message: { type: string }) => {
    if (message.type !== 'sip-events') return;
    for (const client of clients) if (client.connected) client.send(message);
  };
  server.on('message', relay);
  const rampMs = Math.max(2000, (calls * 1000) / DIAL_IN_PER_SECOND);
  // Listening for results before anything can fail, so that no rejection goes unhandled.
  const results = Promise.all(clients.map((client) => next<RunResult>(client, 'result', rampMs + 60_000)));
  results.catch(() => undefined);
  clients.forEach((client, generator) =>
    client.send({
      type: 'run',
      url: target.url,
      sip: { host: '127.0.0.1', port: target.sipPort },
      mix: MIX,
      pin: PIN,
      calls,
      generator,
      generators: count,
      rampMs,
      conferences: ['123456', '654321'],
      organizerEvery: 100,
      organizerOffset: 40,
      steadyTimeoutMs: rampMs + 30_000,
    } satisfies RunRequest),
  );
  try {
    await Promise.all(clients.map((client) => next(client, 'steady', rampMs + 40_000)));
    await whileSteady(clients);
    for (const client of clients) client.send({ type: 'hangup' });
    return mergeRuns(await results);
  } finally {
    server.off('message', relay);
    for (const client of clients) if (client.exitCode === null) client.kill('SIGTERM');
  }
}

interface ServerReady {
  url: string;
  sipPort: number;
}

async function runStep(calls: number, dir: string): Promise<StepResult> {
  const server = start('./load-server.ts', ['--expose-gc']);
  try {
    return await measureStep(server, calls, dir);
  } finally {
    if (server.connected) {
      server.send({ type: 'stop' });
      await next(server, 'stopped').catch(() => undefined);
    }
  }
}

async function measureStep(server: ChildProcess, calls: number, dir: string): Promise<StepResult> {
  await next(server, 'alive');
  const config = join(dir, 'deployment.yaml');
  writeFileSync(config, DEPLOYMENT);
  server.send({
    type: 'start',
    db: join(dir, `load-${calls}.db`),
    config,
    logFile: join(dir, `load-${calls}.log`),
    ...(workers !== undefined ? { workers } : {}),
  } satisfies ServerRequest);
  const ready = await next<ServerReady>(server, 'ready');
  const stats = async (gc = false, reset = false) => {
    server.send({ type: 'stats', gc, reset });
    return next<ServerStatsReply>(server, 'stats');
  };
  // Warm-up calls first, so that code compiled and pools grown on the first
  // calls are not charged to the measured ones.
  await runCalls(server, ready, WARMUP_CALLS, async () => {});
  await new Promise((resolve) => setTimeout(resolve, 500));
  const idle = await stats(true, true);
  let first: ServerStatsReply | undefined;
  let last: ServerStatsReply | undefined;
  let memory: ServerStatsReply | undefined;
  let ramp: ServerStatsReply | undefined;
  let generatorPct = NaN;
  /** The generators' CPU time together, ms. */
  const generatorCpu = async (clients: ChildProcess[]) => {
    const replies = await Promise.all(
      clients.map((client) => {
        client.send({ type: 'cpu' });
        return next<CpuReply>(client, 'cpu');
      }),
    );
    return { ms: replies.reduce((sum, { cpu }) => sum + (cpu.user + cpu.system) / 1000, 0), at: performance.now() };
  };
  const result = await runCalls(server, ready, calls, async (clients) => {
    const generatorFirst = await generatorCpu(clients);
    ramp = first = await stats(false, true);
    for (const client of clients) client.send({ type: 'press', digit: '#', spreadMs: HOLD_MS - 1000 } satisfies PressRequest);
    await new Promise((resolve) => setTimeout(resolve, HOLD_MS));
    last = await stats();
    const generatorLast = await generatorCpu(clients);
    generatorPct = ((generatorLast.ms - generatorFirst.ms) / (generatorLast.at - generatorFirst.at)) * 100;
    // Memory after a full collection, once the pacing measurement is over
    // (a collection pauses every call).
    for (const client of clients) client.send({ type: 'freeze' });
    await Promise.all(clients.map((client) => next(client, 'frozen')));
    memory = await stats(true);
  });
  if (!first || !last || !memory || !ramp) throw new Error('no server statistics');
  if (process.env['LOAD_DEBUG']) {
    const mb = (r: ServerStatsReply) =>
      `rss ${(r.rss / 2 ** 20).toFixed(1)} heapTotal ${(r.heapTotal / 2 ** 20).toFixed(1)} heapUsed ${(r.heapUsed / 2 ** 20).toFixed(1)} ` +
      `external ${(r.external / 2 ** 20).toFixed(1)} arrayBuffers ${(r.arrayBuffers / 2 ** 20).toFixed(1)}`;
    process.stderr.write(`load: ${calls} idle: ${mb(idle)}\nload: ${calls} busy: ${mb(memory)}\n`);
  }
  const cpuMs = (last.cpu.user + last.cpu.system - first.cpu.user - first.cpu.system) / 1000;
  const tick = result.tickLateMs.sort((a, b) => a - b);
  const protocols = MIX.filter((protocol, i) => MIX.indexOf(protocol) === i);
  const step: StepResult = {
    ...tally(result.calls, Object.values(result.latencies)),
    calls,
    byProtocol: protocols.map((protocol) => ({
      protocol,
      ...tally(
        result.calls.filter((c) => c.protocol === protocol),
        [result.latencies[protocol] ?? { dialing: { total: [], server: [] }, connected: { total: [], server: [] } }],
      ),
      holds: false,
    })),
    cpuPct: (cpuMs / (last.at - first.at)) * 100,
    cpuUserPct: ((last.cpu.user - first.cpu.user) / 1000 / (last.at - first.at)) * 100,
    serverLateTicks: last.pacer.lateTicks,
    loopRamp: [ramp.loopDelayP99Ms, ramp.loopDelayMaxMs],
    loopSteady: [last.loopDelayP99Ms, last.loopDelayMaxMs],
    serverMaxLateMs: last.pacer.maxLateMs,
    rssMb: memory.rss / 2 ** 20,
    bytesPerCall: (memory.rss - idle.rss) / calls,
    marginalBytesPerCall: NaN,
    heapPerCall: (memory.heapUsed - idle.heapUsed) / calls,
    externalPerCall: (memory.external - idle.external) / calls,
    serverSkipped: last.pacer.skippedFrames,
    clientTickP99: percentile(tick, 99),
    generatorCpuPct: generatorPct,
    holds: false,
    serverHolds: false,
    dialingHolds: false,
  };
  return step;
}

function spread(values: number[]): Percentiles {
  const sorted = values.sort((a, b) => a - b);
  return { p50: percentile(sorted, 50), p99: percentile(sorted, 99), max: sorted.at(-1) ?? NaN };
}

/** What a set of calls shows: how many dialed in, their keys and latencies, their frames. */
function tally(calls: CallResult[], latencies: LatencySink[]) {
  const frames = calls.reduce(
    (sum, c) => ({ received: sum.received + c.framesReceived, expected: sum.expected + c.framesExpected, late: sum.late + c.lateFrames }),
    { received: 0, expected: 0, late: 0 },
  );
  const all = (pick: (sink: LatencySink) => number[]) => spread(latencies.flatMap(pick));
  return {
    calls: calls.length,
    reached: calls.filter((c) => c.reached !== undefined).length,
    failed: calls.filter((c) => c.reached === undefined || c.error).map((c) => c.error ?? 'did not dial in'),
    digitsSent: calls.reduce((sum, c) => sum + c.sent, 0),
    missed: calls.reduce((sum, c) => sum + c.missed, 0),
    extra: calls.reduce((sum, c) => sum + c.extra, 0),
    connected: all((l) => l.connected.total),
    connectedServer: all((l) => l.connected.server),
    dialing: all((l) => l.dialing.total),
    dialingServer: all((l) => l.dialing.server),
    framesLatePct: (frames.late / Math.max(1, frames.received)) * 100,
    framesMissingPct: (Math.max(0, frames.expected - frames.received) / Math.max(1, frames.expected)) * 100,
    maxFrameLateMs: Math.max(0, ...calls.map((c) => c.maxLateMs)),
    retransmissions: calls.reduce((sum, c) => sum + c.retransmissions, 0),
  };
}

type Tally = ReturnType<typeof tally>;

/** Every call dialed in and every key was heard exactly once. */
const digitsExact = (s: Pick<Tally, 'calls' | 'reached' | 'failed' | 'missed' | 'extra'>) =>
  s.reached === s.calls && s.failed.length === 0 && s.missed === 0 && s.extra === 0;

function judge(step: StepResult, previous: StepResult | undefined): void {
  if (previous && previous.calls < step.calls) {
    step.marginalBytesPerCall = ((step.rssMb - previous.rssMb) * 2 ** 20) / (step.calls - previous.calls);
  }
  // RSS can end below the idle server's (V8 gives back heap it grew while
  // the workers started), so the bound is checked on the larger growth.
  const withinMemory = Math.max(step.bytesPerCall, step.heapPerCall + step.externalPerCall) <= TARGETS.bytesPerCall;
  const base = digitsExact(step) && withinMemory;
  step.holds = base && step.connected.p99 <= TARGETS.p99LatencyMs;
  step.serverHolds = base && step.connectedServer.p99 <= TARGETS.serverP99Ms;
  step.dialingHolds = step.holds && step.dialing.p99 <= TARGETS.p99LatencyMs;
  for (const share of step.byProtocol) {
    share.holds = digitsExact(share) && withinMemory && share.connected.p99 <= TARGETS.p99LatencyMs;
  }
}

const PROTOCOL_NAMES: Record<LoadProtocol, string> = {
  native: 'native /call, 8 or 16 kHz PCM',
  twilio: 'Twilio /twilio, µ-law',
  sip: 'SIP over UDP with 20 ms PCMU RTP, keys in-band',
};

const fmt = (value: number, digits = 1) => (Number.isFinite(value) ? value.toFixed(digits) : '–');
const three = (p: Percentiles) => `${fmt(p.p50)} / ${fmt(p.p99)} / ${fmt(p.max)}`;
const yes = (ok: boolean) => (ok ? 'yes' : 'no');

function row(s: StepResult): string {
  return (
    `| ${s.calls} | ${s.reached} | ${s.digitsSent} | ${s.missed} / ${s.extra} | ${three(s.connected)} | ` +
    `${fmt(s.connectedServer.p50)} / ${fmt(s.connectedServer.p99)} | ${three(s.dialing)} | ` +
    `${fmt(s.dialingServer.p50)} / ${fmt(s.dialingServer.p99)} | ${fmt(s.cpuPct, 0)}% (${fmt(s.cpuUserPct, 0)}% user) | ${fmt(s.rssMb, 0)} | ` +
    `${fmt(s.bytesPerCall / 1024)} / ${fmt(s.marginalBytesPerCall / 1024)} (${fmt(s.heapPerCall / 1024)} + ${fmt(s.externalPerCall / 1024)}) | ` +
    `${fmt(s.framesLatePct, 2)}% / ${fmt(s.framesMissingPct, 2)}% / ${fmt(s.maxFrameLateMs, 0)} | ` +
    `${s.serverSkipped} / ${s.serverLateTicks} / ${fmt(s.serverMaxLateMs, 0)} | ` +
    `${fmt(s.loopRamp[0], 0)} / ${fmt(s.loopRamp[1], 0)}, ${fmt(s.loopSteady[0], 0)} / ${fmt(s.loopSteady[1], 0)} | ${fmt(s.generatorCpuPct, 0)}% / ${fmt(s.clientTickP99)} | ` +
    `${yes(s.holds)} / ${yes(s.serverHolds)} / ${yes(s.dialingHolds)} |`
  );
}

const dir = mkdtempSync(join(tmpdir(), 'dialin-load-'));
const results: StepResult[] = [];
console.log(`# dialin-sim load test\n`);
console.log(`node ${process.version}, ${cpus().length} cores (${cpus()[0]?.model ?? 'unknown'}); server and ${GENERATORS === 1 ? 'load generator' : `${GENERATORS} load generators`} in separate processes over loopback` +
    `${workers === undefined ? '' : `; the server runs ${workers} workers (serve --workers) on Redis and PostgreSQL, its CPU and memory the sum of its processes'`}.`,
);
console.log(
  `Calls take the protocols ${MIX.join(', ')} in turn (${MIX.map((p) => PROTOCOL_NAMES[p]).join('; ')}). ` +
    `Half call conference 123456, where one caller in 50 keys the ` +
    `organizer PIN and the rest join the meeting; half call 654321 and wait in its lobby with hold music. ` +
    `Calls dial in at ${DIAL_IN_PER_SECOND} per second; each step holds ${HOLD_MS / 1000} s after every call has dialed in, ` +
    `during which every call keys # once at a random moment.\n`,
);
/** A step that could not be measured (a generator or the server did not answer in time), and why. */
let unmeasured: { calls: number; reason: string } | undefined;
try {
  for (const calls of steps) {
    let step: StepResult;
    try {
      step = await runStep(calls, dir);
    } catch (error) {
      unmeasured = { calls, reason: (error as Error).message };
      process.stderr.write(`load: ${calls} calls: not measured: ${unmeasured.reason}\n`);
      break;
    }
    judge(step, results.at(-1));
    results.push(step);
    process.stderr.write(
      `load: ${calls} calls: ${step.holds ? 'holds' : 'fails'}, server part ${step.serverHolds ? 'holds' : 'fails'}, ` +
        `with the dial-in ${step.dialingHolds ? 'holds' : 'fails'}` +
        `${step.failed.length ? ` (${step.failed.length} failed: ${step.failed[0]})` : ''}\n`,
    );
    // Larger steps can only do worse once calls fail, digits go astray, or
    // the server's threads are saturated.
    if (!digitsExact(step) || step.cpuPct >= 95 * SERVER_PROCESSES) break;
  }
} finally {
  rmSync(dir, { recursive: true, force: true });
}
console.log(
  '| calls | dialed in | digits | missed / extra | digit latency, all connected: p50 / p99 / max (ms) | server part, all connected: p50 / p99 (ms) | ' +
    'digit latency while dialing in: p50 / p99 / max (ms) | server part while dialing in: p50 / p99 (ms) | server CPU | server RSS (MB) | ' +
    'KB per call: vs idle / vs previous step (heap + external) | frames late / missing / worst (ms) | server skipped / late ticks / worst (ms) | ' +
    'server loop delay p99 / max, dialing in and streaming (ms) | ' +
    'generator CPU / tick p99 (ms) | holds: all connected / server part / with the dial-in |',
);
console.log('|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|:---:|');
for (const step of results) console.log(row(step));
if (unmeasured) console.log(`\n${unmeasured.calls} calls: not measured, and the ramp stopped there: ${unmeasured.reason}.`);
if (MIX.length > 1) {
  console.log('\nBy protocol (N counts every call of the step):\n');
  console.log(
    '| calls | protocol | its calls | dialed in | digits | missed / extra | digit latency, all connected: p50 / p99 / max (ms) | server part, all connected: p50 / p99 (ms) | ' +
      'digit latency while dialing in: p50 / p99 / max (ms) | frames late / missing / worst (ms) | SIP requests sent again | holds |',
  );
  console.log('|---:|:---|---:|---:|---:|---:|---:|---:|---:|---:|---:|:---:|');
  for (const step of results) {
    for (const p of step.byProtocol) {
      console.log(
        `| ${step.calls} | ${p.protocol} | ${p.calls} | ${p.reached} | ${p.digitsSent} | ${p.missed} / ${p.extra} | ${three(p.connected)} | ` +
          `${fmt(p.connectedServer.p50)} / ${fmt(p.connectedServer.p99)} | ${three(p.dialing)} | ` +
          `${fmt(p.framesLatePct, 2)}% / ${fmt(p.framesMissingPct, 2)}% / ${fmt(p.maxFrameLateMs, 0)} | ${p.protocol === 'sip' ? p.retransmissions : '–'} | ${yes(p.holds)} |`,
      );
    }
  }
}
const largest = (pick: (s: StepResult) => boolean) => {
  const held = results.filter(pick).map((r) => r.calls);
  return held.length > 0 ? String(Math.max(...held)) : 'none';
};
console.log(
  `\nLargest N that holds (every digit heard once, digit latency p99 ≤ ${TARGETS.p99LatencyMs} ms with all N connected, ≤ ${TARGETS.bytesPerCall / 1024} KB per call): ` +
    `${largest((s) => s.holds)}`,
);
console.log(
  `Largest N that holds with the dial-in's keys too (their p99 ≤ ${TARGETS.p99LatencyMs} ms while ${DIAL_IN_PER_SECOND} calls a second arrive): ` +
    `${largest((s) => s.dialingHolds)}`,
);
console.log(
  `Largest N whose server part holds (every digit heard once, server part p99 ≤ ${TARGETS.serverP99Ms} ms, ≤ ${TARGETS.bytesPerCall / 1024} KB per call): ` +
    `${largest((s) => s.serverHolds)}`,
);
if (MIX.length > 1) {
  console.log(
    `Largest N whose calls of each protocol hold (the same criteria on that protocol's calls): ` +
      MIX.filter((p, i) => MIX.indexOf(p) === i)
        .map((p) => `${p} ${largest((s) => s.byProtocol.some((share) => share.protocol === p && share.holds))}`)
        .join(', '),
  );
}
if (MIX.includes('sip')) {
  const sipAlone = MIX.every((p) => p === 'sip');
  const verdict = !sipAlone
    ? `measured with RTP calls alone: npm run load -- --protocol sip ${TARGETS.sipCalls}`
    : results.some((s) => s.calls >= TARGETS.sipCalls && s.holds)
      ? 'met'
      : results.some((s) => s.calls <= TARGETS.sipCalls && !s.holds)
        ? 'MISSED'
        : `not measured (no step of ${TARGETS.sipCalls} calls or more)`;
  console.log(`Target: ${TARGETS.sipCalls.toLocaleString('en-US')} concurrent RTP calls alone on this machine, holding as above: ${verdict}.`);
}
if (workers !== undefined) {
  const held = results.some((s) => s.calls >= TARGETS.workerCalls && s.holds && s.dialingHolds);
  const failed = unmeasured !== undefined || results.some((s) => s.calls <= TARGETS.workerCalls && !(s.holds && s.dialingHolds));
  const verdict = held ? 'met' : failed ? 'MISSED' : `not measured (no step of ${TARGETS.workerCalls} calls or more)`;
  console.log(
    `Target: ${TARGETS.workerCalls.toLocaleString('en-US')} concurrent calls with --workers 2 on this machine, holding as above with the dial-in's keys too: ${verdict}` +
      `${workers === 2 ? '' : ` (this run has ${workers} workers)`}.`,
  );
}
console.log('Digit latency: arrival of digit-heard at the caller minus the end of the tone on the caller’s clock. The decoder confirms a digit 15 ms into the silence after it and audio travels in 20 ms frames, so 15–35 ms of it is spent before the deciding frame is even sent.');
console.log('Server part: arrival of digit-heard minus the sending of the frame that lets the decoder confirm the key (found by running the same decoder in the generator): network, queueing and processing.');
if (MIX.includes('sip')) {
  console.log(
    'SIP calls: SIP sends no call events, so the server process reports each SIP call’s events from its call log, stamped on a monotonic clock both processes share ' +
      '(performance.timeOrigin + performance.now()); digit-heard time is when the server logged it, with no return trip to the caller in it. ' +
      'The log masks digits 0-9 (call-log.ts): a SIP call’s keys are matched by position and by * and #, and a key heard as another digit shows as a call that misses its conference.',
  );
}
console.log(
  `Server and generator CPU: share of one core while all calls stream (100% = one core; the machine has ${cpus().length}; ` +
    `${GENERATORS === 1 ? 'one generator' : `the ${GENERATORS} generators' sum`}). ` +
    `Memory: RSS after a full collection, per call; the ${TARGETS.bytesPerCall / 1024} KB bound applies to the larger of its growth and the heap + external growth.`,
);
console.log('Frames late: more than 40 ms behind the 20 ms grid of the second before, at the caller; missing: frames the caller never got.');

/**
 * PIN directory benchmark: the cost of one scrypt verification, the
 * directory's verifyLeaderPin end to end, and proof that 100 concurrent
 * verifications leave the event loop free (scrypt runs on libuv's thread
 * pool). A synchronous scryptSync run shows what blocking would look like.
 *
 *   npx tsx bench/main.ts directory
 */
import { randomBytes, scryptSync } from 'node:crypto';
import { cpus } from 'node:os';
import { monitorEventLoopDelay, performance } from 'node:perf_hooks';
import { manualClock } from '../src/directory/clock.ts';
import { applyDeployment, loadDeployment } from '../src/directory/deployment.ts';
import { PinDirectory } from '../src/directory/pin-directory.ts';
import { DEFAULT_SCRYPT_COST, hashPin, verifyPin } from '../src/directory/pin-hash.ts';

function percentile(sorted: number[], fraction: number): number {
  return sorted[Math.min(sorted.length - 1, Math.ceil(fraction * sorted.length) - 1)]!;
}

function summary(samples: number[]): string {
  const sorted = [...samples].sort((a, b) => a - b);
  const median = percentile(sorted, 0.5).toFixed(1);
  return `median ${median} ms, p99 ${percentile(sorted, 0.99).toFixed(1)} ms (n=${samples.length})`;
}

async function timeEach(count: number, action: () => Promise<unknown>): Promise<number[]> {
  const samples: number[] = [];
  for (let i = 0; i < count; i++) {
    const start = performance.now();
    await action();
    samples.push(performance.now() - start);
  }
  return samples;
}

/** Runs `work` while watching the event loop two ways: the histogram and a 10 ms interval. */
export interface LoopWatch {
  wallMs: number;
  p50DelayMs: number;
  p99DelayMs: number;
  maxDelayMs: number;
  worstGapMs: number;
  ticks: number;
  tickMs: number;
}

async function watchLoop(work: () => Promise<unknown> | unknown): Promise<LoopWatch> {
  const histogram = monitorEventLoopDelay({ resolution: 5 });
  const tickMs = 10;
  let last = performance.now();
  let worstGapMs = 0;
  let ticks = 0;
  const timer = setInterval(() => {
    const now = performance.now();
    worstGapMs = Math.max(worstGapMs, now - last);
    last = now;
    ticks++;
  }, tickMs);
  histogram.enable();
  // Let the interval settle before the work starts.
  await new Promise((resolve) => setTimeout(resolve, 50));
  const start = performance.now();
  await work();
  const wallMs = performance.now() - start;
  await new Promise((resolve) => setTimeout(resolve, 30));
  histogram.disable();
  clearInterval(timer);
  return {
    wallMs,
    p50DelayMs: histogram.percentile(50) / 1e6,
    p99DelayMs: histogram.percentile(99) / 1e6,
    maxDelayMs: histogram.max / 1e6,
    worstGapMs,
    ticks,
    tickMs,
  };
}

export interface DirectoryResults {
  cost: { N: number; r: number; p: number };
  /** UV_THREADPOOL_SIZE, or "4 (default)". */
  pool: string;
  cores: number;
  /** Times of each call, ms. */
  verifyPinMs: number[];
  rightPinMs: number[];
  wrongPinMs: number[];
  /** 100 concurrent verifyPin. */
  concurrent: LoopWatch;
  /** 20 scryptSync on the main thread. */
  blocking: LoopWatch;
}

export const title = 'PIN directory: scrypt verification and the event loop';

export async function measure(): Promise<DirectoryResults> {
  const cost = DEFAULT_SCRYPT_COST;
  const stored = await hashPin('80317', cost);
  await verifyPin('80317', stored); // warm-up
  const verifyPinMs = await timeEach(40, () => verifyPin('80317', stored));

  const directory = await PinDirectory.open(':memory:', { clock: manualClock() });
  await applyDeployment(
    directory,
    loadDeployment(
      'policy: { maxLogonAttempts: { local: 999, global: 99999 } }\n' +
        'users:\n  - { id: amos, name: Amos, email: amos@contoso.com, pin: "80317" }\n' +
        'conferences:\n  - { id: "123456", organizer: amos }\n',
      'bench.yaml',
    ),
  );
  const rightPinMs = await timeEach(20, () => directory.verifyLeaderPin('123456', '80317'));
  const wrongPinMs = await timeEach(20, () => directory.verifyLeaderPin('123456', '55055'));
  await directory.close();

  const concurrent = await watchLoop(() => Promise.all(Array.from({ length: 100 }, () => verifyPin('80317', stored))));
  const salt = randomBytes(16);
  const blocking = await watchLoop(() => {
    for (let i = 0; i < 20; i++) scryptSync('80317', salt, 32, { ...cost, maxmem: 256 * cost.N * cost.r * cost.p });
  });
  return {
    cost: { N: cost.N, r: cost.r, p: cost.p },
    pool: process.env.UV_THREADPOOL_SIZE ?? '4 (default)',
    cores: cpus().length,
    verifyPinMs,
    rightPinMs,
    wrongPinMs,
    concurrent,
    blocking,
  };
}

export function render(results: DirectoryResults): string[] {
  const { cost, concurrent, blocking } = results;
  const rate = (100 / concurrent.wallMs) * 1000;
  return [
    `scrypt N=${cost.N}, r=${cost.r}, p=${cost.p} (${(128 * cost.N * cost.r) / 2 ** 20} MiB per hash), ` +
      `libuv thread pool ${results.pool}, ${results.cores} cores`,
    '',
    '| measurement | result |',
    '|---|---|',
    `| verifyPin, one at a time | ${summary(results.verifyPinMs)} |`,
    `| verifyLeaderPin, right PIN (scrypt + SQLite read) | ${summary(results.rightPinMs)} |`,
    `| verifyLeaderPin, wrong PIN (scrypt + counted failure) | ${summary(results.wrongPinMs)} |`,
    `| 100 concurrent verifyPin: wall time | ${concurrent.wallMs.toFixed(0)} ms (${rate.toFixed(1)} verifications/s) |`,
    `| ... event-loop delay p50 / p99 / max (monitorEventLoopDelay) | ` +
      `${concurrent.p50DelayMs.toFixed(1)} / ${concurrent.p99DelayMs.toFixed(1)} / ${concurrent.maxDelayMs.toFixed(1)} ms |`,
    `| ... worst gap between ${concurrent.tickMs} ms interval ticks | ` +
      `${concurrent.worstGapMs.toFixed(1)} ms (${concurrent.ticks} ticks) |`,
    `| for contrast, 20 × scryptSync on the main thread (${blocking.wallMs.toFixed(0)} ms): max event-loop delay | ` +
      `${blocking.maxDelayMs.toFixed(1)} ms |`,
    `| ... worst gap between ${blocking.tickMs} ms interval ticks | ${blocking.worstGapMs.toFixed(1)} ms |`,
  ];
}

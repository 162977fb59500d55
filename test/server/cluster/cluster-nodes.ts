/**
 * Several servers acting as one bridge, for the cluster tests: each a real
 * server on 127.0.0.1 port 0 with the test timings of test-server.ts, all
 * pointed at one Redis and one SQLite file (which several processes may
 * share in WAL mode). The first to open the file sets up the demo
 * deployment and prints its organizer PIN.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { startServer, type RunningServer } from '../../../src/server/server.ts';
import type { ServerOptions } from '../../../src/server/server-options.ts';

export interface ClusterTestNode extends RunningServer {
  readonly lines: string[];
}

/** The flow timings of test-server.ts: short enough that a test stays within seconds. */
export const TEST_FLOW = {
  firstDigitTimeoutMs: 3000,
  interDigitTimeoutMs: 2000,
  leaderQuestionTimeoutMs: 2000,
  pinFirstDigitTimeoutMs: 3000,
  pinInterDigitTimeoutMs: 2000,
};

/** A temporary directory holding the bridge's database file; remove() deletes it. */
export function sharedDatabase(): { db: string; remove(): void } {
  const dir = mkdtempSync(join(tmpdir(), 'dialin-cluster-'));
  return { db: join(dir, 'bridge.db'), remove: () => rmSync(dir, { recursive: true, force: true }) };
}

export async function startNode(redis: string, db: string, overrides: Partial<ServerOptions> = {}): Promise<ClusterTestNode> {
  const lines: string[] = [];
  const server = await startServer({
    port: 0,
    host: '127.0.0.1',
    db,
    redis,
    playbackSpeed: 4,
    maxAudioLeadMs: 5000,
    flow: TEST_FLOW,
    log: (line) => lines.push(line),
    ...overrides,
  });
  return Object.assign(server, { lines });
}

/** Resolves once `check` holds, polling; rejects naming `what` after `timeoutMs`. */
export async function until(check: () => boolean | Promise<boolean>, timeoutMs: number, what: string): Promise<void> {
  const deadline = performance.now() + timeoutMs;
  while (!(await check())) {
    if (performance.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
}

export interface NodeProcess {
  readonly url: string;
  /** Everything the process has written to stdout. */
  readonly output: () => string;
  readonly child: import('node:child_process').ChildProcess;
  readonly exited: Promise<void>;
}

/** A node in a child process (node-process.ts), e.g. to be killed with SIGKILL. */
export async function startNodeProcess(redis: string, db: string, leaseMs: number): Promise<NodeProcess> {
  const { spawn } = await import('node:child_process');
  const script = new URL('./node-process.ts', import.meta.url).pathname;
  const child = spawn(process.execPath, ['--import', 'tsx', script, redis, db, String(leaseMs)], { stdio: ['ignore', 'pipe', 'pipe'] });
  let out = '';
  child.stdout!.on('data', (data: Buffer) => (out += data.toString()));
  child.stderr!.on('data', (data: Buffer) => (out += data.toString()));
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  // Generous: a cold tsx start on a loaded machine takes a while.
  await until(() => out.includes('ready {') || child.exitCode !== null, 60_000, 'the node process');
  const ready = /ready (\{.*\})/.exec(out);
  if (!ready) throw new Error(`node process failed: ${out}`);
  return { url: (JSON.parse(ready[1]!) as { url: string }).url, output: () => out, child, exited };
}

/** Wall times of whole processes, for the start-up and whole-process decode benchmarks. */
import { spawnSync } from 'node:child_process';

export function median(values: readonly number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  const middle = sorted.length >> 1;
  return sorted.length % 2 === 1 ? sorted[middle]! : (sorted[middle - 1]! + sorted[middle]!) / 2;
}

/** Runs `command` once, in ms of wall time; throws with its output if it fails. */
export function timeProcess(command: string, args: readonly string[], okStatus: readonly number[] = [0]): number {
  const started = performance.now();
  const run = spawnSync(command, args, { encoding: 'utf8', maxBuffer: 64 << 20 });
  const ms = performance.now() - started;
  if (run.error) throw run.error;
  if (!okStatus.includes(run.status ?? -1)) throw new Error(`${command} ${args.join(' ')} failed (${run.status}):\n${run.stderr}`);
  return ms;
}

/** Whether `command` can be run at all (for optional tools such as multimon-ng). */
export function hasCommand(command: string): boolean {
  return !spawnSync(command, ['-h'], { stdio: 'ignore' }).error;
}

export const formatMs = (ms: number) => `${Math.round(ms)} ms`;
export const verdict = (ok: boolean) => (ok ? 'met' : 'MISSED');

/** Builds dist/ first when it is missing or stale, so the build is what gets measured. */
export async function ensureFreshBuild(): Promise<void> {
  const { freshBundle } = await import('../bin/cli-bundle.js');
  if (freshBundle(new URL('../dist/', import.meta.url))) return;
  const { buildCli } = await import('../scripts/build-cli.js');
  await buildCli();
  console.error('bench: dist/ was missing or stale; built it first');
}

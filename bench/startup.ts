/**
 * Start-up benchmark: how long `dialin-sim` takes as a user runs it, a
 * fresh `node bin/dialin-sim.js` process, for `--help` and for a real
 * command (decoding a one-second file), from the JavaScript build; beside
 * Node alone and the same commands from source through tsx (what runs while
 * the build is stale). Runs alternate, so load on the machine hits all alike.
 */
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { synthesizeDtmf } from '../src/dsp/dtmf-generator.ts';
import { writeWavFile } from '../src/wav/wav-writer.ts';
import { ensureFreshBuild, formatMs, median, timeProcess, verdict } from './process-runs.ts';

const RUNS = 9;
/** Any command starts and finishes its small job within this. */
const TARGET_MS = 150;

const BIN = new URL('../bin/dialin-sim.js', import.meta.url).pathname;
/** What bin/dialin-sim.js runs when the build is stale. */
const FROM_SOURCE = `const { register } = await import('tsx/esm/api'); register();
const { runMain } = await import(${JSON.stringify(new URL('../src/cli/main.ts', import.meta.url).href)});
await runMain(process.argv.slice(1));`;

/** Medians, ms of wall time. */
export interface StartupResults {
  nodeMs: number;
  helpMs: number;
  decodeMs: number;
  helpFromSourceMs: number;
  decodeFromSourceMs: number;
}

export const title = 'Start-up';

export async function measure(): Promise<StartupResults> {
  await ensureFreshBuild();
  const dir = await mkdtemp(join(tmpdir(), 'dialin-bench-startup-'));
  try {
    const wav = join(dir, 'one-second.wav');
    await writeWavFile(wav, { sampleRate: 8000, samples: synthesizeDtmf('123#', { leadMs: 200 }) });
    const cases: Record<keyof StartupResults, string[]> = {
      nodeMs: ['-e', '0'],
      helpMs: [BIN, '--help'],
      decodeMs: [BIN, 'decode', wav],
      helpFromSourceMs: ['--input-type=module', '-e', FROM_SOURCE, '--', '--help'],
      decodeFromSourceMs: ['--input-type=module', '-e', FROM_SOURCE, '--', 'decode', wav],
    };
    const times = Object.fromEntries(Object.keys(cases).map((name) => [name, [] as number[]])) as Record<keyof StartupResults, number[]>;
    for (let run = 0; run < RUNS; run++) {
      for (const [name, args] of Object.entries(cases)) times[name as keyof StartupResults].push(timeProcess(process.execPath, args));
    }
    return Object.fromEntries(Object.entries(times).map(([name, runs]) => [name, median(runs)])) as unknown as StartupResults;
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
}

export function render(results: StartupResults): string[] {
  const row = (what: string, built: number, source: number) =>
    `| ${what} | ${formatMs(built)} | +${formatMs(built - results.nodeMs)} | ${formatMs(source)} | ≤ ${TARGET_MS} ms: ${verdict(built <= TARGET_MS)} |`;
  return [
    `Wall time of a fresh process, median of ${RUNS} runs each, run in turn, beside \`node -e 0\` (Node alone): ${formatMs(results.nodeMs)}. ` +
      'The decoded file holds 1 s of 8 kHz audio.',
    '',
    '| process | from the build (dist/) | beyond Node alone | from source through tsx | target |',
    '| --- | --- | --- | --- | --- |',
    row('`node bin/dialin-sim.js --help`', results.helpMs, results.helpFromSourceMs),
    row('`node bin/dialin-sim.js decode one-second.wav`', results.decodeMs, results.decodeFromSourceMs),
  ];
}

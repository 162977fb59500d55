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
import { freshBundle } from '../bin/cli-bundle.js';
import { buildCli } from '../scripts/build-cli.js';
import { synthesizeDtmf } from '../src/dsp/dtmf-generator.ts';
import { writeWavFile } from '../src/wav/wav-writer.ts';
import type { BenchSection } from './main.ts';
import { formatMs, median, timeProcess, verdict } from './process-runs.ts';

const RUNS = 9;
/** Any command starts and finishes its small job within this. */
const TARGET_MS = 150;

const BIN = new URL('../bin/dialin-sim.js', import.meta.url).pathname;
/** What bin/dialin-sim.js runs when the build is stale. */
const FROM_SOURCE = `const { register } = await import('tsx/esm/api'); register();
const { runMain } = await import(${JSON.stringify(new URL('../src/cli/main.ts', import.meta.url).href)});
await runMain(process.argv.slice(1));`;

export async function runBench(): Promise<BenchSection> {
  const notes: string[] = [];
  if (!freshBundle(new URL('../dist/', import.meta.url))) {
    await buildCli();
    notes.push('The build in dist/ was missing or stale; this run built it first.');
  }
  const dir = await mkdtemp(join(tmpdir(), 'dialin-bench-startup-'));
  const wav = join(dir, 'one-second.wav');
  await writeWavFile(wav, { sampleRate: 8000, samples: synthesizeDtmf('123#', { leadMs: 200 }) });
  const cases = {
    node: ['-e', '0'],
    help: [BIN, '--help'],
    decode: [BIN, 'decode', wav],
    helpTsx: ['--input-type=module', '-e', FROM_SOURCE, '--', '--help'],
    decodeTsx: ['--input-type=module', '-e', FROM_SOURCE, '--', 'decode', wav],
  };
  const times: Record<keyof typeof cases, number[]> = { node: [], help: [], decode: [], helpTsx: [], decodeTsx: [] };
  for (let run = 0; run < RUNS; run++) {
    for (const [name, args] of Object.entries(cases)) times[name as keyof typeof cases].push(timeProcess(process.execPath, args));
  }
  await rm(dir, { recursive: true, force: true });
  const m = Object.fromEntries(Object.entries(times).map(([name, runs]) => [name, median(runs)])) as Record<keyof typeof cases, number>;
  const row = (what: string, built: number, source?: number) =>
    source === undefined
      ? `| ${what} | ${formatMs(built)} | | | |`
      : `| ${what} | ${formatMs(built)} | +${formatMs(built - m.node)} | ${formatMs(source)} | ≤ ${TARGET_MS} ms: ${verdict(built <= TARGET_MS)} |`;
  return {
    title: 'Start-up',
    lines: [
      ...notes,
      `Wall time of a fresh process, median of ${RUNS} runs each, run in turn; the decoded file holds 1 s of 8 kHz audio.`,
      '',
      '| process | from the build (dist/) | beyond Node alone | from source through tsx | target |',
      '| --- | --- | --- | --- | --- |',
      row('`node -e 0` (Node alone)', m.node),
      row('`node bin/dialin-sim.js --help`', m.help, m.helpTsx),
      row('`node bin/dialin-sim.js decode one-second.wav`', m.decode, m.decodeTsx),
    ],
  };
}

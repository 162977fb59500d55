/**
 * Regenerates audio/prompts/*.wav, the IVR's committed audio:
 * - every spoken prompt: espeak-ng speaks the text of src/media/prompt-texts.ts,
 *   sox converts it to telephone audio (8 kHz, 16-bit, mono, 200 Hz high-pass,
 *   silence trimmed, peak at -3 dBFS, short lead and tail silence);
 * - hold-music.wav: one loop of src/media/hold-music.ts.
 *
 * Usage: npm run prompts [-- --out <dir>]
 *
 * Deterministic and idempotent: the same tool versions give the same bytes
 * (sox runs with -R, repeatable, and -D, no dither), and each file is written
 * to a temporary name and renamed, so an interrupted run leaves no half file.
 */
import { spawnSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, renameSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { PROMPTS, type PromptName } from '../src/flow/names.ts';
import { synthesizeHoldMusic } from '../src/media/hold-music.ts';
import { PROMPT_TEXTS } from '../src/media/prompt-texts.ts';
import { writeWav } from '../src/wav/wav-writer.ts';

/** Sample rate of every committed prompt (narrowband telephony, G.711). */
const PROMPT_RATE = 8000;
/** espeak-ng voice and speaking rate in words per minute. */
const VOICE = 'en-us';
const WORDS_PER_MINUTE = 160;
/** Speech peak after normalisation; leaves headroom for codecs and mixing. */
const PEAK_DBFS = -3;
const LEAD_SILENCE_S = 0.1;
const TAIL_SILENCE_S = 0.25;
/** Below this level the ends of espeak-ng's output count as silence and are trimmed. */
const TRIM_THRESHOLD = '-50d';

const DEFAULT_OUT_DIR = fileURLToPath(new URL('../audio/prompts/', import.meta.url));
const PCM_OUT = ['-t', 'wav', '-r', String(PROMPT_RATE), '-c', '1', '-b', '16', '-e', 'signed-integer'];

class ToolError extends Error {}

/** Runs a tool to completion and returns its standard output. */
function run(tool: string, args: string[]): string {
  const result = spawnSync(tool, args, { stdio: ['pipe', 'pipe', 'pipe'], maxBuffer: 1 << 20 });
  if (result.error && (result.error as NodeJS.ErrnoException).code === 'ENOENT') {
    throw new ToolError(`${tool} is not installed or not on PATH (Debian/Ubuntu: apt-get install ${tool})`);
  }
  if (result.error) throw new ToolError(`${tool} could not run: ${result.error.message}`);
  if (result.status !== 0) {
    throw new ToolError(`${tool} ${args.join(' ')} failed (exit ${result.status}): ${result.stderr.toString().trim()}`);
  }
  return result.stdout.toString();
}

function checkTools(): void {
  run('espeak-ng', ['--version']);
  run('sox', ['--version']);
}

function speak(name: PromptName, text: string, workDir: string, outPath: string): void {
  const raw = join(workDir, `${name}.espeak.wav`);
  run('espeak-ng', ['-v', VOICE, '-s', String(WORDS_PER_MINUTE), '-w', raw, text]);
  run('sox', [
    '-R', '-D', raw, ...PCM_OUT, outPath,
    'silence', '1', '0.01', TRIM_THRESHOLD, 'reverse', 'silence', '1', '0.01', TRIM_THRESHOLD, 'reverse',
    'rate', '-v', String(PROMPT_RATE),
    'highpass', '200',
    'gain', '-n', String(PEAK_DBFS),
    'pad', String(LEAD_SILENCE_S), String(TAIL_SILENCE_S),
  ]);
}

function writeHoldMusic(outPath: string): void {
  writeFileSync(outPath, writeWav({ sampleRate: PROMPT_RATE, samples: synthesizeHoldMusic({ sampleRate: PROMPT_RATE }) }));
}

function main(): number {
  const { values } = parseArgs({ options: { out: { type: 'string' } }, strict: true });
  const outDir = resolve(values.out ?? DEFAULT_OUT_DIR);
  checkTools();
  mkdirSync(outDir, { recursive: true });
  const workDir = mkdtempSync(join(tmpdir(), 'dialin-prompts-'));
  try {
    for (const name of PROMPTS) {
      const finalPath = join(outDir, `${name}.wav`);
      const partPath = `${finalPath}.part`;
      if (name === 'hold-music') writeHoldMusic(partPath);
      else speak(name, PROMPT_TEXTS[name], workDir, partPath);
      renameSync(partPath, finalPath);
      const seconds = Number(run('sox', ['--info', '-D', finalPath]));
      const kilobytes = statSync(finalPath).size / 1024;
      console.log(`${name.padEnd(24)} ${seconds.toFixed(3).padStart(7)} s ${kilobytes.toFixed(0).padStart(5)} KiB`);
    }
  } finally {
    rmSync(workDir, { recursive: true, force: true });
  }
  return 0;
}

try {
  process.exitCode = main();
} catch (error) {
  if (error instanceof ToolError || (error instanceof TypeError && 'code' in error && error.code === 'ERR_PARSE_ARGS_UNKNOWN_OPTION')) {
    console.error(`make-prompts: ${error.message}`);
    process.exitCode = 1;
  } else {
    throw error;
  }
}

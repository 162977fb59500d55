/**
 * Whole-process decode benchmark: `dialin-sim decode` of 88 minutes of
 * call-like 8 kHz audio (bench/decoder-audio.ts) as a fresh process, beside
 * multimon-ng (`multimon-ng -a DTMF -t raw`) on the same audio resampled by
 * sox to the 22,050 Hz raw input it reads, runs alternating in one session;
 * several files through `decode`'s worker pool against the same files one
 * process at a time; and the detector in process on music and speech alone.
 */
import { spawnSync } from 'node:child_process';
import { readdirSync } from 'node:fs';
import { mkdtemp, rm } from 'node:fs/promises';
import { availableParallelism, tmpdir } from 'node:os';
import { join } from 'node:path';
import { DtmfDetector } from '../src/dsp/dtmf-detector.ts';
import { toInt16 } from '../src/dsp/dtmf-generator.ts';
import { writeWavFile } from '../src/wav/wav-writer.ts';
import { chords, melody } from '../test/dsp/helpers/music.ts';
import { readWavFixture } from '../test/dsp/helpers/wav-fixture.ts';
import { BENCH_RATE, buildBenchAudio } from './decoder-audio.ts';
import { ensureFreshBuild, formatMs, hasCommand, median, timeProcess, verdict } from './process-runs.ts';

const MINUTES = 88;
const RUNS = 5;
const FILES = 4;
/** In process, on music and speech alone, one core. */
const MUSIC_SPEECH_TARGET = 20_000;
const BIN = new URL('../bin/dialin-sim.js', import.meta.url).pathname;

/** Audio seconds per CPU second of the native detector, 20 ms pushes, median of RUNS. */
function detectorSpeed(samples: Int16Array): number {
  const speeds: number[] = [];
  for (let run = -1; run < RUNS; run++) { // run -1 warms the JIT up and is not counted
    const detector = new DtmfDetector({ sampleRate: BENCH_RATE });
    const started = process.cpuUsage();
    for (let at = 0; at < samples.length; at += 160) detector.push(samples.subarray(at, at + 160));
    detector.flush();
    const used = process.cpuUsage(started);
    if (run >= 0) speeds.push(samples.length / BENCH_RATE / ((used.user + used.system) / 1e6));
  }
  return median(speeds);
}

function musicAndSpeech(): Int16Array {
  const fixtures = new URL('../test/fixtures/talk-off/', import.meta.url).pathname;
  const speech = readdirSync(fixtures).filter((name) => name.endsWith('.wav')).sort()
    .map((name) => Float32Array.from(readWavFixture(fixtures + name).samples));
  const music = [chords(60, BENCH_RATE, 11, 2500), melody(60, BENCH_RATE, 12, 3000)];
  const parts = [...music, ...speech, ...speech, ...speech];
  const mixed = new Float32Array(parts.reduce((sum, part) => sum + part.length, 0));
  let at = 0;
  for (const part of parts) {
    mixed.set(part, at);
    at += part.length;
  }
  return toInt16(mixed);
}

export interface DecodeProcessResults {
  minutes: number;
  /** Medians and runs, ms of wall time. */
  oursMs: number[];
  /** Empty when multimon-ng or sox is not installed. */
  multimonMs: number[];
  pooledMs: number;
  oneByOneMs: number;
  cores: number;
  /** Audio seconds per CPU second. */
  musicSpeechSpeed: number;
}

export const title = 'Whole-process decode';

export async function measure(): Promise<DecodeProcessResults> {
  await ensureFreshBuild();
  const dir = await mkdtemp(join(tmpdir(), 'dialin-bench-decode-'));
  try {
    const audio = buildBenchAudio(MINUTES * 60);
    const wav = join(dir, 'calls.wav');
    await writeWavFile(wav, { sampleRate: BENCH_RATE, samples: audio.samples });
    const raw = join(dir, 'calls-22050.raw');
    const sox = spawnSync('sox', [wav, '-r', '22050', '-t', 'raw', '-e', 'signed', '-b', '16', '-c', '1', raw], { stdio: 'ignore' });
    const multimon = sox.status === 0 && hasCommand('multimon-ng');
    const oursMs: number[] = [];
    const multimonMs: number[] = [];
    for (let run = 0; run < RUNS; run++) {
      oursMs.push(timeProcess(process.execPath, [BIN, 'decode', wav]));
      if (multimon) multimonMs.push(timeProcess('multimon-ng', ['-q', '-a', 'DTMF', '-t', 'raw', raw]));
    }

    // The same audio in FILES pieces: through the pool, and one process per file.
    const pieces: string[] = [];
    const length = Math.ceil(audio.samples.length / FILES);
    for (let i = 0; i < FILES; i++) {
      pieces.push(join(dir, `part-${i + 1}.wav`));
      await writeWavFile(pieces[i]!, { sampleRate: BENCH_RATE, samples: audio.samples.subarray(i * length, (i + 1) * length) });
    }
    const pooled: number[] = [];
    const oneByOne: number[] = [];
    for (let run = 0; run < RUNS; run++) {
      pooled.push(timeProcess(process.execPath, [BIN, 'decode', ...pieces]));
      oneByOne.push(pieces.reduce((sum, piece) => sum + timeProcess(process.execPath, [BIN, 'decode', piece]), 0));
    }
    return {
      minutes: audio.samples.length / BENCH_RATE / 60,
      oursMs,
      multimonMs,
      pooledMs: median(pooled),
      oneByOneMs: median(oneByOne),
      cores: availableParallelism(),
      musicSpeechSpeed: detectorSpeed(musicAndSpeech()),
    };
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
}

export function render(results: DecodeProcessResults): string[] {
  const ours = median(results.oursMs);
  const runs = (times: number[]) => `${formatMs(median(times))} (runs ${times.map(Math.round).join(', ')})`;
  const measured = results.multimonMs.length > 0;
  const theirs = measured ? median(results.multimonMs) : NaN;
  const workers = Math.min(FILES, results.cores);
  const speedup = results.oneByOneMs / results.pooledMs;
  const wanted = 0.75 * workers;
  return [
    `Audio: ${results.minutes.toFixed(1)} min of call-like 8 kHz 16-bit PCM (bench/decoder-audio.ts), one WAV file; multimon-ng reads the same audio ` +
      `resampled by sox to 22,050 Hz raw. Wall time of a fresh process, median of ${RUNS}, the two run in turn.`,
    '',
    '| process | wall time (median) | target |',
    '| --- | --- | --- |',
    `| \`dialin-sim decode calls.wav\` | ${runs(results.oursMs)} | ` +
      (measured
        ? `≤ multimon-ng: ${verdict(ours <= theirs)} (${(ours / theirs).toFixed(2)}x its time) |`
        : 'MISSED: not measured, multimon-ng (or sox) is not installed |'),
    `| \`multimon-ng -a DTMF -t raw calls-22050.raw\` | ${measured ? runs(results.multimonMs) : 'not installed (`apt-get install multimon-ng`)'} | |`,
    `| \`dialin-sim decode\` of the same audio as ${FILES} files (${workers} workers on ${results.cores} cores) | ` +
      `${formatMs(results.pooledMs)}, ${speedup.toFixed(2)}x faster than one process per file (${formatMs(results.oneByOneMs)}) | ` +
      `≥ ${wanted.toFixed(2)}x (0.75 per core used): ${verdict(speedup >= wanted)} |`,
    `| native detector in process, music and speech alone (chords, melodies and the espeak-ng talk-off clips, CPU time, median of ${RUNS}) | ` +
      `${Math.round(results.musicSpeechSpeed).toLocaleString('en-US')}x real time | ` +
      `≥ ${MUSIC_SPEECH_TARGET.toLocaleString('en-US')}x: ${verdict(results.musicSpeechSpeed >= MUSIC_SPEECH_TARGET)} |`,
  ];
}

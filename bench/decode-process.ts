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
import { freshBundle } from '../bin/cli-bundle.js';
import { buildCli } from '../scripts/build-cli.js';
import { DtmfDetector } from '../src/dsp/dtmf-detector.ts';
import { toInt16 } from '../src/dsp/dtmf-generator.ts';
import { writeWavFile } from '../src/wav/wav-writer.ts';
import { chords, melody } from '../test/dsp/helpers/music.ts';
import { readWavFixture } from '../test/dsp/helpers/wav-fixture.ts';
import { BENCH_RATE, buildBenchAudio } from './decoder-audio.ts';
import type { BenchSection } from './main.ts';
import { formatMs, hasCommand, median, timeProcess, verdict } from './process-runs.ts';

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

export async function runBench(): Promise<BenchSection> {
  const lines: string[] = [];
  if (!freshBundle(new URL('../dist/', import.meta.url))) {
    await buildCli();
    lines.push('The build in dist/ was missing or stale; this run built it first.', '');
  }
  const dir = await mkdtemp(join(tmpdir(), 'dialin-bench-decode-'));
  try {
    const audio = buildBenchAudio(MINUTES * 60);
    const wav = join(dir, 'calls.wav');
    await writeWavFile(wav, { sampleRate: BENCH_RATE, samples: audio.samples });
    const minutes = (audio.samples.length / BENCH_RATE / 60).toFixed(1);

    const ours: number[] = [];
    const theirs: number[] = [];
    const raw = join(dir, 'calls-22050.raw');
    const sox = spawnSync('sox', [wav, '-r', '22050', '-t', 'raw', '-e', 'signed', '-b', '16', '-c', '1', raw], { stdio: 'ignore' });
    const multimon = sox.status === 0 && hasCommand('multimon-ng');
    for (let run = 0; run < RUNS; run++) {
      ours.push(timeProcess(process.execPath, [BIN, 'decode', wav]));
      if (multimon) theirs.push(timeProcess('multimon-ng', ['-q', '-a', 'DTMF', '-t', 'raw', raw]));
    }
    lines.push(
      `Audio: ${minutes} min of call-like 8 kHz 16-bit PCM (bench/decoder-audio.ts), one WAV file; multimon-ng reads the same audio ` +
        `resampled by sox to 22,050 Hz raw. Wall time of a fresh process, median of ${RUNS}, the two run in turn.`,
      '',
      '| process | wall time (median) | target |',
      '| --- | --- | --- |',
      `| \`dialin-sim decode calls.wav\` | ${formatMs(median(ours))} (runs ${ours.map(Math.round).join(', ')}) | ` +
        (multimon ? `≤ multimon-ng: ${verdict(median(ours) <= median(theirs))} (${(median(ours) / median(theirs)).toFixed(2)}x its time) |` : 'MISSED: not measured, multimon-ng (or sox) is not installed |'),
      multimon
        ? `| \`multimon-ng -a DTMF -t raw calls-22050.raw\` | ${formatMs(median(theirs))} (runs ${theirs.map(Math.round).join(', ')}) | |`
        : '| `multimon-ng` | not installed (`apt-get install multimon-ng`) | |',
    );

    // The same audio in FILES pieces: through the pool, and one process per file.
    const pieces: string[] = [];
    const length = Math.ceil(audio.samples.length / FILES);
    for (let i = 0; i < FILES; i++) {
      pieces.push(join(dir, `part-${i + 1}.wav`));
      await writeWavFile(pieces[i]!, { sampleRate: BENCH_RATE, samples: audio.samples.subarray(i * length, (i + 1) * length) });
    }
    const pooled: number[] = [];
    const serial: number[] = [];
    for (let run = 0; run < RUNS; run++) {
      pooled.push(timeProcess(process.execPath, [BIN, 'decode', ...pieces]));
      serial.push(pieces.reduce((sum, piece) => sum + timeProcess(process.execPath, [BIN, 'decode', piece]), 0));
    }
    const cores = availableParallelism();
    const speedup = median(serial) / median(pooled);
    const wanted = 0.75 * Math.min(FILES, cores);
    lines.push(
      `| \`dialin-sim decode\` of the same audio as ${FILES} files (${Math.min(FILES, cores)} workers on ${cores} cores) | ` +
        `${formatMs(median(pooled))}, ${speedup.toFixed(2)}x faster than one process per file (${formatMs(median(serial))}) | ` +
        `≥ ${wanted.toFixed(2)}x (0.75 per core used): ${verdict(speedup >= wanted)} |`,
    );

    const speed = detectorSpeed(musicAndSpeech());
    lines.push(
      `| native detector in process, music and speech alone (bench/decoder-audio.ts's chords, melodies and espeak-ng clips, CPU time, median of ${RUNS}) | ` +
        `${Math.round(speed).toLocaleString('en-US')}x real time | ≥ ${MUSIC_SPEECH_TARGET.toLocaleString('en-US')}x: ${verdict(speed >= MUSIC_SPEECH_TARGET)} |`,
    );
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
  return { title: 'Whole-process decode', lines };
}

/**
 * Talk-off on real recordings: every file of the corpus `npm run corpus`
 * builds (music, recorded prompts and espeak-ng speech from Debian packages,
 * each also through µ-law) decoded by the native detector; any digit found
 * is a false one. Target 0 (Q.24's AT&T column allows one false digit in
 * 3,000 calls). multimon-ng, when installed, decodes the same files
 * resampled by sox to the 22,050 Hz raw input it reads.
 */
import { spawnSync } from 'node:child_process';
import { existsSync, readFileSync, rmSync } from 'node:fs';
import { mkdtemp } from 'node:fs/promises';
import { homedir, tmpdir } from 'node:os';
import { join } from 'node:path';
import { DtmfDetector } from '../src/dsp/dtmf-detector.ts';
import type { DigitEvent } from '../src/dsp/dtmf-keys.ts';
import { readWav } from '../src/wav/wav-reader.ts';
import { defaultCorpusDir } from '../scripts/corpus/corpus-args.ts';
import { parseManifest, type CorpusCodec } from '../scripts/corpus/corpus-manifest.ts';
import type { CorpusKind } from '../scripts/corpus/corpus-sources.ts';
import { hasCommand, verdict } from './process-runs.ts';

export interface CorpusFileResult {
  file: string;
  kind: CorpusKind;
  codec: CorpusCodec;
  package: string;
  /** BCP 47 tag; '' for music. */
  language: string;
  seconds: number;
  /** Every digit the native detector reported: all false. */
  digits: DigitEvent[];
}

/** multimon-ng's digits in one run over many files of one kind and codec, joined end to end. */
export interface MultimonBatch {
  kind: CorpusKind;
  codec: CorpusCodec;
  digits: number;
}

export interface TalkOffCorpusResults {
  /** The corpus folder, with the home folder as '~'. */
  dir: string;
  /** Why nothing was measured, or null. */
  missing: string | null;
  files: CorpusFileResult[];
  /** Null when multimon-ng (or sox) is not installed. */
  multimon: MultimonBatch[] | null;
}

export const title = 'Talk-off on recorded music and speech';

const KINDS: readonly CorpusKind[] = ['music', 'prompts', 'speech'];
const WORST = 5;
const PUSH = 160; // 20 ms at 8 kHz, as a call's frames arrive
/** Files per multimon-ng run: thousands of short prompts would otherwise cost two processes each. */
const BATCH = 250;

/** The corpus folder: $DIALIN_TALK_OFF_CORPUS, else where `npm run corpus` builds it by default. */
export const corpusDir = () => process.env['DIALIN_TALK_OFF_CORPUS'] || defaultCorpusDir(homedir());

function decode(samples: Int16Array): DigitEvent[] {
  const detector = new DtmfDetector({ sampleRate: 8000 });
  const digits: DigitEvent[] = [];
  for (let at = 0; at < samples.length; at += PUSH) digits.push(...detector.push(samples.subarray(at, at + PUSH)));
  digits.push(...detector.flush());
  return digits;
}

function multimonDigits(wavs: readonly string[], raw: string): number {
  const sox = spawnSync('nice', ['-n', '10', 'sox', ...wavs, '-r', '22050', '-t', 'raw', '-e', 'signed', '-b', '16', '-c', '1', raw], { stdio: 'ignore' });
  if (sox.status !== 0) throw new Error(`sox could not resample ${wavs[0]} and the rest of its batch`);
  const out = spawnSync('nice', ['-n', '10', 'multimon-ng', '-q', '-a', 'DTMF', '-t', 'raw', raw], { encoding: 'utf8', maxBuffer: 16 << 20 });
  return out.stdout.split('\n').filter((line) => line.startsWith('DTMF: ')).length;
}

export async function measure(): Promise<TalkOffCorpusResults> {
  const dir = corpusDir();
  const shown = dir.startsWith(homedir()) ? `~${dir.slice(homedir().length)}` : dir;
  const manifestPath = join(dir, 'manifest.json');
  if (!existsSync(manifestPath)) return { dir: shown, missing: `no ${join(shown, 'manifest.json')}`, files: [], multimon: null };
  const manifest = parseManifest(readFileSync(manifestPath, 'utf8'), manifestPath);
  const multimon = hasCommand('multimon-ng') && hasCommand('sox');
  const scratch = await mkdtemp(join(tmpdir(), 'dialin-talk-off-'));
  const files: CorpusFileResult[] = [];
  try {
    for (const entry of manifest.entries) {
      const path = join(dir, entry.file);
      if (!existsSync(path)) return { dir: shown, missing: `${entry.file} is in the manifest but not on disk`, files: [], multimon: null };
      const audio = await readWav(path);
      files.push({
        file: entry.file,
        kind: entry.kind,
        codec: entry.codec,
        package: entry.package,
        language: entry.language,
        seconds: audio.sampleCount / audio.sampleRate,
        digits: decode(audio.samples),
      });
    }
    if (!multimon) return { dir: shown, missing: null, files, multimon: null };
    const batches: MultimonBatch[] = [];
    for (const kind of KINDS) {
      for (const codec of ['linear', 'mu-law'] as const) {
        const paths = files.filter((file) => file.kind === kind && file.codec === codec).map((file) => join(dir, file.file));
        for (let at = 0; at < paths.length; at += BATCH) {
          batches.push({ kind, codec, digits: multimonDigits(paths.slice(at, at + BATCH), join(scratch, 'audio.raw')) });
        }
      }
    }
    return { dir: shown, missing: null, files, multimon: batches };
  } finally {
    rmSync(scratch, { recursive: true, force: true });
  }
}

const sum = (files: readonly CorpusFileResult[], of: (file: CorpusFileResult) => number) => files.reduce((total, file) => total + of(file), 0);
const hours = (files: readonly CorpusFileResult[]) => sum(files, (file) => file.seconds) / 3600;

type Audio = { kind?: CorpusKind; codec?: CorpusCodec };

function row(label: string, results: TalkOffCorpusResults, audio: Audio, withTarget: boolean): string {
  const chosen = <T extends Audio>(items: readonly T[]) =>
    items.filter((item) => (audio.kind === undefined || item.kind === audio.kind) && (audio.codec === undefined || item.codec === audio.codec));
  const files = chosen(results.files);
  const h = hours(files);
  const ours = sum(files, (file) => file.digits.length);
  const theirs = results.multimon === null ? 'not run' : String(chosen(results.multimon).reduce((total, batch) => total + batch.digits, 0));
  const perHour = h > 0 ? (ours / h).toFixed(2) : '–';
  return `| ${label} | ${h.toFixed(2)} | ${ours} | ${perHour} | ${theirs} | ${withTarget ? `0: ${verdict(ours === 0)}` : ''} |`;
}

const at = (ms: number) => `${(ms / 1000).toFixed(2)} s`;

export function render(results: TalkOffCorpusResults): string[] {
  if (results.missing !== null) return [`not measured: run npm run corpus (${results.missing})`];
  const { files } = results;
  const multimonRan = results.multimon !== null;
  const worst = files.filter((file) => file.digits.length > 0).sort((a, b) => b.digits.length - a.digits.length || (a.file < b.file ? -1 : 1)).slice(0, WORST);
  const languages = (kind: CorpusKind) => new Set(files.filter((file) => file.kind === kind).map((file) => file.language.split('-')[0])).size;
  return [
    `Corpus: ${files.length} files, ${hours(files).toFixed(2)} h of 8 kHz mono audio in ${results.dir}, built by \`npm run corpus\` from Debian packages ` +
      `(game music in several genres, MIDI through timidity, recorded Asterisk prompts in ${languages('prompts')} languages, ` +
      `espeak-ng and festival reading manual pages and the GPL in ${languages('speech')} languages), ` +
      'every file also through G.711 µ-law and back. The native detector decodes each file in 20 ms pushes; every digit it reports is false. ' +
      (multimonRan ? `multimon-ng decodes the same files resampled by sox to 22,050 Hz raw, ${BATCH} files of a kind joined per run.` : 'multimon-ng is not installed (`apt-get install multimon-ng`): not compared.'),
    '',
    '| audio | hours | false digits | per hour | multimon-ng false digits | target |',
    '| --- | ---: | ---: | ---: | ---: | --- |',
    ...KINDS.map((kind) => row(kind, results, { kind }, false)),
    row('of which through µ-law', results, { codec: 'mu-law' }, false),
    row('all', results, {}, true),
    '',
    '| worst file | false digits | digits (time in file) |',
    '| --- | ---: | --- |',
    ...Array.from({ length: WORST }, (_, rank) => {
      const file = worst[rank];
      if (file === undefined) return `| #${rank + 1} | – | – |`;
      const listed = file.digits.slice(0, 6).map((digit) => `${digit.digit} ${at(digit.startMs)}`).join(', ');
      return `| #${rank + 1} | ${file.digits.length} | \`${file.file}\` (${file.package}): ${listed}${file.digits.length > 6 ? ', …' : ''} |`;
    }),
  ];
}

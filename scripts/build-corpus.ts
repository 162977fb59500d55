/**
 * `npm run corpus [-- --out DIR]`: builds the talk-off corpus, hours of real
 * music, recorded prompts and synthetic speech from Debian packages as 8 kHz
 * mono WAV, each file also through G.711 µ-law and back, with manifest.json.
 * Installs nothing: names the apt packages that are missing and builds what
 * it can. Files already built are kept (resumable); the same packages give
 * the same files (sox without dither, sorted inputs).
 */
import { spawnSync, type SpawnSyncOptions } from 'node:child_process';
import { createHash } from 'node:crypto';
import { existsSync, mkdirSync, readdirSync, readFileSync, renameSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { homedir } from 'node:os';
import { dirname, join } from 'node:path';
import { readWav } from '../src/wav/wav-reader.ts';
import { CorpusArgsError, CORPUS_USAGE, parseCorpusArgs } from './corpus/corpus-args.ts';
import { buildManifest, type CorpusCodec, type ManifestEntry } from './corpus/corpus-manifest.ts';
import { checkReadiness, checkUniqueNames, planSource, type PlannedItem, type SourceFile } from './corpus/corpus-plan.ts';
import { MAN_PAGES, SOURCES, TOOLS, type CorpusSource } from './corpus/corpus-sources.ts';
import { speakableText } from './corpus/speakable-text.ts';

/** The goal is no false digit in at least this many hours; a shorter corpus says too little. */
const MIN_HOURS = 4;
const RENDER_RATE = 22050;

function run(command: string, args: string[], options: SpawnSyncOptions = {}): string {
  // Conversions share two cores with other work: always niced.
  const result = spawnSync('nice', ['-n', '10', command, ...args], { encoding: 'utf8', maxBuffer: 64 << 20, ...options });
  if (result.status !== 0) {
    const why = String(result.stderr ?? '').trim().split('\n').pop() || (result.signal ? `killed by ${result.signal}` : `exit ${result.status}`);
    throw new Error(`${command} ${args.join(' ')}: ${why}`);
  }
  return String(result.stdout ?? '');
}

const hasCommand = (command: string) => spawnSync('sh', ['-c', `command -v ${command}`], { stdio: 'ignore' }).status === 0;

function installedPackages(names: readonly string[]): Map<string, string> {
  const result = spawnSync('dpkg-query', ['-W', '-f', '${Package}\t${Version}\t${db:Status-Status}\n', ...names], { encoding: 'utf8' });
  const found = new Map<string, string>();
  for (const line of result.stdout.split('\n')) {
    const [name, version, status] = line.split('\t');
    if (name && version && status === 'installed') found.set(name, version);
  }
  return found;
}

function packageFiles(source: CorpusSource): SourceFile[] {
  const paths = source.package === MAN_PAGES ? walk(source.pathContains) : run('dpkg', ['-L', source.package]).split('\n');
  return paths.flatMap((path) => {
    if (path === '' || !existsSync(path)) return [];
    const stat = statSync(path);
    return stat.isFile() ? [{ path, size: stat.size }] : [];
  });
}

function walk(dir: string): string[] {
  if (!existsSync(dir)) return [];
  return readdirSync(dir, { withFileTypes: true }).flatMap((entry) =>
    // Regular files only: a symbolic link (editor.1.gz, from update-alternatives) belongs to no package.
    entry.isDirectory() ? walk(join(dir, entry.name)) : entry.isFile() ? [join(dir, entry.name)] : []);
}

/** The package a manual page belongs to (`dpkg -S`), for the manifest. */
function owner(path: string): string {
  return run('dpkg', ['-S', path]).split(':')[0]!.trim();
}

const toCorpusRate = (input: string, output: string) =>
  run('sox', ['-D', '-G', input, '-r', '8000', '-c', '1', '-b', '16', '-e', 'signed-integer', output]);

function render(item: PlannedItem, output: string, scratch: string, textChars: number): void {
  const { source, originalPath } = item;
  const rendered = `${scratch}.render.wav`;
  if (source.renderer === 'sox') return void toCorpusRate(originalPath, output);
  if (source.renderer === 'timidity') {
    run('timidity', ['-c', source.config!, '-idqq', '-Ow', '--output-mono', '-s', String(RENDER_RATE), '-o', rendered, originalPath], { stdio: ['ignore', 'ignore', 'pipe'] });
  } else if (source.renderer === 'openmpt') {
    run('openmpt123', ['--batch', '--quiet', '--no-float', '--dither', '0', '--samplerate', String(RENDER_RATE), '--channels', '1', '--force', '-o', rendered, originalPath]);
  } else {
    // Speech: a manual page as man formats it (or a plain text), read by espeak-ng or festival.
    const formatted = originalPath.endsWith('.gz')
      ? run('man', ['-l', originalPath], { env: { ...process.env, LC_ALL: 'C.UTF-8', MANWIDTH: '80', MAN_KEEP_FORMATTING: '' } })
      : readFileSync(originalPath, 'utf8');
    const textFile = `${scratch}.txt`;
    writeFileSync(textFile, speakableText(formatted, textChars, { lettersOnly: source.renderer === 'festival' }));
    if (source.renderer === 'espeak') run('espeak-ng', ['-v', source.voice!, '-w', rendered, '-f', textFile]);
    else run('text2wave', ['-eval', `(${source.voice})`, '-o', rendered, textFile]);
    rmSync(textFile);
  }
  toCorpusRate(rendered, output);
  rmSync(rendered);
}

/** The µ-law copy: encoded to G.711 µ-law by sox and decoded back to 16-bit PCM. */
function throughMuLaw(input: string, output: string, scratch: string): void {
  const encoded = `${scratch}.ulaw.wav`;
  run('sox', ['-D', input, '-e', 'mu-law', '-b', '8', encoded]);
  run('sox', ['-D', encoded, '-e', 'signed-integer', '-b', '16', output]);
  rmSync(encoded);
}

/** Writes `path` through a temporary name, so that an interrupted build leaves no half file to skip next time. */
function buildOnce(path: string, make: (partial: string) => void): boolean {
  if (existsSync(path)) return false;
  mkdirSync(dirname(path), { recursive: true });
  const partial = `${path}.part.wav`;
  make(partial);
  renameSync(partial, path);
  return true;
}

async function main(): Promise<number> {
  let args;
  try {
    args = parseCorpusArgs(process.argv.slice(2), homedir());
  } catch (error) {
    if (!(error instanceof CorpusArgsError)) throw error;
    console.error(`build-corpus: ${error.message}`);
    return 2;
  }
  if (args.help) {
    console.log(CORPUS_USAGE);
    return 0;
  }
  if (!hasCommand('sox') || !hasCommand('dpkg-query')) {
    console.error('build-corpus: needs sox and dpkg-query: apt-get install sox libsox-fmt-all');
    return 1;
  }

  const wanted = new Set<string>(['sox', 'espeak-ng-data']);
  for (const source of SOURCES) {
    if (source.package !== MAN_PAGES) wanted.add(source.package);
    for (const tool of TOOLS[source.renderer]) wanted.add(tool.package);
    for (const pkg of source.needs ?? []) wanted.add(pkg);
  }
  const packages = installedPackages([...wanted]);
  const commands = new Set([...new Set(Object.values(TOOLS).flat().map((tool) => tool.command))].filter(hasCommand));
  const readiness = checkReadiness(SOURCES, { packages, commands }, (source) => (source.package === MAN_PAGES ? null : source.package));
  for (const missing of readiness.install) console.error(`build-corpus: missing ${missing.package} (for ${missing.for}): apt-get install ${missing.package}`);

  const items = readiness.usable.flatMap((source) => planSource(source, packageFiles(source)));
  checkUniqueNames(items);
  const perSource = new Map<CorpusSource, number>();
  for (const item of items) perSource.set(item.source, (perSource.get(item.source) ?? 0) + 1);
  const renderedBy = (source: CorpusSource): string => {
    const version = (pkg: string) => `${pkg} ${packages.get(pkg) ?? '?'}`;
    if (source.renderer === 'timidity') return `${version('timidity')} with ${version(source.needs![0]!)}, then ${version('sox')}`;
    if (source.renderer === 'openmpt') return `${version('openmpt123')}, then ${version('sox')}`;
    if (source.renderer === 'espeak') return `${version('espeak-ng-data')} voice ${source.voice}, then ${version('sox')}`;
    if (source.renderer === 'festival') return `${version('festival')} with ${version(source.needs![0]!)}, then ${version('sox')}`;
    return version('sox');
  };

  const out = args.outDir;
  mkdirSync(out, { recursive: true });
  const scratch = join(out, '.scratch');
  const entries: ManifestEntry[] = [];
  let made = 0;
  let lastSource: CorpusSource | null = null;
  for (const item of items) {
    const { source } = item;
    if (source !== lastSource) console.error(`build-corpus: ${source.kind} from ${source.package}${source.language ? ` (${source.language})` : ''}`);
    lastSource = source;
    const textChars = Math.floor((source.textChars ?? 0) / (perSource.get(source) ?? 1));
    const linear = `${item.name}.wav`;
    const muLaw = `${item.name}.ulaw.wav`;
    const files: [CorpusCodec, string][] = [['linear', linear], ['mu-law', muLaw]];
    try {
      if (buildOnce(join(out, linear), (partial) => render(item, partial, scratch, textChars))) made++;
      if (buildOnce(join(out, muLaw), (partial) => throughMuLaw(join(out, linear), partial, scratch))) made++;
    } catch (error) {
      console.error(`build-corpus: skipped ${item.originalPath}: ${(error as Error).message}`);
      continue;
    }
    const textPackage = source.package === MAN_PAGES ? owner(item.originalPath) : source.package;
    for (const [codec, file] of files) {
      const bytes = readFileSync(join(out, file));
      entries.push({
        file,
        codec,
        kind: source.kind,
        genre: source.genre,
        language: source.language,
        package: textPackage,
        packageVersion: packages.get(textPackage) ?? installedPackages([textPackage]).get(textPackage) ?? '?',
        originalPath: item.originalPath,
        renderedBy: renderedBy(source),
        durationS: 0,
        sha256: createHash('sha256').update(bytes).digest('hex'),
      });
    }
  }
  for (const entry of entries) entry.durationS = (await readWav(join(out, entry.file))).durationMs / 1000;

  const manifest = buildManifest(entries);
  const manifestPath = join(out, 'manifest.json');
  writeFileSync(`${manifestPath}.part`, `${JSON.stringify(manifest, null, 1)}\n`);
  renameSync(`${manifestPath}.part`, manifestPath);
  const { hours } = manifest;
  console.error(
    `build-corpus: ${entries.length} files (${made} new), ${manifest.totalHours.toFixed(2)} h: ` +
      `music ${hours.music.toFixed(2)} h, prompts ${hours.prompts.toFixed(2)} h, speech ${hours.speech.toFixed(2)} h (each half through µ-law) -> ${manifestPath}`,
  );
  if (manifest.totalHours < MIN_HOURS) {
    console.error(`build-corpus: only ${manifest.totalHours.toFixed(2)} h, under the ${MIN_HOURS} h wanted: install the packages named above`);
    return 1;
  }
  return 0;
}

process.exitCode = await main();

/**
 * Which files of each source go into the talk-off corpus, under which names,
 * and what is missing to build them. Pure: build-corpus.ts lists packages and
 * commands and passes them in, so the same system always gives the same plan.
 */
import { TOOLS, type CorpusSource } from './corpus-sources.ts';

export interface SourceFile {
  path: string;
  /** Bytes on disk. */
  size: number;
}

export interface PlannedItem {
  source: CorpusSource;
  originalPath: string;
  /** Output path without extension, relative to the corpus folder: `kind/group/name`. */
  name: string;
}

/** Manual pages read per language: the largest, so that each has text to read. */
export const PAGES_PER_LANGUAGE = 3;

// Endings other than .wav and .gz stay: a song may come both as a .mod and as an .ogg.
const slug = (text: string) => text.replace(/\.(gz|wav)$/, '').replace(/\//g, '__').replace(/[^A-Za-z0-9._]+/g, '-');

const byPath = (a: SourceFile, b: SourceFile) => (a.path < b.path ? -1 : a.path > b.path ? 1 : 0);

/** The files of `source` among `files` (its package's list), in a fixed order, each with its corpus name. */
export function planSource(source: CorpusSource, files: readonly SourceFile[]): PlannedItem[] {
  const matching = files
    .filter((file) => file.path.includes(source.pathContains) && source.extensions.some((ext) => file.path.endsWith(ext)))
    .sort(byPath);
  const chosen = source.kind === 'speech'
    ? [...matching].sort((a, b) => b.size - a.size || byPath(a, b)).slice(0, PAGES_PER_LANGUAGE).sort(byPath)
    : matching;
  const group = source.group ?? (source.kind === 'speech' ? source.language : source.package);
  return chosen.map((file) => {
    const base = file.path.slice(file.path.lastIndexOf('/') + 1);
    const at = file.path.indexOf(source.pathContains);
    // Prompts keep their sub-folder (digits/1 and letters/a differ only by it).
    const inner = source.kind === 'speech' || source.pathContains === '' || at < 0 ? base : file.path.slice(at + source.pathContains.length);
    return { source, originalPath: file.path, name: `${source.kind}/${slug(group)}/${slug(inner || base)}` };
  });
}

export class CorpusNameError extends Error {
  readonly code = 'E_CORPUS_NAME';
}

/** Throws if two items would be written to the same file. */
export function checkUniqueNames(items: readonly PlannedItem[]): void {
  const seen = new Map<string, string>();
  for (const item of items) {
    const other = seen.get(item.name);
    if (other !== undefined) throw new CorpusNameError(`corpus: ${other} and ${item.originalPath} would both be written to ${item.name}`);
    seen.set(item.name, item.originalPath);
  }
}

export interface Availability {
  /** Installed Debian packages, with their versions. */
  packages: ReadonlyMap<string, string>;
  /** Commands found on PATH. */
  commands: ReadonlySet<string>;
}

export interface Readiness {
  usable: CorpusSource[];
  /** Packages to install, each once, in the order first needed. */
  install: { package: string; for: string }[];
}

/** Which sources can be built now, and which packages the others still need. */
export function checkReadiness(sources: readonly CorpusSource[], available: Availability, sourcePackage: (source: CorpusSource) => string | null): Readiness {
  const usable: CorpusSource[] = [];
  const install = new Map<string, string>();
  for (const source of sources) {
    const needed = [
      ...TOOLS[source.renderer].filter((tool) => !available.commands.has(tool.command)).map((tool) => tool.package),
      ...(source.needs ?? []).filter((pkg) => !available.packages.has(pkg)),
    ];
    const own = sourcePackage(source);
    if (own !== null && !available.packages.has(own)) needed.push(own);
    for (const pkg of needed) if (!install.has(pkg)) install.set(pkg, `${source.kind} (${source.genre}${source.language ? `, ${source.language}` : ''})`);
    if (needed.length === 0) usable.push(source);
  }
  return { usable, install: [...install].map(([pkg, what]) => ({ package: pkg, for: what })) };
}

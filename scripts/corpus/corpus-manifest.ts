/**
 * manifest.json of the talk-off corpus: every file with where it came from,
 * and the hours per kind. Pure: build-corpus.ts writes it, the
 * talk-off-corpus bench reads it back through parseManifest.
 */
import type { CorpusKind } from './corpus-sources.ts';

export type CorpusCodec = 'linear' | 'mu-law';

export interface ManifestEntry {
  /** Path relative to the corpus folder. */
  file: string;
  /** 'mu-law': the same audio through G.711 µ-law and back to 16-bit PCM. */
  codec: CorpusCodec;
  kind: CorpusKind;
  genre: string;
  /** BCP 47 tag; '' for music. */
  language: string;
  package: string;
  packageVersion: string;
  originalPath: string;
  /** The tool and version that made the audio, e.g. 'sox 14.4.2' or 'espeak-ng 1.51 voice de'. */
  renderedBy: string;
  durationS: number;
  sha256: string;
}

export interface Manifest {
  format: 1;
  /** 8 kHz mono 16-bit PCM WAV, every file. */
  sampleRate: 8000;
  totalHours: number;
  /** Hours per kind, both codecs together. */
  hours: Record<CorpusKind, number>;
  entries: ManifestEntry[];
}

export class CorpusManifestError extends Error {
  readonly code = 'E_CORPUS_MANIFEST';
}

const KINDS: readonly CorpusKind[] = ['music', 'prompts', 'speech'];
const hours = (seconds: number) => Math.round((seconds / 3600) * 1000) / 1000;

/** The manifest of `entries`, sorted by file so that the same corpus gives the same manifest. */
export function buildManifest(entries: readonly ManifestEntry[]): Manifest {
  const sorted = [...entries].sort((a, b) => (a.file < b.file ? -1 : a.file > b.file ? 1 : 0));
  const seconds = (kind: CorpusKind) => sorted.filter((entry) => entry.kind === kind).reduce((sum, entry) => sum + entry.durationS, 0);
  return {
    format: 1,
    sampleRate: 8000,
    totalHours: hours(sorted.reduce((sum, entry) => sum + entry.durationS, 0)),
    hours: { music: hours(seconds('music')), prompts: hours(seconds('prompts')), speech: hours(seconds('speech')) },
    entries: sorted,
  };
}

const STRING_FIELDS = ['file', 'genre', 'language', 'package', 'packageVersion', 'originalPath', 'renderedBy', 'sha256'] as const;

/** Reads manifest.json back; names the file and the first wrong field. */
export function parseManifest(text: string, file: string): Manifest {
  let data: unknown;
  try {
    data = JSON.parse(text);
  } catch {
    throw new CorpusManifestError(`${file}: not JSON`);
  }
  const manifest = data as Partial<Manifest>;
  if (manifest?.format !== 1 || !Array.isArray(manifest.entries)) throw new CorpusManifestError(`${file}: not a format 1 corpus manifest`);
  manifest.entries.forEach((entry: Partial<ManifestEntry>, index) => {
    const where = `${file}: entries[${index}]`;
    for (const field of STRING_FIELDS) if (typeof entry[field] !== 'string') throw new CorpusManifestError(`${where}.${field} is not a string`);
    if (!KINDS.includes(entry.kind as CorpusKind)) throw new CorpusManifestError(`${where}.kind is not one of ${KINDS.join(', ')}`);
    if (entry.codec !== 'linear' && entry.codec !== 'mu-law') throw new CorpusManifestError(`${where}.codec is not linear or mu-law`);
    if (typeof entry.durationS !== 'number' || !(entry.durationS >= 0)) throw new CorpusManifestError(`${where}.durationS is not a duration`);
    if (entry.file!.startsWith('/') || entry.file!.split('/').includes('..')) throw new CorpusManifestError(`${where}.file leaves the corpus folder`);
  });
  return manifest as Manifest;
}

import { describe, expect, it } from 'vitest';
import { buildManifest, CorpusManifestError, parseManifest, type ManifestEntry } from '../../../scripts/corpus/corpus-manifest.ts';

const entry = (file: string, kind: ManifestEntry['kind'], durationS: number): ManifestEntry => ({
  file, codec: file.endsWith('.ulaw.wav') ? 'mu-law' : 'linear', kind, genre: 'g', language: kind === 'music' ? '' : 'de',
  package: 'p', packageVersion: '1.0', originalPath: `/usr/share/${file}`, renderedBy: 'sox 14.4.2', durationS, sha256: 'ab'.repeat(32),
});

function caught(run: () => unknown): unknown {
  try {
    run();
  } catch (error) {
    return error;
  }
  return undefined;
}

describe('buildManifest', () => {
  it('lists the files in name order and totals the hours per kind', () => {
    const manifest = buildManifest([
      entry('speech/de/xz.1.wav', 'speech', 1800),
      entry('music/a/song.ogg.wav', 'music', 3600),
      entry('music/a/song.ogg.ulaw.wav', 'music', 3600),
      entry('prompts/en/hello.wav', 'prompts', 90),
    ]);
    expect(manifest.entries.map((e) => e.file)).toEqual([
      'music/a/song.ogg.ulaw.wav', 'music/a/song.ogg.wav', 'prompts/en/hello.wav', 'speech/de/xz.1.wav',
    ]);
    expect(manifest.hours).toEqual({ music: 2, prompts: 0.025, speech: 0.5 });
    expect(manifest.totalHours).toBe(2.525);
  });

  it('reads back what it wrote', () => {
    const manifest = buildManifest([entry('music/a/x.ogg.wav', 'music', 12.5)]);
    expect(parseManifest(JSON.stringify(manifest), 'manifest.json')).toEqual(manifest);
  });
});

describe('parseManifest', () => {
  const good = buildManifest([entry('music/a/x.ogg.wav', 'music', 1)]);
  const withEntry = (change: Record<string, unknown>) => JSON.stringify({ ...good, entries: [{ ...good.entries[0], ...change }] });

  it.each([
    ['{', 'm.json: not JSON'],
    ['{"format":2,"entries":[]}', 'm.json: not a format 1 corpus manifest'],
    [withEntry({ sha256: 5 }), 'm.json: entries[0].sha256 is not a string'],
    [withEntry({ kind: 'noise' }), 'm.json: entries[0].kind is not one of music, prompts, speech'],
    [withEntry({ codec: 'a-law' }), 'm.json: entries[0].codec is not linear or mu-law'],
    [withEntry({ durationS: -1 }), 'm.json: entries[0].durationS is not a duration'],
    [withEntry({ file: '../../etc/passwd' }), 'm.json: entries[0].file leaves the corpus folder'],
  ])('rejects %s naming the file and field', (text, message) => {
    const error = caught(() => parseManifest(text, 'm.json'));
    expect(error).toBeInstanceOf(CorpusManifestError);
    expect(error).toMatchObject({ code: 'E_CORPUS_MANIFEST', message });
  });
});

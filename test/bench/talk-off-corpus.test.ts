import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { measure, render, type CorpusFileResult, type MultimonBatch } from '../../bench/talk-off-corpus.ts';
import { buildManifest } from '../../scripts/corpus/corpus-manifest.ts';
import { synthesizeDtmf } from '../../src/dsp/dtmf-generator.ts';
import { writeWavFile } from '../../src/wav/wav-writer.ts';

const file = (name: string, kind: CorpusFileResult['kind'], seconds: number, digits: string): CorpusFileResult => ({
  file: name, kind, codec: name.endsWith('.ulaw.wav') ? 'mu-law' : 'linear', package: 'pkg', language: kind === 'music' ? '' : 'de',
  seconds, digits: [...digits].map((digit, i) => ({ digit: digit as 'C', startMs: 1000 * (i + 1), endMs: 1000 * (i + 1) + 50 })),
});

const batch = (kind: MultimonBatch['kind'], codec: MultimonBatch['codec'], digits: number): MultimonBatch => ({ kind, codec, digits });

describe('talk-off corpus bench', () => {
  it('says the corpus is not measured, and how to build it, when it is missing', () => {
    expect(render({ dir: '~/c', missing: 'no ~/c/manifest.json', files: [], multimon: null })).toEqual(['not measured: run npm run corpus (no ~/c/manifest.json)']);
  });

  it('counts false digits per kind, per hour and in total against a target of none, and multimon-ng\'s per kind over its batches', () => {
    const lines = render({
      dir: '~/c',
      missing: null,
      files: [
        file('music/a/x.ogg.wav', 'music', 3600, 'C2'),
        file('music/a/x.ogg.ulaw.wav', 'music', 3600, 'C'),
        file('speech/de/xz.1.wav', 'speech', 1800, ''),
      ],
      multimon: [batch('music', 'linear', 2), batch('music', 'linear', 1), batch('music', 'mu-law', 1), batch('speech', 'linear', 0)],
    });
    expect(lines).toContain('| music | 2.00 | 3 | 1.50 | 4 |  |');
    expect(lines).toContain('| speech | 0.50 | 0 | 0.00 | 0 |  |');
    expect(lines).toContain('| prompts | 0.00 | 0 | – | 0 |  |');
    expect(lines).toContain('| of which through µ-law | 1.00 | 1 | 1.00 | 1 |  |');
    expect(lines).toContain('| all | 2.50 | 3 | 1.20 | 4 | 0: MISSED |');
    expect(lines).toContain('| #1 | 2 | `music/a/x.ogg.wav` (pkg): C 1.00 s, 2 2.00 s |');
    expect(lines).toContain('| #2 | 1 | `music/a/x.ogg.ulaw.wav` (pkg): C 1.00 s |');
    expect(lines).toContain('| #3 | – | – |');
  });

  it('meets the target with no false digit, and says when multimon-ng was not run', () => {
    const lines = render({ dir: '~/c', missing: null, files: [file('prompts/en/a.wav', 'prompts', 36, '')], multimon: null });
    expect(lines).toContain('| all | 0.01 | 0 | 0.00 | not run | 0: met |');
    expect(lines[0]).toContain('multimon-ng is not installed');
  });
});

describe('talk-off corpus measurement', () => {
  let dir = '';
  beforeEach(async () => {
    dir = await mkdtemp(join(tmpdir(), 'dialin-corpus-test-'));
    process.env['DIALIN_TALK_OFF_CORPUS'] = dir;
  });
  afterEach(async () => {
    delete process.env['DIALIN_TALK_OFF_CORPUS'];
    await rm(dir, { recursive: true, force: true });
  });

  it('reports a missing corpus instead of failing', async () => {
    const results = await measure();
    expect(results.missing).toBe(`no ${join(dir, 'manifest.json')}`);
    expect(render(results)[0]).toMatch(/^not measured: run npm run corpus/);
  });

  it('decodes every file of the manifest and reports the digits found in each', async () => {
    const quiet = new Int16Array(8000);
    const keyed = synthesizeDtmf('C', { leadMs: 500, offMs: 400 });
    await writeWavFile(join(dir, 'quiet.wav'), { sampleRate: 8000, samples: quiet });
    await writeWavFile(join(dir, 'keyed.wav'), { sampleRate: 8000, samples: keyed });
    const entry = (file: string, durationS: number) => ({
      file, codec: 'linear' as const, kind: 'music' as const, genre: 'g', language: '', package: 'p', packageVersion: '1',
      originalPath: `/x/${file}`, renderedBy: 'test', durationS, sha256: '',
    });
    await writeFile(join(dir, 'manifest.json'), JSON.stringify(buildManifest([entry('quiet.wav', 1), entry('keyed.wav', 1)])));
    const results = await measure();
    expect(results.missing).toBeNull();
    expect(results.files.map((file) => [file.file, file.digits.map((digit) => digit.digit).join('')])).toEqual([['keyed.wav', 'C'], ['quiet.wav', '']]);
    expect(results.files[0]!.digits[0]!.startMs).toBeCloseTo(500, -2);
  });
});

import { describe, expect, it } from 'vitest';
import { checkReadiness, checkUniqueNames, CorpusNameError, PAGES_PER_LANGUAGE, planSource } from '../../../scripts/corpus/corpus-plan.ts';
import { MAN_PAGES, SOURCES, type CorpusSource } from '../../../scripts/corpus/corpus-sources.ts';

const source = (overrides: Partial<CorpusSource>): CorpusSource => ({
  package: 'pkg', kind: 'music', genre: 'g', language: '', renderer: 'sox', extensions: ['.ogg'], pathContains: '', ...overrides,
});
const files = (...paths: string[]) => paths.map((path, i) => ({ path, size: 100 + i }));

describe('planSource', () => {
  it('takes the files with a wanted ending in path order, whatever order the package lists them in', () => {
    const music = source({ package: 'game-music' });
    const listed = files('/usr/share/game/b.ogg', '/usr/share/game/readme.txt', '/usr/share/game/a.ogg');
    const plan = planSource(music, listed);
    expect(plan.map((item) => item.originalPath)).toEqual(['/usr/share/game/a.ogg', '/usr/share/game/b.ogg']);
    expect(plan.map((item) => item.name)).toEqual(['music/game-music/a.ogg', 'music/game-music/b.ogg']);
    expect(planSource(music, [...listed].reverse())).toEqual(plan);
  });

  it('keeps a prompt\'s sub-folder in its name, so digits/1 and letters/1 stay apart', () => {
    const prompts = source({ package: 'asterisk-core-sounds-en-wav', kind: 'prompts', extensions: ['.wav'], pathContains: '/en/' });
    const plan = planSource(prompts, files('/s/en/digits/1.wav', '/s/en/letters/1.wav', '/s/fr/digits/1.wav'));
    expect(plan.map((item) => item.name)).toEqual(['prompts/asterisk-core-sounds-en-wav/digits__1', 'prompts/asterisk-core-sounds-en-wav/letters__1']);
    expect(() => checkUniqueNames(plan)).not.toThrow();
  });

  it('reads the largest manual pages of a language, grouped by language', () => {
    const speech = source({ package: MAN_PAGES, kind: 'speech', language: 'de', extensions: ['.gz'], pathContains: '/man/de/', voice: 'de' });
    const pages = [
      { path: '/man/de/man1/small.1.gz', size: 10 },
      { path: '/man/de/man1/big.1.gz', size: 900 },
      { path: '/man/de/man8/bigger.8.gz', size: 990 },
      { path: '/man/de/man5/mid.5.gz', size: 500 },
      { path: '/man/de/man1/tiny.1.gz', size: 1 },
    ];
    const plan = planSource(speech, pages);
    expect(plan).toHaveLength(PAGES_PER_LANGUAGE);
    expect(plan.map((item) => item.name)).toEqual(['speech/de/big.1', 'speech/de/mid.5', 'speech/de/bigger.8']);
  });
});

describe('checkUniqueNames', () => {
  it('names both files that would be written to one corpus file', () => {
    const music = source({});
    const plan = [...planSource(music, files('/a/x.ogg')), ...planSource(music, files('/b/x.ogg'))];
    expect(() => checkUniqueNames(plan)).toThrow(CorpusNameError);
    expect(() => checkUniqueNames(plan)).toThrow('corpus: /a/x.ogg and /b/x.ogg would both be written to music/pkg/x.ogg');
    try {
      checkUniqueNames(plan);
    } catch (error) {
      expect(error).toMatchObject({ code: 'E_CORPUS_NAME' });
    }
  });

  it('keeps a music file\'s ending, so a song shipped as .mod and as .ogg gives two files', () => {
    const plan = SOURCES.filter((s) => s.package === 'freedroid-data').flatMap((s) => planSource(s, files(`/d/song${s.extensions[0]}`)));
    expect(plan.map((item) => item.name).sort()).toEqual(['music/freedroid-data/song.mod', 'music/freedroid-data/song.ogg']);
    expect(() => checkUniqueNames(plan)).not.toThrow();
  });
});

describe('the corpus sources', () => {
  it('write every file to its own name, even where two sources read the same files', () => {
    // One file each source would take; a package (or the man page folders) lists the files of all its sources.
    const path = (s: CorpusSource) => `/usr/share${s.pathContains || '/'}${s.pathContains.endsWith('/') ? 'a/' : ''}song${s.extensions[0]}`;
    const listed = (pkg: string) => files(...new Set(SOURCES.filter((s) => s.package === pkg).map(path)));
    const plan = SOURCES.flatMap((s) => planSource(s, listed(s.package)));
    expect(() => checkUniqueNames(plan)).not.toThrow();
    const midi = plan.filter((item) => item.originalPath.endsWith('.mid')).map((item) => item.name);
    expect(midi).toEqual(['music/openttd-openmsx/song.mid', 'music/openttd-openmsx-fluidr3/song.mid']);
  });
});

describe('checkReadiness', () => {
  const midi = source({ package: 'openttd-openmsx', renderer: 'timidity', extensions: ['.mid'], genre: 'MIDI', needs: ['freepats'] });
  const ogg = source({ package: 'wesnoth-1.16-music', genre: 'orchestral' });
  const ownPackage = (s: CorpusSource) => s.package;

  it('builds the sources whose package, commands and patches are installed', () => {
    const packages = new Map([['openttd-openmsx', '1'], ['wesnoth-1.16-music', '1'], ['freepats', '1']]);
    const ready = checkReadiness([midi, ogg], { packages, commands: new Set(['sox', 'timidity']) }, ownPackage);
    expect(ready.usable).toEqual([midi, ogg]);
    expect(ready.install).toEqual([]);
  });

  it('names each missing package once, with what it is for, and leaves its sources out', () => {
    const packages = new Map([['openttd-openmsx', '1']]);
    const ready = checkReadiness([midi, ogg, { ...midi, package: 'openttd-openmsx' }], { packages, commands: new Set(['sox']) }, ownPackage);
    expect(ready.usable).toEqual([]);
    expect(ready.install).toEqual([
      { package: 'timidity', for: 'music (MIDI)' },
      { package: 'freepats', for: 'music (MIDI)' },
      { package: 'wesnoth-1.16-music', for: 'music (orchestral)' },
    ]);
  });
});

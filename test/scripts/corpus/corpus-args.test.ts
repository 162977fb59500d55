import { describe, expect, it } from 'vitest';
import { CorpusArgsError, parseCorpusArgs } from '../../../scripts/corpus/corpus-args.ts';

describe('parseCorpusArgs', () => {
  it('builds into the cache folder under home by default', () => {
    expect(parseCorpusArgs([], '/home/ann')).toEqual({ outDir: '/home/ann/.cache/dialin-sim/talk-off-corpus', help: false });
  });

  it('takes the folder from --out DIR or --out=DIR', () => {
    expect(parseCorpusArgs(['--out', '/tmp/c'], '/h').outDir).toBe('/tmp/c');
    expect(parseCorpusArgs(['--out=/tmp/d'], '/h').outDir).toBe('/tmp/d');
  });

  it.each([
    [['--out'], '--out: needs a folder'],
    [['--out', '--help'], '--out: needs a folder'],
    [['--out='], '--out: needs a folder'],
    [['--fast'], /^unknown argument '--fast'; usage: npm run corpus/],
  ])('rejects %j with a one-line error', (argv, message) => {
    expect(() => parseCorpusArgs(argv, '/h')).toThrow(CorpusArgsError);
    expect(() => parseCorpusArgs(argv, '/h')).toThrow(message);
    try {
      parseCorpusArgs(argv, '/h');
    } catch (error) {
      expect(error).toMatchObject({ code: 'E_CORPUS_ARGS' });
    }
  });
});

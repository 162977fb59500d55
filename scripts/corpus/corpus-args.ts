/** `npm run corpus` flags: `--out DIR` (default ~/.cache/dialin-sim/talk-off-corpus). Pure: the caller passes argv and home. */

export class CorpusArgsError extends Error {
  readonly code = 'E_CORPUS_ARGS';
}

export interface CorpusArgs {
  outDir: string;
  help: boolean;
}

export const CORPUS_USAGE = 'usage: npm run corpus [-- --out DIR]   (default ~/.cache/dialin-sim/talk-off-corpus)';

export const defaultCorpusDir = (home: string) => `${home}/.cache/dialin-sim/talk-off-corpus`;

export function parseCorpusArgs(argv: readonly string[], home: string): CorpusArgs {
  const args: CorpusArgs = { outDir: defaultCorpusDir(home), help: false };
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i]!;
    if (arg === '--help' || arg === '-h') args.help = true;
    else if (arg === '--out') {
      const dir = argv[++i];
      if (dir === undefined || dir === '' || dir.startsWith('--')) throw new CorpusArgsError('--out: needs a folder');
      args.outDir = dir;
    } else if (arg.startsWith('--out=')) {
      if (arg.length === 6) throw new CorpusArgsError('--out: needs a folder');
      args.outDir = arg.slice(6);
    } else throw new CorpusArgsError(`unknown argument '${arg}'; ${CORPUS_USAGE}`);
  }
  return args;
}

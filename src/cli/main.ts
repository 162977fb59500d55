/**
 * The `dialin-sim` command line. Subcommands load lazily so that `decode`
 * does not pay for SQLite or the WebSocket server.
 */
import { isDialinError } from '../errors.ts';
import type { CliIo, Command } from './command.ts';

const COMMANDS: Record<string, () => Promise<{ command: Command }>> = {
  run: () => import('./commands/run.ts'),
  test: () => import('./commands/test.ts'),
  paths: () => import('./commands/paths.ts'),
  decode: () => import('./commands/decode.ts'),
  synth: () => import('./commands/synth.ts'),
  serve: () => import('./commands/serve.ts'),
  pin: () => import('./commands/pin.ts'),
  policy: () => import('./commands/policy.ts'),
  outbox: () => import('./commands/outbox.ts'),
  graph: () => import('./commands/graph.ts'),
};

async function help(io: CliIo): Promise<number> {
  io.out('usage: dialin-sim <command> [options]');
  io.out('');
  for (const [name, load] of Object.entries(COMMANDS)) {
    const summary = await load().then(
      (module) => module.command.summary,
      () => '(not available)',
    );
    io.out(`  ${name.padEnd(8)} ${summary}`);
  }
  io.out('');
  io.out("Run 'dialin-sim <command> --help' for a command's options.");
  return 0;
}

/** Runs one command line; resolves to the exit code. Never calls process.exit. */
export async function main(argv: string[], io: CliIo): Promise<number> {
  const [name, ...args] = argv;
  if (name === undefined || name === 'help' || name === '--help' || name === '-h') return help(io);
  const load = COMMANDS[name];
  if (!load) {
    io.err(`dialin-sim: unknown command '${name}' (try 'dialin-sim help')`);
    return 2;
  }
  const { command } = await load();
  if (args.includes('--help') || args.includes('-h')) {
    io.out(command.usage);
    return 0;
  }
  try {
    return await command.run(args, io);
  } catch (error) {
    if (isDialinError(error)) {
      // A file with several problems has one per line: each gets the prefix, so each reads on its own.
      for (const line of error.message.split('\n')) io.err(`dialin-sim ${name}: ${line}`);
      return error.code === 'E_USAGE' ? 2 : 1;
    }
    throw error;
  }
}

export const processIo: CliIo = {
  out: (line) => process.stdout.write(`${line}\n`),
  err: (line) => process.stderr.write(`${line}\n`),
};

/** `dialin-sim decode ... | head` closes stdout early: stop quietly, as Unix tools do. */
function exitQuietlyOnClosedPipe(error: NodeJS.ErrnoException): void {
  if (error.code === 'EPIPE') process.exit(process.exitCode ?? 0);
  throw error;
}

/** The process edge: argv in, exit code out. */
export async function runMain(argv: string[]): Promise<void> {
  process.stdout.on('error', exitQuietlyOnClosedPipe);
  try {
    process.exitCode = await main(argv, processIo);
  } catch (error) {
    process.stderr.write(`dialin-sim: internal error: ${(error as Error).stack ?? String(error)}\n`);
    process.exitCode = 70;
  }
}

/**
 * The `dialin-sim` command line. Subcommands load lazily so that `decode`
 * does not pay for SQLite or the WebSocket server, and `help` loads none:
 * it lists the summaries kept here (test/cli/main.test.ts checks that each
 * equals its command's own).
 */
import { isDialinError } from '../errors.ts';
import type { CliIo, Command } from './command.ts';

interface CommandEntry {
  summary: string;
  load(): Promise<{ command: Command }>;
}

export const COMMANDS: Readonly<Record<string, CommandEntry>> = {
  run: { summary: 'run call scenarios and print their timelines', load: () => import('./commands/run.ts') },
  test: { summary: 'run every scenario in a folder against its golden transcript', load: () => import('./commands/test.ts') },
  paths: { summary: 'generate scenarios from the call graph and report flow coverage', load: () => import('./commands/paths.ts') },
  decode: { summary: 'find the DTMF digits in WAV files', load: () => import('./commands/decode.ts') },
  synth: { summary: 'write DTMF key presses to a WAV file', load: () => import('./commands/synth.ts') },
  serve: { summary: 'run the IVR as an HTTP + WebSocket server (native, Twilio, Vonage)', load: () => import('./commands/serve.ts') },
  pin: { summary: 'set, reset, unlock, lock, remove or show a PIN', load: () => import('./commands/pin.ts') },
  policy: { summary: 'show or change the PIN policy and tenant settings', load: () => import('./commands/policy.ts') },
  outbox: { summary: 'show the mail carrying new PINs', load: () => import('./commands/outbox.ts') },
  conference: { summary: 'list conferences or give one a new conference ID', load: () => import('./commands/conference.ts') },
  admin: { summary: 'add, remove, list or unlock admin center accounts', load: () => import('./commands/admin.ts') },
  graph: { summary: 'print the call and conference machines as Mermaid diagrams', load: () => import('./commands/graph.ts') },
};

/** The longest command name, so the summaries line up. */
export const HELP_NAME_WIDTH = Math.max(...Object.keys(COMMANDS).map((name) => name.length));

function help(io: CliIo): number {
  io.out('usage: dialin-sim <command> [options]');
  io.out('');
  for (const [name, { summary }] of Object.entries(COMMANDS)) io.out(`  ${name.padEnd(HELP_NAME_WIDTH)} ${summary}`);
  io.out('');
  io.out("Run 'dialin-sim <command> --help' for a command's options.");
  return 0;
}

/** Runs one command line; resolves to the exit code. Never calls process.exit. */
export async function main(argv: string[], io: CliIo): Promise<number> {
  const [name, ...args] = argv;
  if (name === undefined || name === 'help' || name === '--help' || name === '-h') return help(io);
  const entry = Object.hasOwn(COMMANDS, name) ? COMMANDS[name] : undefined;
  if (!entry) {
    io.err(`dialin-sim: unknown command '${name}' (try 'dialin-sim help')`);
    return 2;
  }
  const { command } = await entry.load();
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

async function readStdin(): Promise<string> {
  const chunks: Buffer[] = [];
  for await (const chunk of process.stdin) chunks.push(chunk as Buffer);
  return Buffer.concat(chunks).toString('utf8');
}

export const processIo: CliIo = {
  out: (line) => process.stdout.write(`${line}\n`),
  err: (line) => process.stderr.write(`${line}\n`),
  // Looked at only when a command asks: touching process.stdin opens it.
  input: {
    get isTTY() {
      return process.stdin.isTTY === true;
    },
    readAll: readStdin,
  },
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

/** What a subcommand sees of the world: its arguments, two output lines and, for some, standard input. */
export interface CliIo {
  /** One line to standard output (no trailing newline). */
  out(line: string): void;
  /** One line to standard error (no trailing newline). */
  err(line: string): void;
  /** Standard input, for the commands that read a secret from it; absent: a terminal with nothing piped in. */
  readonly input?: CliInput | undefined;
}

export interface CliInput {
  /** Whether standard input is a terminal (nothing piped in). */
  readonly isTTY: boolean;
  /** Everything on standard input up to its end. */
  readAll(): Promise<string>;
}

export interface Command {
  /** One line for `dialin-sim help`. */
  readonly summary: string;
  /** The full usage text. */
  readonly usage: string;
  /** Runs the command; resolves to the process exit code. */
  run(args: string[], io: CliIo): Promise<number>;
}

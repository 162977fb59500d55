/** What a subcommand sees of the world: its arguments and two output lines. */
export interface CliIo {
  /** One line to standard output (no trailing newline). */
  out(line: string): void;
  /** One line to standard error (no trailing newline). */
  err(line: string): void;
}

export interface Command {
  /** One line for `dialin-sim help`. */
  readonly summary: string;
  /** The full usage text. */
  readonly usage: string;
  /** Runs the command; resolves to the process exit code. */
  run(args: string[], io: CliIo): Promise<number>;
}

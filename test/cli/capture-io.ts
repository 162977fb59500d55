import type { CliIo } from '../../src/cli/command.ts';

/** A CliIo that keeps the lines written, for in-process CLI tests. */
export function captureIo(): { io: CliIo; out: string[]; err: string[] } {
  const out: string[] = [];
  const err: string[] = [];
  return { io: { out: (line) => out.push(line), err: (line) => err.push(line) }, out, err };
}

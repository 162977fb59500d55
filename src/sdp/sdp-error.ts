/** A session description that cannot be read (RFC 4566 section 5). */
import { DialinError } from '../errors.ts';

export const SDP_PROBLEMS = ['bad-line', 'bad-version', 'missing-line', 'bad-origin', 'bad-connection', 'bad-media', 'too-large'] as const;
export type SdpProblem = (typeof SDP_PROBLEMS)[number];

export class SdpParseError extends DialinError {
  readonly problem: SdpProblem;
  /** 1-based line of the description, when one line is at fault. */
  readonly line: number | undefined;

  constructor(problem: SdpProblem, detail: string, line?: number) {
    super('E_SDP_MALFORMED', line === undefined ? `SDP: ${detail}` : `SDP line ${line}: ${detail}`);
    this.problem = problem;
    this.line = line;
  }
}

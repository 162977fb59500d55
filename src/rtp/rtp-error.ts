/** Why bytes are not an RTP packet (RFC 3550 section 5.1) or a telephone-event payload (RFC 4733 section 2.3). */
import { DialinError } from '../errors.ts';

export const RTP_PROBLEMS = ['too-short', 'bad-version', 'truncated-csrc', 'truncated-extension', 'bad-padding', 'bad-event-payload'] as const;
export type RtpProblem = (typeof RTP_PROBLEMS)[number];

export class RtpParseError extends DialinError {
  readonly problem: RtpProblem;

  constructor(problem: RtpProblem, detail: string) {
    super('E_RTP_PACKET', `RTP packet: ${detail}`);
    this.problem = problem;
  }
}

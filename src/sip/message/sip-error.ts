/**
 * Why bytes could not be read as a SIP message. `status` says how to answer:
 * a request the parser recognised as one gets 400 or 513 back; anything else
 * (a malformed response, bytes that are not SIP) is dropped, as RFC 3261
 * section 18.1.2 and 18.2.1 say for responses and unparseable datagrams.
 */
import { DialinError } from '../../errors.ts';
import type { SipHeader } from './sip-message.ts';

export const SIP_PROBLEMS = [
  'empty',
  'bad-start-line',
  'bad-header',
  'missing-header',
  'bad-via',
  'bad-cseq',
  'bad-address',
  'bad-call-id',
  'bad-content-length',
  'missing-content-length',
  'bad-max-forwards',
  'body-length-mismatch',
  'too-large',
  'too-many-headers',
  'header-line-too-long',
  'bad-encoding',
] as const;
export type SipProblem = (typeof SIP_PROBLEMS)[number];

export type SipErrorStatus = 400 | 513;

export class SipParseError extends DialinError {
  readonly problem: SipProblem;
  /** 400 or 513 when a request can be answered, undefined when the message is dropped. */
  readonly status: SipErrorStatus | undefined;
  /** The header fields of a request read so far, so a 400 or 513 can copy Via, From, To, Call-ID and CSeq. */
  readonly headers: readonly SipHeader[];

  constructor(problem: SipProblem, detail: string, status: SipErrorStatus | undefined, headers: readonly SipHeader[] = []) {
    super(problem === 'too-large' ? 'E_SIP_TOO_LARGE' : 'E_SIP_MALFORMED', `SIP message: ${detail}`);
    this.problem = problem;
    this.status = status;
    this.headers = headers;
  }
}

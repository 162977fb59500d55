/** The CSeq header (RFC 3261 section 20.16): a 32-bit sequence number and the method. */
import { isToken } from './header-syntax.ts';

export interface CSeq {
  readonly seq: number;
  readonly method: string;
}

/** Section 8.1.1.5: the sequence number MUST be expressible as a 32-bit unsigned integer. */
const MAX_CSEQ = 2 ** 32 - 1;

export function parseCSeq(text: string): CSeq | undefined {
  const match = /^(\d{1,10})\s+(\S+)$/.exec(text.trim());
  if (!match || !isToken(match[2]!)) return undefined;
  const seq = Number(match[1]);
  return seq > MAX_CSEQ ? undefined : { seq, method: match[2]! };
}

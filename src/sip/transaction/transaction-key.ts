/**
 * Which server transaction a request belongs to (RFC 3261 section 17.2.3).
 * With the magic cookie, the top Via's branch and sent-by plus the method
 * identify it, ACK counting as INVITE. Without it (RFC 2543 peers), the
 * Request-URI, From tag, Call-ID, CSeq number and top Via do.
 */
import { BRANCH_MAGIC_COOKIE } from '../sip-constants.ts';
import { addressTag } from '../message/name-addr.ts';
import type { SipRequest, SipResponse } from '../message/sip-message.ts';
import { serializeVia, viaBranch } from '../message/via.ts';

export function serverTransactionKey(request: SipRequest, method: string = request.method): string {
  const via = request.via[0]!;
  const keyMethod = method === 'ACK' ? 'INVITE' : method;
  const branch = viaBranch(via);
  if (branch?.startsWith(BRANCH_MAGIC_COOKIE)) {
    return `${branch}|${via.host.toLowerCase()}:${via.port ?? ''}|${keyMethod}`;
  }
  // Section 17.2.3: an RFC 2543 ACK's To tag is the response's, so To is left out.
  const topVia = serializeVia({ ...via, params: {} });
  return `2543|${request.uri}|${addressTag(request.from) ?? ''}|${request.callId}|${request.cseq.seq}|${topVia}|${keyMethod}`;
}

/** Section 17.1.3: a response matches the client transaction whose branch and CSeq method it carries. */
export function clientTransactionKey(message: SipRequest | SipResponse): string {
  return `${viaBranch(message.via[0]!) ?? ''}|${message.cseq.method}`;
}

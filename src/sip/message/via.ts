/**
 * One Via value (RFC 3261 section 20.42, grammar in 25.1), with the branch,
 * received and rport (RFC 3581 section 3) parameters.
 */
import { parseParams, serializeParams, splitTopLevel, type SipParams } from './header-syntax.ts';

export interface Via {
  /** Upper-case transport from the sent-protocol: UDP, TCP, TLS, WS, WSS, SCTP. */
  readonly transport: string;
  /** sent-by host; IPv6 references keep their brackets. */
  readonly host: string;
  readonly port: number | undefined;
  readonly params: SipParams;
}

const SENT_BY = /^(\[[0-9A-Fa-f:.]+\]|[A-Za-z0-9\-.]+)(?::(\d{1,5}))?$/;

/** Parses one via-parm; undefined when it does not follow the grammar. */
export function parseVia(text: string): Via | undefined {
  const parts = splitTopLevel(text.trim(), ';');
  if (!parts) return undefined;
  const match = /^SIP\s*\/\s*2\.0\s*\/\s*([A-Za-z0-9\-.!%*_+`'~]+)\s+(\S+)\s*$/i.exec(parts[0]!);
  if (!match) return undefined;
  const sentBy = SENT_BY.exec(match[2]!);
  if (!sentBy) return undefined;
  const port = sentBy[2] === undefined ? undefined : Number(sentBy[2]);
  if (port !== undefined && (port < 1 || port > 65535)) return undefined;
  const params = parseParams(parts.slice(1));
  if (!params) return undefined;
  return { transport: match[1]!.toUpperCase(), host: sentBy[1]!, port, params };
}

export function serializeVia(via: Via): string {
  const port = via.port === undefined ? '' : `:${via.port}`;
  return `SIP/2.0/${via.transport} ${via.host}${port}${serializeParams(via.params)}`;
}

export function viaBranch(via: Via): string | undefined {
  const branch = via.params['branch'];
  return branch ? branch : undefined;
}

/**
 * The parts of a sip: or sips: URI the core needs to route a request
 * (RFC 3261 section 19.1.1): host, port, and the transport and lr
 * parameters. Other schemes (tel:) have no host and give undefined.
 */
import { parseParams, type SipParams } from './header-syntax.ts';

export interface SipUri {
  readonly scheme: 'sip' | 'sips';
  readonly user: string | undefined;
  readonly host: string;
  readonly port: number | undefined;
  readonly params: SipParams;
}

const URI = /^(sips?):(?:([^@;?]+)@)?(\[[0-9A-Fa-f:.]+\]|[A-Za-z0-9\-.]+)(?::(\d{1,5}))?((?:;[^;?]*)*)(?:\?.*)?$/i;

export function parseSipUri(text: string): SipUri | undefined {
  const match = URI.exec(text.trim());
  if (!match) return undefined;
  const port = match[4] === undefined ? undefined : Number(match[4]);
  if (port !== undefined && (port < 1 || port > 65535)) return undefined;
  const params = parseParams(match[5] ? match[5].slice(1).split(';') : []);
  if (!params) return undefined;
  return { scheme: match[1]!.toLowerCase() as 'sip' | 'sips', user: match[2], host: match[3]!, port, params };
}

/** Section 16.12.1.1: a route entry with `lr` is a loose router. */
export function isLooseRoute(uri: string): boolean {
  return parseSipUri(uri)?.params['lr'] !== undefined;
}

/**
 * The address a call's SDP (`c=`), Contact and Via name. A specific bind
 * address is named as it is. A wildcard bind (`0.0.0.0`, `::`) is no
 * address a phone can send to, and `c=IN IP4 0.0.0.0` even means "hold"
 * (RFC 3264 section 8.4), so the call names the address the caller dialled:
 * the Request-URI's host when it is an IP literal of the bind's family
 * (RFC 3261 section 19.1.1), else loopback.
 */
import { isIP } from 'node:net';

const WILDCARDS: Readonly<Record<string, { family: 4 | 6; loopback: string }>> = {
  '0.0.0.0': { family: 4, loopback: '127.0.0.1' },
  '::': { family: 6, loopback: '::1' },
};

/** The host part of a SIP URI (`sip:user@host:port;params`), brackets removed. */
function uriHost(uri: string): string {
  const afterScheme = uri.replace(/^sips?:/i, '');
  const hostPort = afterScheme.slice(afterScheme.lastIndexOf('@') + 1).split(/[;?]/)[0] ?? '';
  const bracketed = /^\[([^\]]+)\]/.exec(hostPort);
  return bracketed ? bracketed[1]! : hostPort.split(':')[0]!;
}

export function advertisedAddress(bindHost: string, requestUri: string): string {
  const wildcard = WILDCARDS[bindHost];
  if (!wildcard) return bindHost;
  const dialled = uriHost(requestUri);
  return isIP(dialled) === wildcard.family && !(dialled in WILDCARDS) ? dialled : wildcard.loopback;
}

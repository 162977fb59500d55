/**
 * Where a message came from or goes to. The core never opens sockets: it
 * hands the transport the peer a request arrived from and gets it back on
 * every message to send there. `connectionId` names a TCP, TLS or WebSocket
 * connection so responses go back on it (RFC 3261 section 18.2.2).
 */
import { DEFAULT_SIP_PORT } from '../sip-constants.ts';
import { createMessage, type SipRequest } from '../message/sip-message.ts';
import { serializeVia, type Via } from '../message/via.ts';

export type SipTransport = 'udp' | 'tcp' | 'tls' | 'ws' | 'wss';

export interface Peer {
  readonly transport: SipTransport;
  readonly host: string;
  readonly port: number;
  readonly connectionId?: string;
}

/** Section 17: only UDP is unreliable, so only there do timers G, E and the waits I, J, K run. */
export function isReliable(transport: SipTransport): boolean {
  return transport !== 'udp';
}

/**
 * RFC 3261 section 18.2.1 and RFC 3581 section 4: the top Via records the
 * address the request really came from (`received`) and, when the client
 * asked with an empty `rport`, the source port.
 */
export function stampVia(request: SipRequest, source: Peer): SipRequest {
  const top = request.via[0]!;
  const params: Record<string, string> = { ...top.params };
  if (top.host.replace(/^\[|\]$/g, '') !== source.host.replace(/^\[|\]$/g, '') || 'rport' in params) params['received'] = source.host;
  if ('rport' in params) params['rport'] = String(source.port);
  if (params['received'] === top.params['received'] && params['rport'] === top.params['rport']) return request;
  const stamped = serializeVia({ ...top, params });
  let replaced = false;
  const headers = request.headers.map((header) => {
    if (replaced || header.name !== 'Via') return header;
    replaced = true;
    const rest = restOfFirstViaHeader(header.value);
    return { name: 'Via', value: rest === '' ? stamped : `${stamped}, ${rest}` };
  });
  return createMessage(request, headers, request.body) as SipRequest;
}

/** The part of a Via header after its first value (a header may list several). */
function restOfFirstViaHeader(value: string): string {
  let quoted = false;
  for (let i = 0; i < value.length; i++) {
    const char = value[i];
    if (char === '"') quoted = !quoted;
    else if (char === ',' && !quoted) return value.slice(i + 1).trim();
  }
  return '';
}

/**
 * Where a response goes (RFC 3261 section 18.2.2, RFC 3581 section 4): back
 * on the connection for reliable transports; over UDP to the source address,
 * and to the source port when rport was asked for, else to the sent-by port.
 */
export function responseDestination(via: Via, source: Peer): Peer {
  if (isReliable(source.transport) || 'rport' in via.params) return source;
  const received = via.params['received'];
  return { ...source, host: received || source.host, port: via.port ?? DEFAULT_SIP_PORT };
}

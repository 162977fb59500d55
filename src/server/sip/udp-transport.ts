/**
 * SIP over UDP (RFC 3261 section 18): one datagram is one message. The
 * transport only moves bytes: it drops sources over their rate, parses, and
 * hands the result on; responses and requests go where the core says.
 */
import { indexOfSequence, parseSipMessage, readHead } from '../../sip/message/message-parser.ts';
import { SipParseError } from '../../sip/message/sip-error.ts';
import type { SipParseLimits } from '../../sip/sip-constants.ts';
import type { Peer } from '../../sip/transaction/peer.ts';
import type { SipInputHandler } from './sip-input.ts';
import type { SourceRateLimit } from './source-rate-limit.ts';

/**
 * What the transport needs of its socket: a node:dgram Socket, or in a
 * worker of `serve --workers` the primary's socket relayed over IPC
 * (cluster/udp-relay.ts).
 */
export interface DatagramSocket {
  on(event: 'message', listener: (bytes: Buffer, info: { address: string; port: number }) => void): unknown;
  on(event: 'error', listener: (error: Error) => void): unknown;
  address(): { port: number };
  send(bytes: Uint8Array, port: number, host: string, callback: () => void): void;
  close(callback: () => void): void;
}

/** Longest wait on close for queued datagrams, ms. */
const FLUSH_MS = 200;

export class UdpTransport {
  /** Datagrams handed to the socket and not yet sent. */
  private sending = 0;

  constructor(
    private readonly socket: DatagramSocket,
    limits: SipParseLimits,
    rate: SourceRateLimit,
    onInput: SipInputHandler,
  ) {
    socket.on('error', () => {});
    socket.on('message', (bytes, info) => {
      if (!rate.allow(info.address, performance.now())) return;
      const from: Peer = { transport: 'udp', host: info.address, port: info.port };
      try {
        onInput({ type: 'message', message: parseSipMessage(bytes, { framing: 'datagram', limits }) }, from);
      } catch (error) {
        if (!(error instanceof SipParseError)) throw error;
        // Section 7.5 / RFC 5626 section 3.5.1: a datagram of line breaks is a keep-alive.
        if (error.problem !== 'empty') onInput({ type: 'error', error: withHeaders(error, bytes, limits) }, from);
      }
    });
  }

  get port(): number {
    return this.socket.address().port;
  }

  send(bytes: Uint8Array, to: Peer): void {
    this.sending++;
    this.socket.send(bytes, to.port, to.host, () => this.sending--);
  }

  /** Closes once the datagrams already handed over have left (a last 503 or BYE), or after FLUSH_MS. */
  async close(): Promise<void> {
    const deadline = performance.now() + FLUSH_MS;
    while (this.sending > 0 && performance.now() < deadline) await new Promise((resolve) => setTimeout(resolve, 5));
    return new Promise((resolve) => this.socket.close(() => resolve()));
  }
}

/**
 * The parser refuses an oversized datagram before reading its headers; the
 * 513 still needs them to reach the sender (section 8.2.6.2), so they are
 * read here when the header section itself is within the limits.
 */
function withHeaders(error: SipParseError, bytes: Uint8Array, limits: SipParseLimits): SipParseError {
  if (error.problem !== 'too-large' || error.headers.length > 0 || error.status === undefined) return error;
  const headerEnd = indexOfSequence(bytes, [13, 10, 13, 10], 0);
  if (headerEnd < 0 || headerEnd > limits.maxMessageBytes) return error;
  try {
    const head = readHead(bytes.subarray(0, headerEnd), limits);
    return new SipParseError('too-large', error.message.replace(/^SIP message: /, ''), 513, head.headers);
  } catch {
    return error;
  }
}

/**
 * The SIP signalling sockets of the load generator's SIP callers: one UDP
 * socket serves many calls, told apart by Call-ID (RFC 3261 section 8.1.1.4).
 *
 * Each socket has its own loopback address (127.g.x.y, g = 1 + the
 * generator's number): the SIP service
 * limits the messages it takes per source address (a flood guard), and one
 * address for 1,000 callers would be a trunk, not 1,000 phones. A socket
 * carries CALLS_PER_SOCKET calls, about three messages each (INVITE, ACK,
 * BYE or the answer to the IVR's BYE), well inside that limit.
 */
import { createSocket, type Socket } from 'node:dgram';
import { parseSipMessage } from '../src/sip/message/message-parser.ts';
import type { SipMessage } from '../src/sip/message/sip-message.ts';

const CALLS_PER_SOCKET = 20;
const encoder = new TextEncoder();

export interface SipPeerCall {
  /** A message from the service for this call's Call-ID. */
  receive(message: SipMessage): void;
}

export class SipPhoneSocket {
  readonly address: string;
  private readonly socket: Socket;
  private readonly calls = new Map<string, SipPeerCall>();
  private readonly target: { host: string; port: number };
  private closed = false;

  private constructor(socket: Socket, address: string, target: { host: string; port: number }) {
    this.socket = socket;
    this.address = address;
    this.target = target;
    socket.on('error', () => {});
    socket.on('message', (bytes) => {
      let message: SipMessage;
      try {
        message = parseSipMessage(bytes, { framing: 'datagram' });
      } catch {
        return;
      }
      this.calls.get(message.callId)?.receive(message);
    });
  }

  static async open(address: string, target: { host: string; port: number }): Promise<SipPhoneSocket> {
    const socket = createSocket('udp4');
    await new Promise<void>((resolve, reject) => {
      socket.once('error', reject);
      socket.bind(0, address, () => {
        socket.off('error', reject);
        resolve();
      });
    });
    return new SipPhoneSocket(socket, address, target);
  }

  get port(): number {
    return this.socket.address().port;
  }

  add(callId: string, call: SipPeerCall): void {
    this.calls.set(callId, call);
  }

  remove(callId: string): void {
    this.calls.delete(callId);
  }

  send(text: string): void {
    // A call's retransmission timer may still fire once the run has closed its sockets.
    if (this.closed) return;
    this.socket.send(encoder.encode(text), this.target.port, this.target.host);
  }

  close(): void {
    this.closed = true;
    this.socket.close();
  }
}

/** The sockets of one run, opened as calls need them. */
export class SipPhoneSockets {
  private readonly sockets: Promise<SipPhoneSocket>[] = [];
  private callCount = 0;

  /** `generator`: this load generator's number, so that generators use addresses of their own. */
  constructor(
    private readonly target: { host: string; port: number },
    private readonly generator = 0,
  ) {}

  /** The socket of the next call. */
  next(): Promise<SipPhoneSocket> {
    const k = Math.floor(this.callCount++ / CALLS_PER_SOCKET);
    // 127.0.0.0/8 is all loopback (RFC 1122 section 3.2.1.3); .0 and .255 are left out.
    this.sockets[k] ??= SipPhoneSocket.open(`127.${1 + this.generator}.${Math.floor(k / 250)}.${1 + (k % 250)}`, this.target);
    return this.sockets[k]!;
  }

  async close(): Promise<void> {
    for (const socket of await Promise.all(this.sockets)) socket.close();
  }
}

/**
 * SIP over UDP under `serve --workers`. Node 20's dgram has no reusePort,
 * and one UDP socket shared by the workers hands each datagram to
 * whichever worker reads first, which would split a dialog. So the primary
 * owns the SIP port's UDP socket and passes each datagram over IPC to the
 * worker its Call-ID hashes to (call-id-route.ts); a worker's outgoing
 * datagrams come back over IPC and leave from the SIP port, as a phone
 * expects (RFC 3261 section 18.2.2). RTP never comes here: each worker binds
 * its own RTP ports.
 */
import type { Worker } from 'node:cluster';
import type { Socket } from 'node:dgram';
import { EventEmitter } from 'node:events';
import type { DatagramSocket } from '../sip/udp-transport.ts';
import { callIdOf, workerFor } from './call-id-route.ts';

/** A datagram between the primary and a worker. */
export interface RelayedDatagram {
  readonly type: 'dialin-sip-datagram';
  readonly bytes: Uint8Array;
  readonly host: string;
  readonly port: number;
}

function isRelayedDatagram(message: unknown): message is RelayedDatagram {
  return typeof message === 'object' && message !== null && (message as { type?: unknown }).type === 'dialin-sip-datagram';
}

/** The primary's side: routes what arrives on `socket` to the slots' workers, sends what they hand back. */
export class UdpRelay {
  private readonly socket: Socket;
  private readonly slots: readonly (Worker | undefined)[];

  /** `slots` is read at each datagram: a slot whose worker is being replaced drops it (the phone retransmits). */
  constructor(socket: Socket, slots: readonly (Worker | undefined)[]) {
    this.socket = socket;
    this.slots = slots;
    socket.on('error', () => {});
    socket.on('message', (bytes, info) => {
      const worker = this.slots[workerFor(callIdOf(bytes), this.slots.length)];
      if (!worker?.isConnected()) return;
      const datagram: RelayedDatagram = { type: 'dialin-sip-datagram', bytes, host: info.address, port: info.port };
      worker.send(datagram);
    });
  }

  /** A worker's message: sent when it is a datagram; false when it is something else. */
  fromWorker(message: unknown): boolean {
    if (!isRelayedDatagram(message)) return false;
    this.socket.send(message.bytes, message.port, message.host);
    return true;
  }

  close(): Promise<void> {
    return new Promise((resolve) => this.socket.close(() => resolve()));
  }
}

/** The worker's side: the SIP port's UDP socket, as far as the SIP service can tell. */
export class RelayedUdpSocket extends EventEmitter implements DatagramSocket {
  private readonly port: number;
  private readonly onMessage = (message: unknown) => {
    if (isRelayedDatagram(message)) this.emit('message', Buffer.from(message.bytes), { address: message.host, port: message.port });
  };

  constructor(port: number) {
    super();
    this.port = port;
    process.on('message', this.onMessage);
  }

  address(): { port: number } {
    return { port: this.port };
  }

  send(bytes: Uint8Array, port: number, host: string, callback: () => void): void {
    const datagram: RelayedDatagram = { type: 'dialin-sip-datagram', bytes, host, port };
    if (process.send) process.send(datagram, undefined, {}, () => callback());
    else callback();
  }

  close(callback: () => void): void {
    process.off('message', this.onMessage);
    callback();
  }
}

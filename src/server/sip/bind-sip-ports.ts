/**
 * One port number for SIP over UDP and TCP (RFC 3261 section 18.1.1: a
 * server listens on both). With port 0 the OS picks a free TCP port and UDP
 * takes the same number; if another program holds that UDP port, both are
 * tried again on a new number.
 */
import { createSocket } from 'node:dgram';
import { createServer, type Server } from 'node:net';
import type { DatagramSocket } from './udp-transport.ts';

const TRIES = 16;

export interface BoundPorts {
  readonly tcp: Server;
  readonly udp: DatagramSocket;
}

async function listenTcp(host: string, port: number): Promise<Server> {
  const tcp = createServer();
  await new Promise<void>((resolve, reject) => {
    tcp.once('error', reject);
    tcp.listen(port, host, () => {
      tcp.off('error', reject);
      resolve();
    });
  });
  return tcp;
}

/** Binds TCP on `port` and, unless a UDP socket is given (one already bound elsewhere, on the same port), UDP too. */
export async function bindSipPorts(host: string, port: number, udp?: DatagramSocket): Promise<BoundPorts> {
  if (udp) return { tcp: await listenTcp(host, port), udp };
  let lastError: unknown;
  for (let i = 0; i < (port === 0 ? TRIES : 1); i++) {
    const tcp = await listenTcp(host, port);
    const bound = (tcp.address() as { port: number }).port;
    const udp = createSocket({ type: host.includes(':') ? 'udp6' : 'udp4' });
    try {
      await new Promise<void>((resolve, reject) => {
        udp.once('error', reject);
        udp.bind(bound, host, () => {
          udp.off('error', reject);
          resolve();
        });
      });
      return { tcp, udp };
    } catch (error) {
      lastError = error;
      udp.close();
      await new Promise((resolve) => tcp.close(resolve));
    }
  }
  throw lastError;
}

/**
 * Every TCP socket the server has accepted, so that shutdown can end them
 * all: Node's `closeAllConnections()` forgets a socket once it is upgraded,
 * and one socket left open keeps the process from exiting.
 */
import type { Duplex } from 'node:stream';

export class SocketRegistry {
  private readonly open = new Set<Duplex>();
  /** Sockets that carry a call: shutdown lets them hear goodbye before they are cut. */
  private readonly calls = new WeakSet<Duplex>();

  track(socket: Duplex): void {
    this.open.add(socket);
    socket.once('close', () => this.open.delete(socket));
  }

  markCall(socket: Duplex): void {
    this.calls.add(socket);
  }

  get size(): number {
    return this.open.size;
  }

  /** Ends every socket that is not a call (idle keep-alive, unfinished upgrades and requests). */
  destroyStrays(): void {
    for (const socket of this.open) if (!this.calls.has(socket)) socket.destroy();
  }

  destroyAll(): void {
    for (const socket of this.open) socket.destroy();
  }
}

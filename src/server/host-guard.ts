/**
 * The Host check (host-check.ts) as the server applies it to every request
 * and upgrade: nothing is served before the port is bound (the policy names
 * the port), and a refusal is logged once per connection, so a client that
 * keeps a connection open cannot fill the log.
 */
import type { IncomingMessage } from 'node:http';
import { logValue } from './call-log.ts';
import type { HostPolicy } from './host-check.ts';

export class HostGuard {
  private policy: HostPolicy | undefined;
  private readonly logged = new WeakSet<object>();
  private readonly log: (line: string) => void;

  constructor(log: (line: string) => void) {
    this.log = log;
  }

  /** Known once the port is bound. */
  bind(policy: HostPolicy): void {
    this.policy = policy;
  }

  /** The content security policy's WebSocket sources: the server's own names, never the request's Host. */
  connectSources(): string[] {
    return (this.policy?.pageHosts ?? []).flatMap((host) => [`ws://${host}`, `wss://${host}`]);
  }

  /**
   * The origin for links the server mails (a /me sign-in link): the Host
   * the request named when it is one of the server's own names, else the
   * first of them, so a request sent with a stranger's address as Host
   * (admitted on a wildcard bind) cannot point a mailed link elsewhere.
   */
  linkOrigin(request: IncomingMessage): string {
    const host = request.headers.host;
    const scheme = (request.socket as { encrypted?: boolean }).encrypted ? 'https' : 'http';
    return `${scheme}://${host !== undefined && this.policy?.named(host) ? host.toLowerCase() : (this.policy?.pageHosts[0] ?? 'localhost')}`;
  }

  /** True (and logged once per connection) when the request's Host does not name this server. */
  misdirected(request: IncomingMessage): boolean {
    if (this.policy?.allows(request.headers.host)) return false;
    if (!this.logged.has(request.socket)) {
      this.logged.add(request.socket);
      this.log(`refused request from ${request.socket.remoteAddress}: Host ${logValue(request.headers.host ?? '')} does not name this server`);
    }
    return true;
  }
}

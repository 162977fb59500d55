/**
 * Which `Host` headers the server answers. The origin check (origin-check.ts)
 * trusts a page whose origin host equals the Host header, and a browser
 * sends a page's own host as Host. A page on `http://evil.example:8080`
 * whose name the attacker re-points at 127.0.0.1 (DNS rebinding) would pass
 * it, so every request and upgrade must first name a host this server is
 * meant to be reached by. An attacker cannot make a browser send one of
 * those names for a page of theirs.
 *
 * Legitimate names, always with the listening port (or none on port 80,
 * as browsers omit a default port, RFC 9110 section 7.2):
 * - loopback names `localhost`, `127.0.0.1` and `[::1]`, whatever the bind;
 * - the bound address itself when it is a specific one (`192.0.2.10`);
 * - on a wildcard bind (`0.0.0.0`, `::`) any IP literal: it reaches every
 *   interface, whose addresses can change, and a literal address cannot be
 *   rebound to another machine (the browser connects to the address written);
 * - every `--allow-host NAME`, with any port (a reverse proxy in front may
 *   listen on another one).
 */
import { isIP } from 'node:net';

const LOOPBACK_NAMES = ['localhost', '127.0.0.1', '[::1]'] as const;
const WILDCARD_BINDS = new Set(['0.0.0.0', '::', '[::]']);
/** Port a browser leaves out of Host for http: URLs (RFC 9110 section 4.2.1). */
const DEFAULT_HTTP_PORT = 80;
/** A DNS name (RFC 1123 section 2.1 labels) or an IPv4 literal, lower case. */
const HOST_NAME = /^(?=.{1,253}$)[a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?(?:\.[a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?)*$/;

export interface HostPolicy {
  /** True when a request with this Host header is meant for this server. */
  allows(host: string | undefined): boolean;
  /**
   * True when the Host header is one of the names the server was given (a
   * loopback name, the bound address, an --allow-host name), not merely an
   * address a wildcard bind admits: only such a name may go into a link the
   * server mails, since any IP literal would pass on a wildcard bind.
   */
  named(host: string | undefined): boolean;
  /** The `host:port` names pages are served under, for the content security policy. */
  readonly pageHosts: readonly string[];
}

/** `[::1]` for an IPv6 literal, the name unchanged otherwise. */
function bracketed(host: string): string {
  return isIP(host) === 6 ? `[${host}]` : host;
}

/** Splits `name:port` / `[v6]:port` / `name`; undefined when it is neither. */
function splitHost(header: string): { name: string; port: number | undefined } | undefined {
  const match = /^(\[[0-9a-f:.]+\]|[^:[\]]+)(?::(\d{1,5}))?$/.exec(header.toLowerCase());
  if (!match) return undefined;
  return { name: match[1]!, port: match[2] === undefined ? undefined : Number(match[2]) };
}

/** Checks an --allow-host value: a bare host name or address, without scheme or port. */
export function allowHostProblem(name: string): string | undefined {
  const lower = name.toLowerCase();
  if (HOST_NAME.test(lower) || isIP(lower.replace(/^\[(.*)\]$/, '$1')) !== 0) return undefined;
  return `'${name}' is not a host name: write the bare name a browser puts in the address bar, e.g. ivr.example.com (no scheme, no port)`;
}

export function hostPolicy(bindHost: string, port: number, allowHosts: readonly string[]): HostPolicy {
  const bound = bindHost.toLowerCase();
  const wildcard = WILDCARD_BINDS.has(bound);
  const own = new Set<string>(LOOPBACK_NAMES);
  if (!wildcard) own.add(bracketed(bound.replace(/^\[(.*)\]$/, '$1')));
  const extra = new Set(allowHosts.map((name) => bracketed(name.toLowerCase().replace(/^\[(.*)\]$/, '$1'))));
  const portMatches = (given: number | undefined) => (given === undefined ? port === DEFAULT_HTTP_PORT : given === port);
  return {
    allows(header) {
      if (header === undefined) return false;
      const host = splitHost(header);
      if (!host) return false;
      if (extra.has(host.name)) return true;
      if (!portMatches(host.port)) return false;
      return own.has(host.name) || (wildcard && isIP(host.name.replace(/^\[(.*)\]$/, '$1')) !== 0);
    },
    named(header) {
      const host = header === undefined ? undefined : splitHost(header);
      if (!host) return false;
      return extra.has(host.name) || (portMatches(host.port) && own.has(host.name));
    },
    pageHosts: [...own, ...extra].map((name) => `${name}:${port}`),
  };
}

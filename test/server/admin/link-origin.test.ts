/**
 * The origin of a mailed /me link: the request's Host only when it is one
 * of the server's own names, so a stranger's address sent as Host (which a
 * wildcard bind admits) cannot point the link at another machine.
 */
import type { IncomingMessage } from 'node:http';
import { describe, expect, it } from 'vitest';
import { hostPolicy } from '../../../src/server/host-check.ts';
import { HostGuard } from '../../../src/server/host-guard.ts';

function guard(bind: string, allowHosts: string[] = []): HostGuard {
  const hosts = new HostGuard(() => undefined);
  hosts.bind(hostPolicy(bind, 8080, allowHosts));
  return hosts;
}

const request = (host: string, encrypted = false) => ({ headers: { host }, socket: { encrypted } }) as unknown as IncomingMessage;

describe('link origin', () => {
  it('keeps a Host that is one of the server’s names', () => {
    expect(guard('127.0.0.1').linkOrigin(request('localhost:8080'))).toBe('http://localhost:8080');
    expect(guard('0.0.0.0', ['ivr.example.com']).linkOrigin(request('IVR.example.com'))).toBe('http://ivr.example.com');
    expect(guard('192.0.2.10').linkOrigin(request('192.0.2.10:8080', true))).toBe('https://192.0.2.10:8080');
  });

  it('does not put an address a wildcard bind admits into a link', () => {
    const hosts = guard('0.0.0.0');
    expect(hosts.misdirected(request('203.0.113.66:8080'))).toBe(false);
    expect(hosts.linkOrigin(request('203.0.113.66:8080'))).toBe('http://localhost:8080');
  });
});

import { describe, expect, it } from 'vitest';
import { allowHostProblem, hostPolicy } from '../../src/server/host-check.ts';

describe('hostPolicy', () => {
  it('answers the loopback names with the port on a loopback bind, and nothing else', () => {
    const hosts = hostPolicy('127.0.0.1', 8080, []);
    for (const host of ['localhost:8080', '127.0.0.1:8080', '[::1]:8080', 'LOCALHOST:8080']) expect(hosts.allows(host)).toBe(true);
    for (const host of ['evil.example:8080', 'localhost:9999', 'localhost', '10.0.0.5:8080', '', 'x; script-src *', 'localhost:8080:1']) {
      expect(hosts.allows(host)).toBe(false);
    }
    expect(hosts.allows(undefined)).toBe(false);
  });

  it('takes a Host without a port only on port 80, as browsers leave the default out', () => {
    expect(hostPolicy('127.0.0.1', 80, []).allows('localhost')).toBe(true);
    expect(hostPolicy('127.0.0.1', 80, []).allows('localhost:80')).toBe(true);
  });

  it('answers a specific bound address and the --allow-host names, these with any port', () => {
    const hosts = hostPolicy('192.0.2.10', 8080, ['ivr.example.com']);
    expect(hosts.allows('192.0.2.10:8080')).toBe(true);
    expect(hosts.allows('192.0.2.11:8080')).toBe(false);
    expect(hosts.allows('ivr.example.com')).toBe(true);
    expect(hosts.allows('IVR.example.com:443')).toBe(true);
    expect(hosts.allows('ivr.example.com.evil.example:8080')).toBe(false);
    expect(hostPolicy('::1', 8080, []).allows('[::1]:8080')).toBe(true);
  });

  it('answers any IP literal on a wildcard bind, but no name that is not allowed', () => {
    const hosts = hostPolicy('0.0.0.0', 8080, []);
    expect(hosts.allows('192.0.2.10:8080')).toBe(true);
    expect(hosts.allows('[2001:db8::1]:8080')).toBe(true);
    expect(hosts.allows('192.0.2.10:9999')).toBe(false);
    expect(hosts.allows('evil.example:8080')).toBe(false);
    expect(hosts.allows('0.0.0.0.evil.example:8080')).toBe(false);
  });

  it('lists the names pages are served under, for the content security policy', () => {
    expect(hostPolicy('127.0.0.1', 8080, ['ivr.example.com']).pageHosts).toEqual([
      'localhost:8080',
      '127.0.0.1:8080',
      '[::1]:8080',
      'ivr.example.com:8080',
    ]);
  });
});

describe('allowHostProblem', () => {
  it('accepts bare names and addresses', () => {
    for (const name of ['ivr.example.com', 'localhost', '192.0.2.10', '[2001:db8::1]', '2001:db8::1']) expect(allowHostProblem(name)).toBeUndefined();
  });

  it('names what is wrong with a scheme, a port or a wildcard', () => {
    for (const name of ['http://ivr.example.com', 'ivr.example.com:8080', '*.example.com', '', 'a b']) {
      expect(allowHostProblem(name)).toMatch(/is not a host name: .*no scheme, no port/);
    }
  });
});

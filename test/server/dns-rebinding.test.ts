import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { getRequest, rawExchange, upgradeHeaders } from './raw-http.ts';
import { startTestServer, type TestServer } from './test-server.ts';

describe('a page on another name that resolves to the server (DNS rebinding)', () => {
  let server: TestServer;
  let port: string;
  beforeAll(async () => {
    server = await startTestServer({ allowHosts: ['ivr.example.com'] });
    port = new URL(server.url).port;
  });
  afterAll(() => server.close());

  it('cannot read the conference list: any Host but the server’s own names gets 421', async () => {
    const reply = await rawExchange(server.url, getRequest('/api/conferences', { Host: `evil.example:${port}` }));
    expect(reply.status).toBe(421);
    expect(reply.text).not.toContain('123456');
    expect(reply.closedByServer).toBe(true);
    for (const host of [`localhost:${port}`, `127.0.0.1:${port}`, `ivr.example.com`]) {
      expect((await rawExchange(server.url, getRequest('/api/conferences', { Host: host, Connection: 'close' }))).status).toBe(200);
    }
  });

  it('cannot open a call, even with an Origin that matches its Host', async () => {
    const host = `evil.example:${port}`;
    const reply = await rawExchange(server.url, getRequest('/call', { ...upgradeHeaders(host), Origin: `http://${host}` }));
    expect(reply.status).toBe(421);
    expect(reply.closedByServer).toBe(true);
    const own = await rawExchange(server.url, getRequest('/call', { ...upgradeHeaders(`localhost:${port}`), Origin: `http://localhost:${port}` }), 300);
    expect(own.status).toBe(101);
  });

  it('logs one escaped line per refused connection', async () => {
    const before = server.lines.length;
    const host = 'x; script-src *';
    await rawExchange(server.url, getRequest('/', { Host: host }) + getRequest('/', { Host: host }));
    await rawExchange(server.url, getRequest('/healthz', { Host: `evil.example:${port}` }));
    const refused = server.lines.slice(before).filter((line) => line.includes('refused request'));
    expect(refused).toHaveLength(2);
    expect(refused[0]).toMatch(/refused request from \S+: Host "x; script-src \*" does not name this server$/);
  });

  it('builds the content security policy from the server’s names, not from the Host header', async () => {
    const reply = await rawExchange(server.url, getRequest('/', { Host: 'ivr.example.com', Connection: 'close' }));
    expect(reply.status).toBe(200);
    const csp = /^content-security-policy: (.*)$/im.exec(reply.text)?.[1];
    expect(csp).toContain(`connect-src 'self' ws://localhost:${port} wss://localhost:${port} ws://127.0.0.1:${port}`);
    expect(csp).toContain(`ws://ivr.example.com:${port}`);
    expect(csp).not.toMatch(/script-src \*/);
  });
});

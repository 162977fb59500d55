import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { getRequest, rawExchange, upgradeHeaders } from './raw-http.ts';
import { startTestServer, type TestServer } from './test-server.ts';

describe('a malformed WebSocket upgrade', () => {
  let server: TestServer;
  let host: string;
  beforeAll(async () => {
    server = await startTestServer();
    host = new URL(server.url).host;
  });
  afterAll(() => server.close());

  const broken: Array<[string, (headers: Record<string, string>) => void]> = [
    ['no Sec-WebSocket-Key', (headers) => delete headers['Sec-WebSocket-Key']],
    ['a Sec-WebSocket-Key that is not 16 bytes of base64', (headers) => (headers['Sec-WebSocket-Key'] = 'short')],
    ['no Sec-WebSocket-Version', (headers) => delete headers['Sec-WebSocket-Version']],
    ['an unknown Sec-WebSocket-Version', (headers) => (headers['Sec-WebSocket-Version'] = '99')],
  ];
  for (const [what, breakIt] of broken) {
    it(`gets 400 and a closed socket for ${what}, with no token needed`, async () => {
      const headers = upgradeHeaders(host);
      breakIt(headers);
      const reply = await rawExchange(server.url, getRequest('/call', headers), 2000);
      expect(reply.status).toBe(400);
      expect(reply.text).toMatch(/^Sec-WebSocket-Version: 13\r$/m);
      expect(reply.closedByServer).toBe(true);
    });
  }

  it('leaves no socket open after many of them', async () => {
    const headers = upgradeHeaders(host);
    delete headers['Sec-WebSocket-Key'];
    const replies = await Promise.all(Array.from({ length: 50 }, () => rawExchange(server.url, getRequest('/twilio', headers), 2000)));
    expect(replies.every((reply) => reply.status === 400 && reply.closedByServer)).toBe(true);
    expect(server.lines.filter((line) => line.includes('refused upgrade from')).length).toBeGreaterThanOrEqual(50);
  });
});

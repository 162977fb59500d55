/**
 * SIP over WebSocket on /sip (RFC 7118) with raw `ws` clients: the `sip`
 * subprotocol is required, each WebSocket message (text or binary) is one
 * SIP message, answers come back on the same connection whatever the Via
 * says, and the upgrade passes the same Host, token and Origin checks as
 * the other call paths.
 */
import { afterEach, describe, expect, it } from 'vitest';
import WebSocket from 'ws';
import { startTestServer, type TestServer } from '../test-server.ts';

let server: TestServer | undefined;

afterEach(async () => {
  await server?.close();
  server = undefined;
});

function sipUrl(token?: string): string {
  return `${server!.url.replace('http', 'ws')}/sip${token ? `?token=${token}` : ''}`;
}

/** An OPTIONS the way a browser sends it: Via host under .invalid (RFC 7118 section 5.2). */
function options(branch: string, extra = ''): string {
  return [
    'OPTIONS sip:127.0.0.1 SIP/2.0',
    `Via: SIP/2.0/WS df7jal23ls0d.invalid;branch=z9hG4bK${branch}`,
    'Max-Forwards: 70',
    'To: <sip:127.0.0.1>',
    'From: <sip:probe@df7jal23ls0d.invalid>;tag=a1',
    `Call-ID: ${branch}@ws-test`,
    'CSeq: 1 OPTIONS',
    extra,
  ]
    .filter((line) => line !== '')
    .join('\r\n')
    .concat('\r\n\r\n');
}

/** An INVITE over WS whose SDP offer uses `proto` (no ICE or DTLS lines: a WebRTC offer of this kind cannot be served). */
function invite(callId: string, proto: string): string {
  const sdp = ['v=0', 'o=- 1 1 IN IP4 127.0.0.1', 's=-', 'c=IN IP4 127.0.0.1', 't=0 0', `m=audio 40000 ${proto} 0`, 'a=rtpmap:0 PCMU/8000', ''].join('\r\n');
  return [
    'INVITE sip:123456@127.0.0.1 SIP/2.0',
    `Via: SIP/2.0/WS df7jal23ls0d.invalid;branch=z9hG4bK${callId}`,
    'Max-Forwards: 70',
    'To: <sip:123456@127.0.0.1>',
    'From: <sip:caller@df7jal23ls0d.invalid>;tag=f1',
    `Call-ID: ${callId}`,
    'CSeq: 1 INVITE',
    'Contact: <sip:caller@df7jal23ls0d.invalid;transport=ws>',
    'Content-Type: application/sdp',
    '',
    sdp,
  ].join('\r\n');
}

/** Collects every SIP message the connection gets until one starts with `prefix`. */
function until(socket: WebSocket, prefix: string): Promise<string> {
  return new Promise((resolve) => {
    const listener = (data: Buffer) => {
      const text = data.toString('utf8');
      if (!text.startsWith(prefix)) return;
      socket.off('message', listener);
      resolve(text);
    };
    socket.on('message', listener);
  });
}

function open(url: string, protocols: string[] = ['sip'], headers: Record<string, string> = {}): Promise<WebSocket> {
  return new Promise((resolve, reject) => {
    const socket = new WebSocket(url, protocols, { headers });
    socket.once('open', () => resolve(socket));
    socket.once('unexpected-response', (_request, response) => reject(new Error(`HTTP ${response.statusCode}`)));
    socket.once('error', reject);
  });
}

function nextMessage(socket: WebSocket): Promise<{ text: string; binary: boolean }> {
  return new Promise((resolve) => socket.once('message', (data: Buffer, binary: boolean) => resolve({ text: data.toString('utf8'), binary })));
}

describe('SIP over WebSocket', () => {
  it('refuses an upgrade to /sip that does not offer the sip subprotocol', async () => {
    server = await startTestServer({ sipPort: 0 });
    await expect(open(sipUrl(), [])).rejects.toThrow('HTTP 400');
    await expect(open(sipUrl(), ['sip-not'])).rejects.toThrow('HTTP 400');
    expect(server.lines.some((line) => line.includes("rejected /sip upgrade") && line.includes("no 'sip' subprotocol"))).toBe(true);
  });

  it('agrees to the sip subprotocol and answers a text OPTIONS on the same connection, though its Via names a .invalid host', async () => {
    server = await startTestServer({ sipPort: 0 });
    const socket = await open(sipUrl(), ['chat', 'sip']);
    try {
      expect(socket.protocol).toBe('sip');
      const reply = nextMessage(socket);
      socket.send(options('text1'));
      const { text, binary } = await reply;
      expect(binary).toBe(false);
      expect(text.startsWith('SIP/2.0 200 OK\r\n')).toBe(true);
      expect(text).toMatch(/^Via: SIP\/2\.0\/WS df7jal23ls0d\.invalid;branch=z9hG4bKtext1;received=127\.0\.0\.1\r$/m);
      expect(text).toMatch(/^Allow: .*INVITE/m);
    } finally {
      socket.close();
    }
  });

  it('takes a SIP message in a binary WebSocket message too', async () => {
    server = await startTestServer({ sipPort: 0 });
    const socket = await open(sipUrl());
    try {
      const reply = nextMessage(socket);
      socket.send(Buffer.from(options('binary1')), { binary: true });
      expect((await reply).text).toMatch(/^SIP\/2\.0 200 OK\r\n[^]*branch=z9hG4bKbinary1/);
    } finally {
      socket.close();
    }
  });

  it('answers a malformed request with 400 on the same connection and keeps the connection', async () => {
    server = await startTestServer({ sipPort: 0 });
    const socket = await open(sipUrl());
    try {
      let reply = nextMessage(socket);
      socket.send(options('bad1', 'Content-Length: twelve'));
      expect((await reply).text).toMatch(/^SIP\/2\.0 400 [^]*branch=z9hG4bKbad1/);
      reply = nextMessage(socket);
      socket.send(options('good2'));
      expect((await reply).text).toMatch(/^SIP\/2\.0 200 OK\r\n[^]*branch=z9hG4bKgood2/);
    } finally {
      socket.close();
    }
  });

  it('checks Host, token and Origin on /sip like the other call paths', async () => {
    server = await startTestServer({ sipPort: 0, token: 'open-sesame' });
    await expect(open(sipUrl())).rejects.toThrow('HTTP 401');
    await expect(open(sipUrl('open-sesame'), ['sip'], { Origin: 'https://evil.example' })).rejects.toThrow('HTTP 403');
    await expect(open(sipUrl('open-sesame'), ['sip'], { Host: `rebound.example:${server.port}` })).rejects.toThrow('HTTP 421');
    const socket = await open(sipUrl('open-sesame'), ['sip'], { Origin: server.url });
    socket.close();
  });

  it('has no /sip path when SIP is off', async () => {
    server = await startTestServer();
    await expect(open(sipUrl())).rejects.toThrow('HTTP 404');
  });

  it('answers a plain RTP/AVP offer over WebSocket with an RTP port, on the same connection', async () => {
    server = await startTestServer({ sipPort: 0 });
    const socket = await open(sipUrl());
    try {
      const ok = until(socket, 'SIP/2.0 200 ');
      socket.send(invite('rtp-over-ws', 'RTP/AVP'));
      const text = await ok;
      expect(text).toMatch(/^m=audio [1-9]\d* RTP\/AVP 0\r$/m);
      expect(text).toMatch(/^Contact: <sip:ivr@127\.0\.0\.1:\d+;transport=ws>\r$/m);
      expect(server.lines.some((line) => / call-started protocol=sip-ws /.test(line))).toBe(true);
    } finally {
      socket.close();
    }
  });

  it('refuses with 488 a WebRTC offer that lacks ICE credentials and a fingerprint', async () => {
    server = await startTestServer({ sipPort: 0 });
    const socket = await open(sipUrl());
    try {
      const refusal = until(socket, 'SIP/2.0 488 ');
      socket.send(invite('bad-webrtc', 'UDP/TLS/RTP/SAVPF'));
      expect(await refusal).toContain('Call-ID: bad-webrtc\r\n');
      expect(server.lines.some((line) => line.includes('no media: WebRTC offer: audio stream has no a=ice-ufrag/a=ice-pwd'))).toBe(true);
    } finally {
      socket.close();
    }
  });

  it('refuses WebRTC offers with 488 when --host is not an IPv4 address, and says so at start-up', async () => {
    server = await startTestServer({ sipPort: 0, host: '::1' });
    expect(server.lines.some((line) => line.endsWith('sip webrtc media off: host ::1 is not an IPv4 address'))).toBe(true);
    const socket = await open(`ws://[::1]:${server.port}/sip`);
    try {
      const refusal = until(socket, 'SIP/2.0 488 ');
      socket.send(invite('webrtc-on-ipv6', 'UDP/TLS/RTP/SAVPF'));
      await refusal;
      expect(server.lines.some((line) => line.includes('webrtc offer refused: host ::1 is not an IPv4 address'))).toBe(true);
    } finally {
      socket.close();
    }
  });
});

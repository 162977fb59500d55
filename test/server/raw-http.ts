/**
 * Raw TCP clients for the server tests: requests written byte for byte, so a
 * test can send what no well-behaved HTTP or WebSocket client would (another
 * Host, a broken handshake) and see whether the server closes the socket.
 */
import { connect, type Socket } from 'node:net';

export interface RawReply {
  /** Everything the server sent. */
  text: string;
  /** The status code of the first response line (0 when none came). */
  status: number;
  /** The server ended the connection (it did not wait for the client). */
  closedByServer: boolean;
}

/** Opens a TCP connection to the server at `url` (http://host:port), reading (and dropping) what arrives until a listener is added. */
export function openTcp(url: string): Promise<Socket> {
  const { hostname, port } = new URL(url);
  return new Promise((resolve, reject) => {
    const socket = connect(Number(port), hostname, () => resolve(socket.resume()));
    socket.once('error', reject);
  });
}

/**
 * Sends `request` and collects the reply until the server closes the
 * connection or `waitMs` passes (then closedByServer is false). The client
 * never ends its own side.
 */
export async function rawExchange(url: string, request: string, waitMs = 3000): Promise<RawReply> {
  const socket = await openTcp(url);
  socket.on('error', () => {});
  let text = '';
  socket.on('data', (chunk) => (text += chunk.toString('latin1')));
  socket.write(request);
  const closedByServer = await new Promise<boolean>((resolve) => {
    const timer = setTimeout(() => resolve(false), waitMs);
    socket.once('close', () => (clearTimeout(timer), resolve(true)));
  });
  socket.destroy();
  return { text, status: Number(/^HTTP\/1\.1 (\d{3})/.exec(text)?.[1] ?? 0), closedByServer };
}

/** A GET request line and headers, ending the header block. */
export function getRequest(path: string, headers: Record<string, string>): string {
  return `GET ${path} HTTP/1.1\r\n${Object.entries(headers).map(([name, value]) => `${name}: ${value}\r\n`).join('')}\r\n`;
}

/** The headers of a valid WebSocket upgrade (RFC 6455 section 4.1), to be overridden. */
export function upgradeHeaders(host: string): Record<string, string> {
  return {
    Host: host,
    Upgrade: 'websocket',
    Connection: 'Upgrade',
    'Sec-WebSocket-Key': 'dGhlIHNhbXBsZSBub25jZQ==',
    'Sec-WebSocket-Version': '13',
  };
}

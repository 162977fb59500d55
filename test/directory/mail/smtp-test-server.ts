/** A real SMTP server (smtp-server) on 127.0.0.1, port 0, that keeps each message's raw bytes or refuses them. */
import type { AddressInfo } from 'node:net';
import { SMTPServer } from 'smtp-server';

export interface TestSmtpServer {
  readonly url: string;
  /** Raw messages received, with the envelope's recipients. */
  readonly received: { raw: string; to: string[] }[];
  close(): Promise<void>;
}

/** `refuse`: answer DATA with this SMTP error text and code instead of taking the message. */
export async function startSmtpServer(refuse?: { message: string; responseCode: number }): Promise<TestSmtpServer> {
  const received: { raw: string; to: string[] }[] = [];
  const server = new SMTPServer({
    authOptional: true,
    // Plain SMTP on loopback: no certificate to trust.
    disabledCommands: ['STARTTLS', 'AUTH'],
    logger: false,
    onData(stream, session, callback) {
      const chunks: Buffer[] = [];
      stream.on('data', (chunk: Buffer) => chunks.push(chunk));
      stream.on('end', () => {
        if (refuse) {
          callback(Object.assign(new Error(refuse.message), { responseCode: refuse.responseCode }));
          return;
        }
        received.push({ raw: Buffer.concat(chunks).toString('utf8'), to: session.envelope.rcptTo.map((rcpt) => rcpt.address) });
        callback();
      });
    },
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.server.address() as AddressInfo;
  return { url: `smtp://127.0.0.1:${port}`, received, close: () => new Promise((resolve) => server.close(() => resolve())) };
}

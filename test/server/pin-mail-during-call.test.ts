import { afterEach, describe, expect, it } from 'vitest';
import { SmtpTransport } from '../../src/directory/mail/smtp-transport.ts';
import { startSmtpServer, type TestSmtpServer } from '../directory/mail/smtp-test-server.ts';
import { NativeCaller } from './test-callers.ts';
import { startTestServer, wrongPin, type TestServer } from './test-server.ts';

let smtp: TestSmtpServer | undefined;
let server: TestServer | undefined;
afterEach(async () => {
  await server?.close();
  await smtp?.close();
});

async function wrongPinOnce(url: string, pin: string): Promise<NativeCaller> {
  const caller = new NativeCaller(url, { speed: 2 });
  await caller.start(8000);
  await caller.press('123456#');
  await caller.waitForState('leader-question');
  await caller.press('*');
  await caller.waitForState('collecting-pin');
  await caller.press(`${wrongPin(pin)}#`);
  await caller.waitForState('collecting-pin');
  return caller;
}

describe('PIN mail from a live call', () => {
  it('mails the PIN of an automatic reset through --smtp while the call goes on', async () => {
    smtp = await startSmtpServer();
    server = await startTestServer({ mail: new SmtpTransport(smtp.url) });
    await server.directory.setPolicy({ logonFailuresBeforePinReset: 1 });
    const caller = await wrongPinOnce(server.url, server.pin);
    await expect.poll(() => smtp!.received.length, { timeout: 10_000 }).toBe(1);
    expect(smtp.received[0]!.raw).toMatch(/^To: amos@example\.com\r$/m);
    const newPin = /^Your new PIN is: ([0-9]{5})\r$/m.exec(smtp.received[0]!.raw)![1]!;
    expect(server.lines.join('\n')).not.toContain(newPin);
    caller.close();
  }, 30_000);

  it('goes on with the call when the SMTP server refuses, and logs no PIN', async () => {
    smtp = await startSmtpServer({ message: 'try later', responseCode: 451 });
    server = await startTestServer({ mail: new SmtpTransport(smtp.url) });
    await server.directory.setPolicy({ logonFailuresBeforePinReset: 1 });
    const caller = await wrongPinOnce(server.url, server.pin);
    await expect.poll(async () => (await server!.directory.listAudit({ userId: 'amos' })).some((entry) => entry.event === 'mail-failed'), { timeout: 10_000 }).toBe(true);
    expect(server.lines.find((line) => / server mail to amos@example\.com was not sent: /.test(line))).toContain('451 try later');
    // The old PIN was replaced all the same; the caller can still try again.
    expect(await server.directory.getStatus('amos')).toMatchObject({ pinSet: true, mustChange: true, lockedOut: false });
    caller.close();
  }, 30_000);
});

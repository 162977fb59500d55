import { existsSync, readFileSync } from 'node:fs';
import { createServer, type AddressInfo } from 'node:net';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { applyDeployment, loadDeployment } from '../../../src/directory/deployment.ts';
import { MailError } from '../../../src/directory/mail/mail-error.ts';
import { SmtpTransport, smtpServerName } from '../../../src/directory/mail/smtp-transport.ts';
import { PinDirectory } from '../../../src/directory/pin-directory.ts';
import { manualClock } from '../../../src/directory/clock.ts';
import { DEPLOYMENT, FAST_COST, START_MS, tempDir } from '../helpers.ts';
import { startSmtpServer, type TestSmtpServer } from './smtp-test-server.ts';

// Long and distinctive: found in the bytes only if it was written there.
const PIN = '739182046571938204657193';

let temp: ReturnType<typeof tempDir>;
let server: TestSmtpServer | undefined;
beforeEach(() => {
  temp = tempDir();
});
afterEach(async () => {
  await server?.close();
  server = undefined;
  temp.cleanup();
});

async function directoryMailingTo(url: string) {
  const file = temp.file('dialin.db');
  const directory = await PinDirectory.open(file, { hashCost: FAST_COST, clock: manualClock(START_MS), mail: new SmtpTransport(url) });
  await applyDeployment(directory, loadDeployment(DEPLOYMENT, 'test.yaml'));
  return { directory, file };
}

function databaseBytes(file: string): string {
  return [file, `${file}-wal`, `${file}-shm`].filter((path) => existsSync(path)).map((path) => readFileSync(path).toString('latin1')).join('');
}

describe('SMTP delivery', () => {
  it('delivers the PIN mail to the SMTP server and keeps the PIN out of the database', async () => {
    server = await startSmtpServer();
    const { directory, file } = await directoryMailingTo(server.url);
    const issued = await directory.setPin('chen', PIN);
    expect(issued).toMatchObject({ mailedTo: 'chen@contoso.com', mailError: null });
    expect(server.received).toHaveLength(1);
    const { raw, to } = server.received[0]!;
    expect(to).toEqual(['chen@contoso.com']);
    const split = raw.indexOf('\r\n\r\n');
    const [head, body] = [raw.slice(0, split), raw.slice(split + 4)];
    expect(head).toMatch(/^To: chen@contoso\.com$/m);
    expect(head).toMatch(/^From: "dialin-sim" <dialin-sim@localhost>$/m);
    expect(head).toMatch(/^Subject: Your dial-in conferencing PIN$/m);
    expect(head).toMatch(/^Date: Mon, 06 Jan 2025 09:00:00 \+0000$/m);
    expect(head).toMatch(/^X-Dialin-User: chen$/m);
    expect(head).toMatch(/^Content-Type: text\/plain; charset=utf-8$/m);
    expect(body).toContain('Hello Chen Wei,');
    expect(body).toContain(`Your new PIN is: ${PIN}`);
    // Nowhere in the database, its WAL included, and no mail folder either.
    expect(databaseBytes(file)).not.toContain(PIN);
    expect(existsSync(temp.file('dialin.mail'))).toBe(false);
    await directory.close();
    expect(databaseBytes(file)).not.toContain(PIN);
  });

  it('keeps the new PIN when the server refuses the mail, and says which server in one line without the PIN', async () => {
    server = await startSmtpServer({ message: `mailbox full, message ${PIN} refused`, responseCode: 552 });
    const { directory } = await directoryMailingTo(server.url);
    const issued = await directory.setPin('amos', PIN.slice(0, 12));
    expect(issued.mailError).toMatch(new RegExp(`^mail to amos@contoso\\.com was not sent: ${server.url} did not take the mail \\(EMESSAGE: 552 `));
    expect(issued.mailError).not.toContain(PIN.slice(0, 12));
    expect(issued.mailError).not.toContain('\n');
    // The PIN change stands.
    expect(await directory.verifyLeaderPin('123456', PIN.slice(0, 12))).toMatchObject({ outcome: 'accepted' });
    const audit = (await directory.listAudit({ userId: 'amos' })).map((entry) => `${entry.event}: ${entry.detail}`);
    expect(audit.filter((line) => line.startsWith('mail-failed'))).toEqual([`mail-failed: ${issued.mailError}`]);
    await directory.close();
  });

  it('reports a server that is not there as a failed mail, not a crash', async () => {
    // A port that was free a moment ago: nothing listens on it.
    const probe = createServer();
    await new Promise<void>((resolve) => probe.listen(0, '127.0.0.1', resolve));
    const { port } = probe.address() as AddressInfo;
    await new Promise((resolve) => probe.close(resolve));
    const { directory } = await directoryMailingTo(`smtp://127.0.0.1:${port}`);
    const issued = await directory.resetPin('bela');
    expect(issued.mailError).toMatch(new RegExp(`^mail to bela@contoso\\.com was not sent: smtp://127\\.0\\.0\\.1:${port} did not take the mail \\(.*ECONNREFUSED.*\\)$`));
    expect((await directory.getStatus('bela')).pinSet).toBe(true);
    await directory.close();
  });

  it('sends any mail through the same seam, to a user or an address', async () => {
    server = await startSmtpServer();
    const { directory } = await directoryMailingTo(server.url);
    expect(await directory.sendMail({ userId: 'bela' }, 'Your conference ID', 'Your new conference ID is 424242.')).toEqual({ sent: true, to: 'bela@contoso.com' });
    expect(await directory.sendMail({ to: 'ops@contoso.com' }, 'Sign-in link', 'https://example.test/me')).toEqual({ sent: true, to: 'ops@contoso.com' });
    expect(server.received.map((mail) => mail.to)).toEqual([['bela@contoso.com'], ['ops@contoso.com']]);
    expect(server.received[0]!.raw).toMatch(/^X-Dialin-User: bela$/m);
    expect(server.received[1]!.raw).not.toMatch(/^X-Dialin-User:/m);
    await expect(directory.sendMail({ userId: 'zed' }, 'x', 'y')).rejects.toMatchObject({ code: 'E_UNKNOWN_USER' });
    // An SMTP server keeps what it took: there is no outbox to list.
    expect(() => directory.listOutbox()).toThrow(MailError);
    expect(() => directory.listOutbox()).toThrow(`cannot read the outbox: mail goes to ${server!.url}, which keeps none`);
    await directory.close();
  });

  it('sends a sign-in link through the SMTP server without making the request wait for it', async () => {
    server = await startSmtpServer();
    const { directory } = await directoryMailingTo(server.url);
    const mailer = directory.signInLinks.outboxMailer((token) => `https://dialin.example/me/sign-in?token=${token}`);
    expect(await directory.signInLinks.request('bela@contoso.com', mailer)).toEqual({ validForMinutes: 15 });
    await expect.poll(() => server!.received.length, { timeout: 5000 }).toBe(1);
    expect(server.received[0]!.to).toEqual(['bela@contoso.com']);
    expect(server.received[0]!.raw).toMatch(/^https:\/\/dialin\.example\/me\/sign-in\?token=/m);
    await directory.close();
  });

  it('names the server without its password, and refuses what is not an SMTP URL', () => {
    expect(smtpServerName('smtp://pins:s3cret@mail.contoso.com:25')).toBe('smtp://mail.contoso.com:25');
    expect(smtpServerName('smtps://mail.contoso.com')).toBe('smtps://mail.contoso.com:465');
    expect(() => smtpServerName('smpt://pins:s3cret@mail.contoso.com:25')).toThrow("expects smtp://HOST:PORT or smtps://HOST:PORT, got 'smpt://mail.contoso.com:25'");
    for (const bad of ['http://mail.contoso.com', 'mail.contoso.com:25', 'smtp://']) {
      expect(() => smtpServerName(bad)).toThrow(MailError);
      try {
        smtpServerName(bad);
      } catch (error) {
        expect((error as MailError).code).toBe('E_MAIL_CONFIG');
      }
    }
  });
});

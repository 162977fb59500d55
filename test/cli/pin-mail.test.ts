import { existsSync, readFileSync } from 'node:fs';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { startSmtpServer, type TestSmtpServer } from '../directory/mail/smtp-test-server.ts';
import { cliFixture } from './directory-fixture.ts';

let fixture: ReturnType<typeof cliFixture>;
let server: TestSmtpServer | undefined;
beforeEach(async () => {
  fixture = cliFixture();
  expect((await fixture.run('pin', 'status', 'amos', '--config', fixture.config)).code).toBe(0);
});
afterEach(async () => {
  await server?.close();
  server = undefined;
  fixture.cleanup();
});

const pinOf = (line: string) => /: ([0-9]+) \(/.exec(line)![1]!;
const databaseBytes = (db: string) => [db, `${db}-wal`].filter((path) => existsSync(path)).map((path) => readFileSync(path).toString('latin1')).join('');

describe('dialin-sim pin with --smtp', () => {
  it('mails the new PIN to the SMTP server, not to the mail folder', async () => {
    server = await startSmtpServer();
    const { code, out, err } = await fixture.run('pin', 'reset', 'amos', '--smtp', server.url);
    expect({ code, err }).toEqual({ code: 0, err: [] });
    const pin = pinOf(out[0]!);
    expect(server.received).toHaveLength(1);
    expect(server.received[0]!.raw).toMatch(/^To: amos@contoso\.com\r$/m);
    expect(server.received[0]!.raw).toContain(`Your new PIN is: ${pin}`);
    expect(databaseBytes(fixture.db)).not.toContain(`Your new PIN is: ${pin}`);
    expect((await fixture.run('outbox')).out).toEqual(['The outbox is empty.']);
  });

  it('keeps the new PIN when the mail fails, prints it, and says so in one line with exit status 1', async () => {
    server = await startSmtpServer({ message: 'relay denied', responseCode: 550 });
    const { code, out, err } = await fixture.run('pin', 'set', 'amos', '--smtp', server.url);
    expect(code).toBe(1);
    expect(out[0]).toMatch(/^New PIN for amos: [0-9]{5} \(shown once; the mail to amos@contoso\.com failed; give the user the PIN another way\)$/);
    expect(err).toEqual([
      `dialin-sim pin: mail to amos@contoso.com was not sent: ${server.url} did not take the mail (EMESSAGE: 550 relay denied); the PIN of amos is set`,
    ]);
    expect(err[0]).not.toContain(pinOf(out[0]!));
    expect((await fixture.run('pin', 'status', 'amos')).out[1]).toMatch(/^ {2}PIN: {7}\*\*\*\*\* set /);
    const audit = (await fixture.run('pin', 'audit', 'amos')).out;
    expect(audit.at(-1)).toMatch(/ mail-failed mail to amos@contoso\.com was not sent: /);
  });

  it('refuses a URL that is not smtp:// or smtps://, and --smtp where no mail is sent', async () => {
    const bad = await fixture.run('pin', 'set', 'amos', '--smtp', 'http://mail.contoso.com');
    expect(bad).toMatchObject({ code: 2, err: ["dialin-sim pin: --smtp expects smtp://HOST:PORT or smtps://HOST:PORT, got 'http://mail.contoso.com'"] });
    const status = await fixture.run('pin', 'status', 'amos', '--smtp', 'smtp://127.0.0.1:25');
    expect(status).toMatchObject({ code: 2, err: ["dialin-sim pin: --smtp only goes with 'pin set' and 'pin reset' (the actions that send mail)"] });
    expect((await fixture.run('pin', 'status', 'amos')).out[1]).toBe('  PIN:       not set');
  });
});

describe('dialin-sim conference reset-id with --smtp', () => {
  it('mails the new ID to the organizer through the SMTP server', async () => {
    server = await startSmtpServer();
    const { code, out } = await fixture.run('conference', 'reset-id', '123456', '--smtp', server.url);
    expect(code).toBe(0);
    const newId = /is now ([0-9]+) /.exec(out[0]!)![1]!;
    expect(server.received.map((mail) => mail.to)).toEqual([['amos@contoso.com']]);
    expect(server.received[0]!.raw).toContain(`Your meeting has a new dial-in conference ID: ${newId}`);
  });

  it('keeps the new ID when the mail fails and says so in one line with exit status 1', async () => {
    server = await startSmtpServer({ message: 'relay denied', responseCode: 550 });
    const { code, out, err } = await fixture.run('conference', 'reset-id', '123456', '--smtp', server.url);
    expect(code).toBe(1);
    const newId = /is now ([0-9]+) /.exec(out[0]!)![1]!;
    expect(out[0]).toMatch(/; the mail to amos@contoso\.com failed\)$/);
    expect(err).toEqual([
      `dialin-sim conference: mail to amos@contoso.com was not sent: ${server.url} did not take the mail (EMESSAGE: 550 relay denied); conference 123456 is now ${newId}`,
    ]);
    expect((await fixture.run('conference', 'list')).out.some((line) => line.startsWith(newId))).toBe(true);
  });
});

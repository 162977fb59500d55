import { readdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { EmlFolder, mailFolderFor } from '../../../src/directory/mail/eml-folder.ts';
import { decodeBody, decodeWords, readEml } from '../../../src/directory/mail/eml-reader.ts';
import { START_MS, tempDir } from '../helpers.ts';

let temp: ReturnType<typeof tempDir>;
beforeEach(() => {
  temp = tempDir();
});
afterEach(() => temp.cleanup());

const message = (atMs: number, userId: string | undefined, body = 'Hello,\n\nYour new PIN is: 80264') => ({
  to: `${userId ?? 'ops'}@contoso.com`,
  subject: 'Your dial-in conferencing PIN',
  body,
  userId,
  atMs,
});

describe('the mail folder', () => {
  it('is named after the database', () => {
    expect(mailFolderFor('dialin.db')).toBe('dialin.mail');
    expect(mailFolderFor('/var/lib/office.db')).toBe('/var/lib/office.mail');
    expect(mailFolderFor('office.sqlite')).toBe('office.sqlite.mail');
  });

  it('writes each message as an .eml file only its owner can read, named so the names sort by time', async () => {
    const folder = new EmlFolder(temp.file('dialin.mail'));
    await folder.deliver(message(START_MS + 1000, 'bela'));
    await folder.deliver(message(START_MS, 'amos'));
    await folder.deliver(message(START_MS, 'chen'));
    expect(statSync(folder.folder).mode & 0o777).toBe(0o700);
    const files = readdirSync(folder.folder).sort();
    expect(files).toEqual([
      '2025-01-06T09-00-00.000Z-000.eml',
      '2025-01-06T09-00-00.000Z-001.eml',
      '2025-01-06T09-00-01.000Z-000.eml',
    ]);
    for (const file of files) expect(statSync(join(folder.folder, file)).mode & 0o777).toBe(0o600);
    const raw = readFileSync(join(folder.folder, files[0]!), 'utf8');
    expect(raw).toMatch(/^To: amos@contoso\.com\r$/m);
    expect(raw).toMatch(/^Date: Mon, 06 Jan 2025 09:00:00 \+0000\r$/m);
    expect(raw).toContain('Your new PIN is: 80264');
    expect(folder.list().map((mail) => mail.userId)).toEqual(['amos', 'chen', 'bela']);
  });

  it('lists to, subject, date and body as written, non-ASCII names and long lines included', async () => {
    const folder = new EmlFolder(temp.file('dialin.mail'));
    const body = `Hello Zoë Ångström,\n\n${'long line '.repeat(12).trim()}\nYour new PIN is: 80264`;
    await folder.deliver({ ...message(START_MS, 'zoe', body), subject: 'Ihre PIN für die Einwahl' });
    await folder.deliver(message(START_MS + 5, undefined));
    expect(folder.list()).toEqual([
      { id: '2025-01-06T09-00-00.000Z-000.eml', at: START_MS, userId: 'zoe', to: 'zoe@contoso.com', subject: 'Ihre PIN für die Einwahl', body },
      { id: '2025-01-06T09-00-00.005Z-000.eml', at: START_MS, userId: null, to: 'ops@contoso.com', subject: 'Your dial-in conferencing PIN', body: 'Hello,\n\nYour new PIN is: 80264' },
    ]);
    expect(folder.list('zoe')).toHaveLength(1);
  });

  it("deletes one user's messages or all of them, and reads a missing folder as empty", async () => {
    const folder = new EmlFolder(temp.file('dialin.mail'));
    expect(folder.list()).toEqual([]);
    expect(folder.clear()).toBe(0);
    await folder.deliver(message(START_MS, 'amos'));
    await folder.deliver(message(START_MS, 'bela'));
    expect(folder.clear('amos')).toBe(1);
    expect(folder.list().map((mail) => mail.userId)).toEqual(['bela']);
    expect(folder.clear()).toBe(1);
    expect(readdirSync(folder.folder)).toEqual([]);
  });

  it('reports a folder it cannot write as a failed delivery naming the folder', async () => {
    const blocked = new EmlFolder(temp.file('blocked.mail'));
    writeFileSync(blocked.folder, 'a file where the folder should be');
    await expect(blocked.deliver(message(START_MS, 'amos'))).rejects.toMatchObject({
      code: 'E_MAIL_DELIVERY',
      message: `cannot write to the mail folder ${blocked.folder} (EEXIST)`,
    });
  });
});

describe('reading an .eml file', () => {
  it('decodes encoded words, quoted-printable and base64 bodies (RFC 2047, RFC 2045)', () => {
    expect(decodeWords('=?UTF-8?Q?Ihre_PIN_f=C3=BCr?= =?UTF-8?B?IGRpZQ==?= Einwahl')).toBe('Ihre PIN für die Einwahl');
    expect(decodeBody('Zo=C3=AB, a soft=\r\n break', 'quoted-printable')).toBe('Zoë, a soft break');
    expect(decodeBody('SGVsbG8g\r\nWm/Dqw==', 'base64')).toBe('Hello Zoë');
    expect(decodeBody('as is', '7bit')).toBe('as is');
  });

  it('unfolds headers and ignores a file without a header block', () => {
    const mail = readEml('x.eml', 'To: amos@contoso.com\r\nSubject: a long\r\n  subject\r\nDate: Mon, 06 Jan 2025 09:00:00 +0000\r\n\r\nbody\r\n');
    expect(mail).toMatchObject({ to: 'amos@contoso.com', subject: 'a long  subject', at: START_MS, body: 'body', userId: null });
    expect(readEml('y.eml', 'no headers at all')).toBeUndefined();
  });
});

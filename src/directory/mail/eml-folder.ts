/**
 * The embedded mail transport: each message is an RFC 5322 .eml file in a
 * folder beside the database (`dialin.db` -> `dialin.mail/`), readable by
 * any mail program. The folder is made with mode 0700 and each file 0600,
 * as they hold PINs in clear. Files are named by the message's time in ms
 * (UTC, `2025-01-06T09-00-00.120Z-000.eml`), so sorting the names sorts the
 * mail by time; the counter separates messages of the same millisecond.
 * A file is written under a dot name and renamed, so a reader never sees
 * half a message.
 */
import { readdirSync, readFileSync, rmSync } from 'node:fs';
import { mkdir, rename, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { readEml } from './eml-reader.ts';
import { MailError } from './mail-error.ts';
import { rawMessage, type MailMessage } from './mail-message.ts';
import type { Mailbox } from './mail-transport.ts';
import type { StoredMail } from './stored-mail.ts';

/** The mail folder of a database file: its name without `.db`, plus `.mail`. */
export function mailFolderFor(dbFile: string): string {
  return `${dbFile.replace(/\.db$/, '')}.mail`;
}

function stamp(atMs: number): string {
  return new Date(atMs).toISOString().replace(/:/g, '-');
}

/** Tries per millisecond before giving up on a free name. */
const MAX_SAME_MS = 1000;

export class EmlFolder implements Mailbox {
  readonly folder: string;
  readonly name: string;

  constructor(folder: string) {
    this.folder = folder;
    this.name = `the mail folder ${folder}`;
  }

  async deliver(message: MailMessage): Promise<void> {
    const raw = await rawMessage(message);
    try {
      await mkdir(this.folder, { mode: 0o700, recursive: true });
      for (let n = 0; n < MAX_SAME_MS; n++) {
        const file = `${stamp(message.atMs)}-${String(n).padStart(3, '0')}.eml`;
        const temporary = join(this.folder, `.${file}.${process.pid}`);
        // 'wx' on the final name first: the name is ours only if nobody has it.
        try {
          await writeFile(join(this.folder, file), '', { flag: 'wx', mode: 0o600 });
        } catch (error) {
          if ((error as NodeJS.ErrnoException).code === 'EEXIST') continue;
          throw error;
        }
        await writeFile(temporary, raw, { mode: 0o600 });
        await rename(temporary, join(this.folder, file));
        return;
      }
      throw new Error(`no free file name for ${stamp(message.atMs)}`);
    } catch (error) {
      const reason = (error as NodeJS.ErrnoException).code ?? (error as Error).message;
      throw new MailError('E_MAIL_DELIVERY', `cannot write to ${this.name} (${reason})`, { cause: error });
    }
  }

  /** The stored messages, oldest first. A missing folder is an empty one; an unreadable file is skipped. */
  list(userId?: string): StoredMail[] {
    const messages: StoredMail[] = [];
    for (const file of this.files()) {
      let text: string | undefined;
      try {
        text = readFileSync(join(this.folder, file), 'utf8');
      } catch {
        // Deleted since the folder was read, or not ours to read: not a message to show.
      }
      const mail = text === undefined ? undefined : readEml(file, text);
      if (mail && (userId === undefined || mail.userId === userId)) messages.push(mail);
    }
    return messages;
  }

  clear(userId?: string): number {
    const doomed = this.list(userId).map((mail) => mail.id);
    try {
      for (const file of doomed) rmSync(join(this.folder, file), { force: true });
    } catch (error) {
      throw new MailError('E_MAIL_FOLDER', `cannot delete mail in ${this.folder} (${(error as NodeJS.ErrnoException).code})`, { cause: error });
    }
    return doomed.length;
  }

  close(): void {}

  private files(): string[] {
    try {
      return readdirSync(this.folder).filter((file) => file.endsWith('.eml') && !file.startsWith('.')).sort();
    } catch (error) {
      const code = (error as NodeJS.ErrnoException).code;
      if (code === 'ENOENT') return [];
      throw new MailError('E_MAIL_FOLDER', `cannot read the mail folder ${this.folder} (${code})`, { cause: error });
    }
  }
}

/**
 * Delivery to an SMTP server through nodemailer (`--smtp smtp://HOST:PORT`,
 * or smtps:// for TLS from the first byte, RFC 8314 3.3; user:password@ in
 * the URL logs in). STARTTLS is used when the server offers it, as
 * nodemailer does by default. The server's name in messages never carries
 * the password.
 */
import { createTransport } from 'nodemailer';
import { MailError } from './mail-error.ts';
import { nodemailerFields, type MailMessage } from './mail-message.ts';
import type { MailTransport } from './mail-transport.ts';

/**
 * Shorter than nodemailer's defaults (2 min to connect, 10 min idle): a PIN
 * change waits for its mail, and an unreachable server should be reported
 * while the administrator is still there.
 */
export const SMTP_TIMEOUTS_MS = { connectionTimeout: 10_000, greetingTimeout: 10_000, socketTimeout: 30_000 } as const;

/** nodemailer's ports when the URL gives none: 587 (submission, RFC 6409) and 465 (RFC 8314). */
const DEFAULT_PORT = { 'smtp:': 587, 'smtps:': 465 } as const;

/** The server an --smtp URL names, as messages show it (`smtp://mail.contoso.com:25`); MailError E_MAIL_CONFIG when it is not one. */
export function smtpServerName(url: string): string {
  // The URL as given, less any USER:PASSWORD@.
  const problem = () => new MailError('E_MAIL_CONFIG', `expects smtp://HOST:PORT or smtps://HOST:PORT, got '${url.replace(/\/\/[^/]*@/, '//')}'`);
  let parsed: URL;
  try {
    parsed = new URL(url);
  } catch {
    throw problem();
  }
  if ((parsed.protocol !== 'smtp:' && parsed.protocol !== 'smtps:') || parsed.hostname === '') throw problem();
  return `${parsed.protocol}//${parsed.hostname}:${parsed.port || DEFAULT_PORT[parsed.protocol]}`;
}

/** Digit runs as long as a PIN, masked: a server reply that quotes the message must not put a PIN in a log. */
function masked(text: string): string {
  return text.replace(/[0-9]{4,}/g, (digits) => '*'.repeat(digits.length));
}

function reason(error: unknown): string {
  const failure = error as { code?: string; responseCode?: number; response?: string; message?: string };
  if (failure.response) return `${failure.code ?? 'refused'}: ${masked(failure.response.split(/\r?\n/)[0]!)}`;
  return [failure.code, failure.message].filter(Boolean).join(': ') || String(error);
}

export class SmtpTransport implements MailTransport {
  readonly name: string;
  private readonly transporter: ReturnType<typeof createTransport>;

  constructor(url: string) {
    this.name = smtpServerName(url);
    this.transporter = createTransport({ url, ...SMTP_TIMEOUTS_MS });
  }

  async deliver(message: MailMessage): Promise<void> {
    try {
      await this.transporter.sendMail(nodemailerFields(message));
    } catch (error) {
      throw new MailError('E_MAIL_DELIVERY', `${this.name} did not take the mail (${reason(error)})`, { cause: error });
    }
  }

  close(): void {
    this.transporter.close();
  }
}

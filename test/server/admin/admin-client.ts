/**
 * Test helper: a server with the demo deployment and two admin accounts
 * (`alice`, role admin; `uma`, role user-admin), on a clock the test moves,
 * and a tiny HTTP client that keeps one cookie jar, as a browser tab would,
 * and reads the CSRF token from the last page.
 */
import { manualClock, type ManualClock } from '../../../src/directory/clock.ts';
import type { AdminRole } from '../../../src/directory/access/admin-accounts.ts';
import { startServer, type RunningServer } from '../../../src/server/server.ts';
import type { ServerOptions } from '../../../src/server/server-options.ts';

/** Each test account's password (at least 15 characters, as accounts require). */
export function passwordOf(name: string): string {
  return `${name}-long-password-1`;
}

export interface AdminTestServer {
  readonly server: RunningServer;
  readonly clock: ManualClock;
  /** Every log line. */
  readonly lines: string[];
  close(): Promise<void>;
}

export async function startAdminServer(
  accounts: Readonly<Record<string, AdminRole>> = { alice: 'admin', uma: 'user-admin' },
  options: Partial<ServerOptions> = {},
): Promise<AdminTestServer> {
  const clock = manualClock(Date.UTC(2026, 0, 5, 9, 0, 0));
  const lines: string[] = [];
  const server = await startServer({ port: 0, host: '127.0.0.1', db: ':memory:', log: (line) => lines.push(line), wallClock: clock.now, ...options });
  for (const [name, role] of Object.entries(accounts)) {
    await server.directory.accounts.add(name, role, { password: passwordOf(name) });
  }
  return { server, clock, lines, close: () => server.close() };
}

export interface Reply {
  readonly status: number;
  readonly headers: Headers;
  readonly text: string;
}

/** One browser tab's worth of state: a cookie jar and the last page's CSRF token. */
export class AdminClient {
  readonly base: string;
  readonly cookies = new Map<string, string>();
  csrf: string | undefined;

  constructor(base: string) {
    this.base = base;
  }

  private cookieHeader(): Record<string, string> {
    return this.cookies.size ? { cookie: [...this.cookies].map(([name, value]) => `${name}=${value}`).join('; ') } : {};
  }

  private async keep(response: Response): Promise<Reply> {
    for (const line of response.headers.getSetCookie()) {
      const [pair] = line.split(';');
      const eq = pair!.indexOf('=');
      const name = pair!.slice(0, eq);
      const value = pair!.slice(eq + 1);
      if (value === '' || /max-age=0/i.test(line)) this.cookies.delete(name);
      else this.cookies.set(name, value);
    }
    const text = await response.text();
    const token = /name="csrf" value="([^"]+)"/.exec(text)?.[1];
    if (token) this.csrf = token;
    return { status: response.status, headers: response.headers, text };
  }

  async get(path: string, headers: Record<string, string> = {}): Promise<Reply> {
    return this.keep(await fetch(this.base + path, { redirect: 'manual', headers: { ...this.cookieHeader(), ...headers } }));
  }

  /** A form post from the server's own page (its Origin), with the session's CSRF token unless `csrf` says otherwise. */
  async post(path: string, fields: Record<string, string>, options: { csrf?: string | null; headers?: Record<string, string> } = {}): Promise<Reply> {
    const body = new URLSearchParams(fields);
    const csrf = options.csrf === undefined ? this.csrf : options.csrf;
    if (csrf !== null && csrf !== undefined) body.set('csrf', csrf);
    const response = await fetch(this.base + path, {
      method: 'POST',
      redirect: 'manual',
      headers: { 'content-type': 'application/x-www-form-urlencoded', origin: this.base, ...this.cookieHeader(), ...options.headers },
      body: body.toString(),
    });
    return this.keep(response);
  }

  async postJson(path: string, body: unknown, headers: Record<string, string> = {}): Promise<Reply> {
    const response = await fetch(this.base + path, {
      method: 'POST',
      redirect: 'manual',
      headers: { 'content-type': 'application/json', origin: this.base, ...(this.csrf ? { 'x-csrf-token': this.csrf } : {}), ...this.cookieHeader(), ...headers },
      body: JSON.stringify(body),
    });
    return this.keep(response);
  }

  async signIn(name: string, password = passwordOf(name)): Promise<Reply> {
    const reply = await this.post('/admin/sign-in', { name, password }, { csrf: null });
    if (reply.status === 303) await this.get('/admin/users');
    return reply;
  }
}

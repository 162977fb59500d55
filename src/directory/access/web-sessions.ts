/**
 * Web sessions of the admin center and the self-service page, kept in the
 * directory so that every server process on the same file sees them. The
 * browser holds a random token (secret-tokens.ts); the directory holds its
 * SHA-256, the subject and a CSRF token for the session's forms.
 *
 * A session ends after 30 minutes without use or 12 hours after sign-in,
 * whichever comes first: the OWASP Session Management Cheat Sheet gives 15
 * to 30 minutes of idle time for low-risk applications and asks for an
 * absolute limit as well. A removed admin account or user ends its sessions.
 */
import { timingSafeEqual } from 'node:crypto';
import type { AdminRole } from './admin-accounts.ts';
import type { Clock } from '../clock.ts';
import type { DirectoryStore } from '../directory-store.ts';
import { DirectoryError } from '../errors.ts';
import { isTokenShaped, newToken, tokenHash } from './secret-tokens.ts';

export const SESSION_TIMING = {
  idleMs: 30 * 60_000,
  maxAgeMs: 12 * 60 * 60_000,
} as const;

/** Who a session signs in: an admin (with the role the account has now) or a user of the directory. */
export type SessionSubject =
  | { readonly kind: 'admin'; readonly name: string; readonly role: AdminRole }
  | { readonly kind: 'user'; readonly userId: string };

/** What `createSession` takes: the role is read from the account, never from the caller. */
export type SessionFor = { readonly kind: 'admin'; readonly name: string } | { readonly kind: 'user'; readonly userId: string };

export interface WebSession {
  readonly subject: SessionSubject;
  /** To put in the session's forms and compare with `csrfMatches`. */
  readonly csrfToken: string;
  readonly createdAt: number;
  readonly lastSeenAt: number;
  /** When it ends unless used before: the idle limit or the absolute one, whichever is first. */
  readonly expiresAt: number;
}

export interface NewSession extends WebSession {
  /** The bearer token for the cookie; the directory keeps only its hash. */
  readonly token: string;
}

/** Whether a submitted CSRF token is the session's, in constant time. */
export function csrfMatches(session: Pick<WebSession, 'csrfToken'>, candidate: string): boolean {
  const expected = Buffer.from(session.csrfToken);
  const given = Buffer.from(candidate);
  return expected.length === given.length && timingSafeEqual(expected, given);
}

function expiresAt(createdAt: number, lastSeenAt: number): number {
  return Math.min(lastSeenAt + SESSION_TIMING.idleMs, createdAt + SESSION_TIMING.maxAgeMs);
}

export class WebSessions {
  private readonly store: DirectoryStore;
  private readonly clock: Clock;

  constructor(store: DirectoryStore, clock: Clock) {
    this.store = store;
    this.clock = clock;
  }

  /** Starts a session for an existing admin account or user (E_UNKNOWN_ADMIN / E_UNKNOWN_USER otherwise). */
  create(who: SessionFor): Promise<NewSession> {
    return this.store.write('start a web session', async (tx) => {
      const now = this.clock.now();
      let subject: SessionSubject;
      if (who.kind === 'admin') {
        const row = await tx.q.selectFrom('admin_accounts').select('role').where('name', '=', who.name).executeTakeFirst();
        if (!row) throw new DirectoryError('E_UNKNOWN_ADMIN', `no admin account '${who.name}'`);
        subject = { kind: 'admin', name: who.name, role: row.role };
      } else {
        await tx.requireUser(who.userId);
        subject = { kind: 'user', userId: who.userId };
      }
      await purge(tx, now);
      const token = newToken();
      const csrfToken = newToken();
      await tx.q
        .insertInto('web_sessions')
        .values({
          token_hash: tokenHash(token),
          subject_kind: who.kind,
          subject: who.kind === 'admin' ? who.name : who.userId,
          csrf_token: csrfToken,
          created_at: now,
          last_seen_at: now,
        })
        .execute();
      return { token, subject, csrfToken, createdAt: now, lastSeenAt: now, expiresAt: expiresAt(now, now) };
    });
  }

  /**
   * The live session for `token`, marked as used now (which moves its idle
   * limit), or undefined for an unknown, ended or expired token.
   */
  async lookup(token: string): Promise<WebSession | undefined> {
    if (!isTokenShaped(token)) return undefined;
    const hash = tokenHash(token);
    return this.store.write('look up a web session', async (tx) => {
      const now = this.clock.now();
      const row = await tx.q
        .selectFrom('web_sessions as s')
        .leftJoin('admin_accounts as a', (join) => join.on('s.subject_kind', '=', 'admin').onRef('a.name', '=', 's.subject'))
        .leftJoin('users as u', 'u.id', 's.subject')
        .select(['s.subject_kind', 's.subject', 's.csrf_token', 's.created_at', 's.last_seen_at', 'a.role', 'u.id as user_id'])
        .where('s.token_hash', '=', hash)
        .executeTakeFirst();
      if (!row) return undefined;
      const gone = row.subject_kind === 'admin' ? row.role === null : row.user_id === null;
      if (gone || now >= expiresAt(row.created_at, row.last_seen_at)) {
        await tx.q.deleteFrom('web_sessions').where('token_hash', '=', hash).execute();
        return undefined;
      }
      await tx.q.updateTable('web_sessions').set({ last_seen_at: now }).where('token_hash', '=', hash).execute();
      const subject: SessionSubject =
        row.subject_kind === 'admin' ? { kind: 'admin', name: row.subject, role: row.role! } : { kind: 'user', userId: row.subject };
      return { subject, csrfToken: row.csrf_token, createdAt: row.created_at, lastSeenAt: now, expiresAt: expiresAt(row.created_at, now) };
    });
  }

  /** Ends a session (signing out); returns whether there was one. */
  async end(token: string): Promise<boolean> {
    if (!isTokenShaped(token)) return false;
    const result = await this.store.write('end a web session', (tx) =>
      tx.q.deleteFrom('web_sessions').where('token_hash', '=', tokenHash(token)).executeTakeFirst(),
    );
    return result.numDeletedRows > 0n;
  }

  /** Ends every session of an admin or a user; returns how many. */
  async endAll(who: SessionFor): Promise<number> {
    const result = await this.store.write('end web sessions', (tx) =>
      tx.q
        .deleteFrom('web_sessions')
        .where('subject_kind', '=', who.kind)
        .where('subject', '=', who.kind === 'admin' ? who.name : who.userId)
        .executeTakeFirst(),
    );
    return Number(result.numDeletedRows);
  }
}

async function purge(store: DirectoryStore, nowMs: number): Promise<void> {
  await store.q
    .deleteFrom('web_sessions')
    .where((eb) => eb.or([eb('last_seen_at', '<=', nowMs - SESSION_TIMING.idleMs), eb('created_at', '<=', nowMs - SESSION_TIMING.maxAgeMs)]))
    .execute();
}

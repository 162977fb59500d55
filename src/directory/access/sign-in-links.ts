/**
 * One-time sign-in links for the self-service page. A user asks with their
 * e-mail address; the directory makes a token valid for 15 minutes and
 * hands it to the caller's mailer, and answers the same whether or not the
 * address is known, so the page cannot be used to find out who is in the
 * directory. Redeeming marks the link used in the same statement that
 * checks it, so two tabs (or two server processes) racing with one link get
 * one session between them.
 */
import type { Clock } from '../clock.ts';
import type { DirectoryStore } from '../directory-store.ts';
import { composeSignInLinkMail } from '../mail/notice-mails.ts';
import type { SendMail } from '../mail/mailer.ts';
import type { UserRecord } from '../records.ts';
import { isTokenShaped, newToken, tokenHash } from './secret-tokens.ts';

export const SIGN_IN_LINK_TIMING = {
  /** How long a link works. */
  validMs: 15 * 60_000,
  /**
   * Unused, unexpired links a user may have at once; further requests mail
   * nothing, so nobody can flood a mailbox through the page.
   */
  maxOutstanding: 3,
  /** How long a used or expired link is kept, to say 'used' or 'expired' rather than 'unknown'. */
  keepMs: 24 * 60 * 60_000,
} as const;

export interface SignInLink {
  /** The token for the link's URL; the directory keeps only its hash. */
  readonly token: string;
  readonly user: UserRecord;
  /** The address asked with, as stored for the user. */
  readonly to: string;
  readonly expiresAt: number;
}

/**
 * Sends a link; called once per user the address belongs to, never for an
 * unknown address. It should queue the mail rather than wait for a mail
 * server, so that the answer takes as long for a known address as for an
 * unknown one.
 */
export type SignInLinkMailer = (link: SignInLink) => void | Promise<void>;

/** The one answer to every request, known address or not. */
export interface SignInLinkRequested {
  readonly validForMinutes: number;
}

export type RedeemResult =
  | { readonly ok: true; readonly userId: string }
  | { readonly ok: false; readonly reason: 'used' | 'expired' | 'unknown' };

export class SignInLinks {
  private readonly store: DirectoryStore;
  private readonly clock: Clock;
  private readonly sendMail: SendMail;

  constructor(store: DirectoryStore, clock: Clock, sendMail: SendMail) {
    this.store = store;
    this.clock = clock;
    this.sendMail = sendMail;
  }

  /**
   * Makes a link for each user with this address (compared without regard
   * to case or surrounding spaces) and passes it to `mailer`.
   */
  async request(emailAddress: string, mailer: SignInLinkMailer): Promise<SignInLinkRequested> {
    const address = emailAddress.trim().toLowerCase();
    const links = await this.store.write('make a sign-in link', async (tx) => {
      const now = this.clock.now();
      await tx.q.deleteFrom('sign_in_links').where('expires_at', '<=', now - SIGN_IN_LINK_TIMING.keepMs).execute();
      const users = (await tx.listUsers()).filter((user) => user.email.toLowerCase() === address);
      const made: SignInLink[] = [];
      for (const user of users) {
        const outstanding = await tx.q
          .selectFrom('sign_in_links')
          .select((eb) => eb.fn.countAll<number>().as('n'))
          .where('user_id', '=', user.id)
          .where('used_at', 'is', null)
          .where('expires_at', '>', now)
          .executeTakeFirstOrThrow();
        if (Number(outstanding.n) >= SIGN_IN_LINK_TIMING.maxOutstanding) continue;
        const token = newToken();
        const expiresAt = now + SIGN_IN_LINK_TIMING.validMs;
        await tx.q.insertInto('sign_in_links').values({ token_hash: tokenHash(token), user_id: user.id, created_at: now, expires_at: expiresAt }).execute();
        made.push({ token, user, to: user.email, expiresAt });
      }
      return made;
    });
    for (const link of links) await mailer(link);
    return { validForMinutes: SIGN_IN_LINK_TIMING.validMs / 60_000 };
  }

  /**
   * A mailer that sends the link the way the directory sends its other
   * mail (PinDirectory.sendMail's transport), with `url(token)` as the
   * link. It does not wait for the delivery, so an SMTP server's pace
   * cannot tell a known address from an unknown one; a failed delivery is
   * audited for the user.
   */
  outboxMailer(url: (token: string) => string): SignInLinkMailer {
    return async (link) => {
      const mail = composeSignInLinkMail(link.user.name, url(link.token), SIGN_IN_LINK_TIMING.validMs / 60_000);
      void this.sendMail({ to: link.to, userId: link.user.id, atMs: this.clock.now(), ...mail });
    };
  }

  /** Uses a link up: the user it signs in, or why it does not. */
  async redeem(token: string): Promise<RedeemResult> {
    if (!isTokenShaped(token)) return { ok: false, reason: 'unknown' };
    const hash = tokenHash(token);
    return this.store.write('use a sign-in link', async (tx): Promise<RedeemResult> => {
      const now = this.clock.now();
      const used = await tx.q
        .updateTable('sign_in_links')
        .set({ used_at: now })
        .where('token_hash', '=', hash)
        .where('used_at', 'is', null)
        .where('expires_at', '>', now)
        .returning('user_id')
        .executeTakeFirst();
      if (used) return { ok: true, userId: used.user_id };
      const row = await tx.q.selectFrom('sign_in_links').select('used_at').where('token_hash', '=', hash).executeTakeFirst();
      if (!row) return { ok: false, reason: 'unknown' };
      return { ok: false, reason: row.used_at === null ? 'expired' : 'used' };
    });
  }
}

/**
 * What the admin center and /me ask of the directory side: accounts and
 * their sign-in, web sessions with their CSRF tokens, the one-time /me
 * links, user search, and the PIN actions with their role checks and audit
 * actor. The routes and pages depend only on this interface; the server
 * builds it from the directory (admin-services-directory.ts).
 */
import type { AdminAccount, AdminRole } from '../../directory/access/admin-accounts.ts';
import type { EffectivePolicy, NamedScope } from '../../directory/policy-scope.ts';
import type { UserMatch } from '../../directory/user-search.ts';

export type { AdminAccount, AdminRole };

export interface WebSession {
  /** The cookie value. */
  readonly token: string;
  /** Sent back with every post of the session (form field `csrf`). */
  readonly csrfToken: string;
}

export interface AdminSession extends WebSession {
  readonly account: string;
  readonly role: AdminRole;
}

export interface MeSession extends WebSession {
  readonly userId: string;
}

export type SignInOutcome =
  | { readonly outcome: 'signed-in'; readonly session: AdminSession }
  | { readonly outcome: 'refused' }
  | { readonly outcome: 'locked' };

export const USER_FILTERS = ['locked', 'expired', 'no-pin'] as const;
export type UserFilter = (typeof USER_FILTERS)[number];

export type UserRow = UserMatch;

export type { EffectivePolicy, NamedScope };

/** A new PIN, to be shown once. */
export interface NewPin {
  readonly pin: string;
  readonly mailedTo: string | null;
  readonly mustChange: boolean;
}

/** Every method is asynchronous: the directory may be SQLite or PostgreSQL. */
export interface AdminServices {
  signIn(name: string, password: string): Promise<SignInOutcome>;
  /** The live session behind a cookie value; undefined when unknown, expired or signed out. */
  adminSession(token: string): Promise<AdminSession | undefined>;
  signOut(token: string): Promise<void>;

  searchUsers(actor: AdminSession, query: string, filters: readonly UserFilter[]): Promise<UserRow[]>;
  /** 'ok', or the first policy rule (history included) a PIN typed for this user breaks. */
  checkPin(actor: AdminSession, userId: string, pin: string): Promise<string>;
  effectivePolicy(userId: string): Promise<EffectivePolicy>;
  /** The conference ids a user organizes. */
  conferencesOf(userId: string): Promise<string[]>;

  /** PIN actions; each checks the actor's role and audits the actor. */
  setPin(actor: AdminSession, userId: string, pin?: string): Promise<NewPin>;
  resetPin(actor: AdminSession, userId: string, options: { mustChange: boolean }): Promise<NewPin>;
  unlockPin(actor: AdminSession, userId: string): Promise<void>;
  lockPin(actor: AdminSession, userId: string): Promise<void>;
  removePin(actor: AdminSession, userId: string): Promise<void>;
  /** A new random conference id for one of the user's conferences; the new id. */
  resetConferenceId(actor: AdminSession, conferenceId: string): Promise<string>;

  /** Admin only. The fields as a form gave them; the directory checks each and names the first bad one (SettingError). */
  setGlobalPolicy(actor: AdminSession, patch: Readonly<Record<string, unknown>>): Promise<void>;
  setTenant(actor: AdminSession, patch: Readonly<Record<string, unknown>>): Promise<void>;
  /** A site's or user's own policy: changed (made from the one that applied until then when new) or removed. */
  setScopedPolicy(actor: AdminSession, scope: NamedScope, patch: Readonly<Record<string, unknown>>): Promise<void>;
  removeScopedPolicy(actor: AdminSession, scope: NamedScope): Promise<void>;
  listAccounts(actor: AdminSession): Promise<AdminAccount[]>;
  /** A new account with a generated password, returned to be shown once. */
  addAccount(actor: AdminSession, name: string, role: AdminRole): Promise<string>;
  removeAccount(actor: AdminSession, name: string): Promise<void>;
  unlockAccount(actor: AdminSession, name: string): Promise<void>;

  /** Mails a one-time /me link when the address belongs to a user; silent otherwise. */
  requestMeLink(email: string, baseUrl: string): Promise<void>;
  /** Uses up a link; the new session, or undefined when the link is unknown, used or late. */
  redeemMeLink(token: string): Promise<MeSession | undefined>;
  meSession(token: string): Promise<MeSession | undefined>;
  signOutMe(token: string): Promise<void>;
  /** The user's own PIN change (a generated PIN when `pin` is absent). */
  changeOwnPin(session: MeSession, pin?: string): Promise<NewPin>;
  checkOwnPin(session: MeSession, pin: string): Promise<string>;
}

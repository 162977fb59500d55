/**
 * AdminServices on the PIN directory: its admin accounts and sign-in
 * lockout, its web sessions and CSRF tokens, its one-time sign-in links, and
 * its DirectoryActions, which check the actor's role and write the actor
 * into the audit log. The web layer adds no check of its own here: it only
 * turns a session into the actor the directory knows.
 */
import { DirectoryActions, type Actor } from '../../directory/directory-actions.ts';
import type { PinDirectory } from '../../directory/pin-directory.ts';
import type { WebSession as StoredSession } from '../../directory/access/web-sessions.ts';
import type { AdminServices, AdminSession, MeSession, NewPin, UserFilter } from './admin-services.ts';

function adminActor(session: AdminSession): Actor {
  return { kind: 'admin', name: session.account, role: session.role };
}

function newPin(issued: { pin: string; mailedTo: string | null; mustChange: boolean }): NewPin {
  return { pin: issued.pin, mailedTo: issued.mailedTo, mustChange: issued.mustChange };
}

function asAdmin(token: string, session: StoredSession | undefined): AdminSession | undefined {
  if (session?.subject.kind !== 'admin') return undefined;
  return { token, csrfToken: session.csrfToken, account: session.subject.name, role: session.subject.role };
}

function asUser(token: string, session: StoredSession | undefined): MeSession | undefined {
  if (session?.subject.kind !== 'user') return undefined;
  return { token, csrfToken: session.csrfToken, userId: session.subject.userId };
}

export function directoryAdminServices(directory: PinDirectory): AdminServices {
  const as = (session: AdminSession) => new DirectoryActions(directory, adminActor(session));
  const self = (session: MeSession) => new DirectoryActions(directory, { kind: 'user', userId: session.userId });
  return {
    async signIn(name, password) {
      const result = await directory.accounts.verifySignIn(name, password);
      if (result.outcome === 'locked') return { outcome: 'locked' };
      if (result.outcome === 'rejected') return result.lockedNow ? { outcome: 'locked' } : { outcome: 'refused' };
      const created = await directory.sessions.create({ kind: 'admin', name: result.name });
      return { outcome: 'signed-in', session: asAdmin(created.token, created)! };
    },
    adminSession: async (token) => asAdmin(token, await directory.sessions.lookup(token)),
    signOut: async (token) => void (await directory.sessions.end(token)),

    searchUsers: (actor, text, filters: readonly UserFilter[]) =>
      as(actor).searchUsers({
        text,
        ...(filters.includes('locked') ? { locked: true } : {}),
        ...(filters.includes('expired') ? { expired: true } : {}),
        ...(filters.includes('no-pin') ? { noPin: true } : {}),
      }),
    checkPin: (actor, userId, pin) => as(actor).checkPin(userId, pin),
    effectivePolicy: (userId) => directory.effectivePolicy(userId),
    conferencesOf: async (userId) =>
      (await directory.listConferences()).filter((conference) => conference.organizerId === userId).map((conference) => conference.id),

    setPin: async (actor, userId, pin) => newPin(await as(actor).setPin(userId, { pin })),
    resetPin: async (actor, userId, { mustChange }) => newPin(await as(actor).resetPin(userId, { requireChange: mustChange })),
    unlockPin: async (actor, userId) => void (await as(actor).unlockPin(userId)),
    lockPin: (actor, userId) => as(actor).lockPin(userId),
    removePin: (actor, userId) => as(actor).removePin(userId),
    resetConferenceId: async (actor, conferenceId) => (await as(actor).resetConferenceId(conferenceId)).newId,

    setGlobalPolicy: async (actor, patch) => void (await as(actor).changeSettings({ policy: patch })),
    setTenant: async (actor, patch) => void (await as(actor).changeSettings({ tenant: patch })),
    setScopedPolicy: async (actor, scope, patch) => void (await as(actor).changeScopedPolicy(scope, patch)),
    removeScopedPolicy: (actor, scope) => as(actor).removeScopedPolicy(scope),
    listAccounts: (actor) => as(actor).listAdmins(),
    addAccount: async (actor, name, role) => (await as(actor).addAdmin(name, role)).generatedPassword!,
    removeAccount: (actor, name) => as(actor).removeAdmin(name),
    unlockAccount: async (actor, name) => void (await as(actor).unlockAdmin(name)),

    async requestMeLink(email, baseUrl) {
      await directory.signInLinks.request(email, directory.signInLinks.outboxMailer((token) => `${baseUrl}/me/sign-in?token=${token}`));
    },
    async redeemMeLink(token) {
      const result = await directory.signInLinks.redeem(token);
      if (!result.ok) return undefined;
      const created = await directory.sessions.create({ kind: 'user', userId: result.userId });
      return asUser(created.token, created);
    },
    meSession: async (token) => asUser(token, await directory.sessions.lookup(token)),
    signOutMe: async (token) => void (await directory.sessions.end(token)),
    changeOwnPin: async (session, pin) => newPin(await self(session).resetOwnPin({ pin })),
    checkOwnPin: (session, pin) => self(session).checkPin(session.userId, pin),
  };
}

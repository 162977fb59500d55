/**
 * The admin center's, the self-service page's and the CLI's actions, one
 * implementation each: who may do what is checked here, so no page can
 * forget it, and each action writes its actor into the audit log.
 *
 *   actor          may
 *   cli            everything (whoever can write the database file)
 *   admin          every action below
 *   user-admin     PIN and conference ID actions on users, search, status, audit
 *   the user       their own PIN (the self-service page), and checking a PIN for it
 *
 * After Skype for Business Server's RBAC roles CsAdministrator and
 * CsUserAdministrator. A locked PIN must be unlocked before it is set or
 * reset (as in Skype for Business Control Panel); a reset requires a change
 * at the next dial-in unless told otherwise, as Exchange's
 * Set-UMMailboxPIN -PINExpired does by default.
 */
import type { AdminAccount, AdminRole } from './access/admin-accounts.ts';
import type { AuditEntry, AuditQuery } from './audit-log.ts';
import type { ConferenceIdReset } from './conference-ids.ts';
import { PermissionError } from './errors.ts';
import type { IssuedPin } from './pin-issuer.ts';
import type { PinDirectory } from './pin-directory.ts';
import type { PinRule } from './pin-policy.ts';
import type { EffectivePolicy, NamedScope } from './policy-scope.ts';
import type { PinStatus } from './pin-status.ts';
import type { PinPolicy, TenantSettings } from './settings.ts';
import type { UserMatch, UserQuery } from './user-search.ts';
import type { WebSession } from './access/web-sessions.ts';

/** Who acts. */
export type Actor =
  | { readonly kind: 'admin'; readonly name: string; readonly role: AdminRole }
  | { readonly kind: 'cli' }
  | { readonly kind: 'user'; readonly userId: string };

export const CLI_ACTOR: Actor = { kind: 'cli' };

/** The actor as the audit log writes it after 'by': 'admin alice', 'cli', 'the user'. */
export function actorName(actor: Actor): string {
  switch (actor.kind) {
    case 'admin':
      return `admin ${actor.name}`;
    case 'cli':
      return 'cli';
    case 'user':
      return 'the user';
  }
}

/** The actor a web session speaks for. */
export function actorOf(session: Pick<WebSession, 'subject'>): Actor {
  const { subject } = session;
  return subject.kind === 'admin' ? { kind: 'admin', name: subject.name, role: subject.role } : { kind: 'user', userId: subject.userId };
}

type Permission = 'user PINs' | 'settings' | 'admin accounts';

const PERMISSION_TEXT: Record<Permission, string> = {
  'user PINs': "act on users' PINs and conference IDs",
  settings: 'change the PIN policy or tenant settings',
  'admin accounts': 'manage admin accounts',
};

export interface SettingsChange {
  readonly policy?: Partial<PinPolicy> | undefined;
  readonly tenant?: Partial<TenantSettings> | undefined;
}

export class DirectoryActions {
  readonly directory: PinDirectory;
  readonly actor: Actor;
  private readonly by: string;

  constructor(directory: PinDirectory, actor: Actor) {
    this.directory = directory;
    this.actor = actor;
    this.by = actorName(actor);
  }

  // ---- users' PINs and conference IDs (user-admin and up) -----------------

  /** Sets a user's PIN: `pin` if given (checked against the policy), else a generated one; mailed as the tenant says. */
  async setPin(userId: string, options: { pin?: string | undefined; expired?: boolean | undefined } = {}): Promise<IssuedPin> {
    this.require('user PINs');
    return this.directory.setPin(userId, options.pin, { expired: options.expired ?? false, actor: this.by });
  }

  /** Replaces a user's PIN with a generated one and mails it; it must be changed at the next dial-in unless `requireChange` is false. */
  async resetPin(userId: string, options: { requireChange?: boolean | undefined } = {}): Promise<IssuedPin> {
    this.require('user PINs');
    return this.directory.resetPin(userId, { expired: options.requireChange ?? true, actor: this.by });
  }

  async unlockPin(userId: string): Promise<{ wasLocked: boolean }> {
    this.require('user PINs');
    return this.directory.unlock(userId, { actor: this.by });
  }

  async lockPin(userId: string): Promise<void> {
    this.require('user PINs');
    return this.directory.lock(userId, { actor: this.by });
  }

  async removePin(userId: string): Promise<void> {
    this.require('user PINs');
    return this.directory.removePin(userId, { actor: this.by });
  }

  /** A new random ID for a meeting; the old one stops working now, and the organizer is mailed. */
  async resetConferenceId(conferenceId: string): Promise<ConferenceIdReset> {
    this.require('user PINs');
    return this.directory.resetConferenceId(conferenceId, { actor: this.by });
  }

  async searchUsers(query: UserQuery = {}): Promise<UserMatch[]> {
    this.require('user PINs');
    return this.directory.searchUsers(query);
  }

  async getStatus(userId: string): Promise<PinStatus> {
    this.requireUserOrSelf(userId);
    return this.directory.getStatus(userId);
  }

  async listAudit(query: AuditQuery = {}): Promise<AuditEntry[]> {
    this.require('user PINs');
    return this.directory.listAudit(query);
  }

  /** For as-you-type feedback: 'ok', or the first rule `candidate` breaks for this user. */
  async checkPin(userId: string, candidate: string): Promise<'ok' | PinRule> {
    this.requireUserOrSelf(userId);
    return (await this.directory.checkPin(userId, candidate)) ?? 'ok';
  }

  // ---- the user's own PIN (the self-service page) --------------------------

  /** The signed-in user's new PIN: typed (checked against the policy) or generated; refused while locked. */
  async resetOwnPin(options: { pin?: string | undefined } = {}): Promise<IssuedPin> {
    if (this.actor.kind !== 'user') {
      throw new PermissionError(`${this.by} has no PIN of their own; use setPin or resetPin`, 'a signed-in user');
    }
    return this.directory.changeOwnPin(this.actor.userId, options.pin, { actor: this.by });
  }

  // ---- settings and admin accounts (admin) ---------------------------------

  /** Changes policy and tenant fields together (SettingError naming the first bad one); returns both. */
  async changeSettings(change: SettingsChange): Promise<{ policy: PinPolicy; tenant: TenantSettings }> {
    this.require('settings');
    await this.directory.importRecords({ policy: change.policy, tenant: change.tenant }, { actor: this.by });
    return { policy: await this.directory.getPolicy(), tenant: await this.directory.getTenant() };
  }

  /**
   * Changes some fields of a site's or user's own PIN policy (creating it
   * from the policy that applied until then); SettingError naming the first
   * bad field. Returns the scope's policy.
   */
  async changeScopedPolicy(scope: NamedScope, patch: Partial<PinPolicy>): Promise<PinPolicy> {
    this.require('settings');
    return this.directory.setScopedPolicy(scope, patch, { actor: this.by });
  }

  /** Deletes a site's or user's own policy: its users fall back to the next scope. */
  async removeScopedPolicy(scope: NamedScope): Promise<void> {
    this.require('settings');
    return this.directory.removeScopedPolicy(scope, { actor: this.by });
  }

  /** The PIN policy that applies to a user and whose it is (the pages show it beside a PIN form). */
  async effectivePolicy(userId: string): Promise<EffectivePolicy> {
    this.requireUserOrSelf(userId);
    return this.directory.effectivePolicy(userId);
  }

  /** Adds an admin account; without `password` one is generated and returned once. */
  async addAdmin(
    name: string,
    role: AdminRole,
    options: { password?: string | undefined } = {},
  ): Promise<{ account: AdminAccount; generatedPassword: string | undefined }> {
    this.require('admin accounts');
    return this.directory.accounts.add(name, role, { password: options.password, actor: this.by });
  }

  /** Removes an admin account and ends its sessions; nobody removes their own account. */
  async removeAdmin(name: string): Promise<void> {
    this.require('admin accounts');
    if (this.actor.kind === 'admin' && this.actor.name === name) {
      throw new PermissionError(`admin '${name}' cannot remove their own account`, 'another admin');
    }
    return this.directory.accounts.remove(name, this.by);
  }

  async unlockAdmin(name: string): Promise<{ wasLocked: boolean }> {
    this.require('admin accounts');
    return this.directory.accounts.unlock(name, this.by);
  }

  async listAdmins(): Promise<AdminAccount[]> {
    this.require('admin accounts');
    return this.directory.accounts.list();
  }

  // ---- checks ----------------------------------------------------------------

  private require(permission: Permission): void {
    const { actor } = this;
    if (actor.kind === 'cli') return;
    if (actor.kind === 'admin' && (permission === 'user PINs' || actor.role === 'admin')) return;
    const needs = actor.kind === 'admin' ? 'the admin role' : 'an admin account';
    throw new PermissionError(`${this.by} may not ${PERMISSION_TEXT[permission]}: that takes ${needs}`, needs);
  }

  private requireUserOrSelf(userId: string): void {
    if (this.actor.kind === 'user' && this.actor.userId === userId) return;
    if (this.actor.kind === 'user') {
      throw new PermissionError(`the user may act only on their own PIN`, 'an admin account');
    }
    this.require('user PINs');
  }
}

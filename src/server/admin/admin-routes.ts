/**
 * The routes of the admin center under /admin: sign-in and sign-out, Users
 * and a user's page with the PIN actions, Policies, Tenant settings, Admin
 * accounts, Outbox, Audit log and Live conferences. A `user-admin` reaches
 * Users, the PIN actions, the Audit log and Live conferences; everything
 * else is `admin` only, refused with 403 whether or not the page offers it.
 */
import { AUDIT_EVENTS } from '../../directory/audit-log.ts';
import { ADMIN_ROLES, isAdminRole } from '../../directory/access/admin-accounts.ts';
import { DirectoryError } from '../../directory/errors.ts';
import { MailError } from '../../directory/mail/mail-error.ts';
import type { PinDirectory } from '../../directory/pin-directory.ts';
import type { ConferenceListing } from '../ivr-bridge.ts';
import { USER_FILTERS, type NamedScope, type AdminServices, type AdminSession, type NewPin, type UserFilter } from './admin-services.ts';
import { ADMIN_COOKIE, clearedCookie, sessionCookie } from './cookies.ts';
import { actionProblem } from './action-problem.ts';
import type { Html } from './html.ts';
import { redirect, sendJsonNoStore, sendPage } from './page-headers.ts';
import { pinCheckAnswer } from './pin-check.ts';
import { accountsPage } from './pages/accounts-page.ts';
import { layout, type Notice } from './pages/layout.ts';
import { auditPage, byAdmin, conferencesPage, outboxPage } from './pages/log-pages.ts';
import { policiesPage, tenantPage } from './pages/settings-pages.ts';
import { signInPage } from './pages/sign-in-page.ts';
import { userPage } from './pages/user-page.ts';
import { usersPage } from './pages/users-page.ts';
import { refusals } from './refusal-pages.ts';
import { createRouter, type Route, type RouteContext } from './route-table.ts';
import { policyPatch, tenantPatch } from './settings-form.ts';

function scopeOf(kind: string, name: string): NamedScope {
  return kind === 'site' ? { kind: 'site', site: name } : { kind: 'user', userId: name };
}

export interface AdminRoutesDeps {
  readonly directory: PinDirectory;
  readonly services: AdminServices;
  readonly conferences: () => Promise<ConferenceListing[]>;
}

type Context = RouteContext<AdminSession>;
const adminOnly = (session: AdminSession) => session.role === 'admin';

/** What the user's page says after an action that redirects back to it (fixed words, so nothing is reflected). */
const DONE: Readonly<Record<string, string>> = {
  unlocked: 'The PIN has been unlocked and its failures cleared.',
  locked: 'The PIN has been locked until it is unlocked.',
  removed: 'The PIN has been removed.',
  'conference-id': 'The conference ID has been reset.',
  saved: 'Saved.',
  'account-remove': 'The account has been removed and its sessions ended.',
  'account-unlock': 'Sign-in has been unlocked for the account.',
};

export function createAdminRoutes(deps: AdminRoutesDeps) {
  const { directory, services } = deps;

  const page = (context: Context, status: number, title: string, current: string, body: Html) =>
    sendPage(context.response, status, layout({ title, body, admin: context.session, current }));

  const doneMessage = (url: URL) => {
    const text = DONE[url.searchParams.get('done') ?? ''];
    return text === undefined ? undefined : { kind: 'ok' as const, text };
  };

  const userOr404 = async (context: Context) => {
    const user = await directory.getUser(context.params[0]!);
    if (!user) refusals.admin.notFound(context.response);
    return user;
  };

  const showUser = async (context: Context, status = 200, extra: { newPin?: NewPin; message?: Notice } = {}) => {
    const user = await userOr404(context);
    if (!user) return;
    const body = userPage({
      user,
      status: await directory.getStatus(user.id),
      policy: await services.effectivePolicy(user.id),
      conferences: await services.conferencesOf(user.id),
      csrf: context.session.csrfToken,
      newPin: extra.newPin,
      message: extra.message ?? doneMessage(context.url),
    });
    page(context, status, user.name, '/admin/users', body);
  };

  /** Runs a PIN action; a refusal (locked, policy, no PIN) is shown on the user's page with its status code. */
  const userAction = (run: (context: Context, userId: string) => Promise<NewPin | string>) => async (context: Context) => {
    const user = await userOr404(context);
    if (!user) return;
    try {
      const result = await run(context, user.id);
      if (typeof result === 'string') return redirect(context.response, `/admin/users/${encodeURIComponent(user.id)}?done=${result}`);
      await showUser(context, 200, { newPin: result });
    } catch (error) {
      const problem = actionProblem(error);
      await showUser(context, problem.status, { message: { kind: 'error', text: problem.text } });
    }
  };

  const showAccounts = async (context: Context, status = 200, extra: { added?: { name: string; password: string }; message?: Notice } = {}) =>
    page(context, status, 'Admin accounts', '/admin/accounts', accountsPage({ accounts: await services.listAccounts(context.session), session: context.session, message: doneMessage(context.url), ...extra }));

  const showPolicies = async (context: Context, status = 200, message: Notice | undefined = doneMessage(context.url)) => {
    const users = await Promise.all((await directory.listUsers()).map(async (user) => ({ user, policy: await services.effectivePolicy(user.id) })));
    const data = { global: await directory.getPolicy(), scoped: await directory.listScopedPolicies(), users, csrf: context.session.csrfToken, message };
    page(context, status, 'Policies', '/admin/policies', policiesPage(data));
  };

  /** A policy change, then back to Policies; a refusal (a bad field, an unknown user) is shown there. */
  const policyChange = (run: (context: Context) => Promise<void>) => async (context: Context) => {
    try {
      await run(context);
      redirect(context.response, '/admin/policies?done=saved');
    } catch (error) {
      const problem = actionProblem(error);
      await showPolicies(context, problem.status, { kind: 'error', text: problem.text });
    }
  };

  const routes: Route<AdminSession>[] = [
    { method: 'GET', path: /^\/admin\/?$/, handle: ({ response }) => redirect(response, '/admin/users') },
    {
      method: 'GET',
      path: /^\/admin\/sign-in$/,
      public: true,
      handle: ({ response }) => sendPage(response, 200, layout({ title: 'Sign in', body: signInPage() })),
    },
    {
      method: 'POST',
      path: /^\/admin\/sign-in$/,
      public: true,
      async handle({ request, response, form }) {
        const name = form.get('name') ?? '';
        const outcome = await services.signIn(name, form.get('password') ?? '');
        if (outcome.outcome === 'signed-in') {
          return redirect(response, '/admin/users', { 'set-cookie': sessionCookie(request, ADMIN_COOKIE, outcome.session.token) });
        }
        const text =
          outcome.outcome === 'locked'
            ? 'Sign-in is locked for this account after too many failed attempts. Try again later or ask another admin.'
            : 'The name or the password is not right.';
        sendPage(response, outcome.outcome === 'locked' ? 429 : 401, layout({ title: 'Sign in', body: signInPage({ kind: 'error', text }, name) }));
      },
    },
    {
      method: 'POST',
      path: /^\/admin\/sign-out$/,
      async handle({ request, response, session }) {
        await services.signOut(session.token);
        redirect(response, '/admin/sign-in', { 'set-cookie': clearedCookie(request, ADMIN_COOKIE) });
      },
    },
    {
      method: 'GET',
      path: /^\/admin\/users$/,
      async handle(context) {
        const query = (context.url.searchParams.get('q') ?? '').slice(0, 200);
        const filters = context.url.searchParams.getAll('filter').filter((f): f is UserFilter => (USER_FILTERS as readonly string[]).includes(f));
        page(context, 200, 'Users', '/admin/users', usersPage(query, filters, await services.searchUsers(context.session, query, filters)));
      },
    },
    { method: 'GET', path: /^\/admin\/users\/([^/]+)$/, handle: (context) => showUser(context) },
    {
      method: 'POST',
      path: /^\/admin\/users\/([^/]+)\/set-pin$/,
      handle: userAction(async ({ session, form }, userId) => {
        const manual = form.get('mode') === 'manual';
        return services.setPin(session, userId, manual ? (form.get('pin') ?? '') : undefined);
      }),
    },
    {
      method: 'POST',
      path: /^\/admin\/users\/([^/]+)\/reset-pin$/,
      handle: userAction(({ session, form }, userId) => services.resetPin(session, userId, { mustChange: form.get('mustChange') === 'on' })),
    },
    { method: 'POST', path: /^\/admin\/users\/([^/]+)\/unlock$/, handle: userAction(async ({ session }, userId) => (await services.unlockPin(session, userId), 'unlocked')) },
    { method: 'POST', path: /^\/admin\/users\/([^/]+)\/lock$/, handle: userAction(async ({ session }, userId) => (await services.lockPin(session, userId), 'locked')) },
    { method: 'POST', path: /^\/admin\/users\/([^/]+)\/remove-pin$/, handle: userAction(async ({ session }, userId) => (await services.removePin(session, userId), 'removed')) },
    {
      method: 'POST',
      path: /^\/admin\/users\/([^/]+)\/reset-conference-id$/,
      handle: userAction(async ({ session, form }, userId) => {
        // Only a meeting of the user whose page this is: the page offers no other.
        const conference = form.get('conference') ?? '';
        if (!(await services.conferencesOf(userId)).includes(conference)) {
          throw new DirectoryError('E_UNKNOWN_CONFERENCE', `'${userId}' organizes no conference ${conference.slice(0, 24)}`);
        }
        await services.resetConferenceId(session, conference);
        return 'conference-id';
      }),
    },
    {
      method: 'POST',
      path: /^\/admin\/users\/([^/]+)\/check-pin$/,
      json: true,
      async handle(context) {
        const user = await directory.getUser(context.params[0]!);
        if (!user) return sendJsonNoStore(context.response, 404, { error: 'no such user' });
        const verdict = await services.checkPin(context.session, user.id, (context.form.get('pin') ?? '').slice(0, 64));
        sendJsonNoStore(context.response, 200, pinCheckAnswer(verdict, (await services.effectivePolicy(user.id)).policy));
      },
    },
    { method: 'GET', path: /^\/admin\/policies$/, allowed: adminOnly, handle: (context) => showPolicies(context) },
    {
      method: 'POST',
      path: /^\/admin\/policies$/,
      allowed: adminOnly,
      handle: policyChange((context) => services.setGlobalPolicy(context.session, policyPatch(context.form))),
    },
    {
      method: 'POST',
      path: /^\/admin\/policies\/new$/,
      allowed: adminOnly,
      handle: policyChange(async (context) => {
        const kind = context.form.get('kind');
        const name = (context.form.get('name') ?? '').trim();
        if (kind !== 'site' && kind !== 'user') throw new DirectoryError('E_INVALID_RECORD', 'a policy is for a site or a user');
        await services.setScopedPolicy(context.session, scopeOf(kind, name), {});
      }),
    },
    {
      method: 'POST',
      path: /^\/admin\/policies\/(site|user)\/([^/]+)$/,
      allowed: adminOnly,
      handle: policyChange((context) => services.setScopedPolicy(context.session, scopeOf(context.params[0]!, context.params[1]!), policyPatch(context.form))),
    },
    {
      method: 'POST',
      path: /^\/admin\/policies\/(site|user)\/([^/]+)\/remove$/,
      allowed: adminOnly,
      handle: policyChange((context) => services.removeScopedPolicy(context.session, scopeOf(context.params[0]!, context.params[1]!))),
    },
    {
      method: 'GET',
      path: /^\/admin\/tenant$/,
      allowed: adminOnly,
      handle: async (context) => page(context, 200, 'Tenant settings', '/admin/tenant', tenantPage(await directory.getTenant(), context.session.csrfToken, doneMessage(context.url))),
    },
    {
      method: 'POST',
      path: /^\/admin\/tenant$/,
      allowed: adminOnly,
      async handle(context) {
        try {
          await services.setTenant(context.session, tenantPatch(context.form));
          redirect(context.response, '/admin/tenant?done=saved');
        } catch (error) {
          const problem = actionProblem(error);
          page(context, problem.status, 'Tenant settings', '/admin/tenant', tenantPage(await directory.getTenant(), context.session.csrfToken, { kind: 'error', text: problem.text }));
        }
      },
    },
    { method: 'GET', path: /^\/admin\/accounts$/, allowed: adminOnly, handle: (context) => showAccounts(context) },
    {
      method: 'POST',
      path: /^\/admin\/accounts$/,
      allowed: adminOnly,
      async handle(context) {
        const name = (context.form.get('name') ?? '').trim();
        const role = context.form.get('role') ?? '';
        try {
          if (!isAdminRole(role)) throw new DirectoryError('E_INVALID_RECORD', `admin role must be ${ADMIN_ROLES.join(' or ')}`);
          await showAccounts(context, 200, { added: { name, password: await services.addAccount(context.session, name, role) } });
        } catch (error) {
          const problem = actionProblem(error);
          await showAccounts(context, problem.status, { message: { kind: 'error', text: problem.text } });
        }
      },
    },
    {
      method: 'POST',
      path: /^\/admin\/accounts\/([^/]+)\/(remove|unlock)$/,
      allowed: adminOnly,
      async handle(context) {
        const [name, what] = context.params as [string, 'remove' | 'unlock'];
        try {
          if (what === 'remove') await services.removeAccount(context.session, name);
          else await services.unlockAccount(context.session, name);
          redirect(context.response, `/admin/accounts?done=account-${what}`);
        } catch (error) {
          const problem = actionProblem(error);
          await showAccounts(context, problem.status, { message: { kind: 'error', text: problem.text } });
        }
      },
    },
    {
      method: 'GET',
      path: /^\/admin\/outbox$/,
      allowed: adminOnly,
      async handle(context) {
        let messages: Parameters<typeof outboxPage>[0];
        try {
          messages = await directory.listOutbox();
        } catch (error) {
          // Mail sent by SMTP is not kept: say where it went instead.
          if (!(error instanceof MailError && error.code === 'E_NO_MAILBOX')) throw error;
          messages = { unavailable: `Nothing to show: ${error.message.replace(/^cannot read the outbox: /, '')}.` };
        }
        page(context, 200, 'Outbox', '/admin/outbox', outboxPage(messages));
      },
    },
    {
      method: 'GET',
      path: /^\/admin\/audit$/,
      async handle(context) {
        const read = (name: string) => (context.url.searchParams.get(name) ?? '').slice(0, 100).trim();
        const filter = { user: read('user'), event: read('event'), admin: read('admin') };
        const entries = (await directory.listAudit(filter.user ? { userId: filter.user } : {})).filter((entry) => (filter.event === '' || entry.event === filter.event) && (filter.admin === '' || byAdmin(entry, filter.admin)));
        page(context, 200, 'Audit log', '/admin/audit', auditPage(entries, filter, AUDIT_EVENTS));
      },
    },
    {
      method: 'GET',
      path: /^\/admin\/conferences$/,
      handle: async (context) => page(context, 200, 'Live conferences', '/admin/conferences', conferencesPage(await deps.conferences())),
    },
  ];

  return createRouter<AdminSession>({ routes, cookie: ADMIN_COOKIE, session: (token) => services.adminSession(token), refuse: refusals.admin });
}

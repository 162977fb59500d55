/**
 * The self-service routes under /me. A user asks for a sign-in link by
 * e-mail address (the answer is the same whether or not the address is
 * known, so the page cannot be used to find out who has an account), opens
 * it, confirms with a button (GET only shows the button: mail scanners that
 * fetch links would otherwise use up a single-use link), and then sees their
 * PIN state and resets it. A locked PIN cannot be reset here.
 */
import type { IncomingMessage } from 'node:http';
import type { PinDirectory } from '../../directory/pin-directory.ts';
import type { AdminServices, MeSession, NewPin } from './admin-services.ts';
import { actionProblem } from './action-problem.ts';
import { ME_COOKIE, clearedCookie, sessionCookie } from './cookies.ts';
import { redirect, sendJsonNoStore, sendPage } from './page-headers.ts';
import { pinCheckAnswer } from './pin-check.ts';
import { layout, type Notice } from './pages/layout.ts';
import { LINK_SENT, meConfirmPage, mePage, meRequestPage } from './pages/me-pages.ts';
import { refusals } from './refusal-pages.ts';
import { createRouter, type Route, type RouteContext } from './route-table.ts';

export interface MeRoutesDeps {
  readonly directory: PinDirectory;
  readonly services: AdminServices;
  /** The origin a mailed link points at (host-guard.ts: never a name the request chose). */
  readonly linkOrigin: (request: IncomingMessage) => string;
}

const TITLE = 'My PIN';

export function createMeRoutes(deps: MeRoutesDeps) {
  const { directory, services } = deps;

  const showMe = async (context: RouteContext<MeSession>, status = 200, extra: { newPin?: NewPin; message?: Notice } = {}) => {
    const { session } = context;
    const user = await directory.getUser(session.userId);
    if (!user) return refusals.me.unauthorized(context.response);
    const body = mePage({
      name: user.name,
      status: await directory.getStatus(user.id),
      policy: await services.effectivePolicy(user.id),
      csrf: session.csrfToken,
      ...extra,
    });
    sendPage(context.response, status, layout({ area: 'me', title: TITLE, body, meCsrf: session.csrfToken }));
  };

  const routes: Route<MeSession>[] = [
    {
      method: 'GET',
      path: /^\/me\/?$/,
      public: true,
      handle(context) {
        if (context.session) return showMe(context);
        sendPage(context.response, 200, layout({ area: 'me', title: TITLE, body: meRequestPage() }));
      },
    },
    {
      method: 'POST',
      path: /^\/me\/link$/,
      public: true,
      async handle({ request, response, form }) {
        await services.requestMeLink((form.get('email') ?? '').trim().slice(0, 320), deps.linkOrigin(request));
        sendPage(response, 200, layout({ area: 'me', title: TITLE, body: meRequestPage({ kind: 'ok', text: LINK_SENT }) }));
      },
    },
    {
      method: 'GET',
      path: /^\/me\/sign-in$/,
      public: true,
      handle: ({ response, url }) => sendPage(response, 200, layout({ area: 'me', title: TITLE, body: meConfirmPage((url.searchParams.get('token') ?? '').slice(0, 256)) })),
    },
    {
      method: 'POST',
      path: /^\/me\/sign-in$/,
      public: true,
      async handle({ request, response, form }) {
        const session = await services.redeemMeLink(form.get('token') ?? '');
        if (!session) {
          const text = 'This sign-in link has been used, has expired or is not valid. Ask for a new one.';
          return sendPage(response, 401, layout({ area: 'me', title: TITLE, body: meRequestPage({ kind: 'error', text }) }));
        }
        redirect(response, '/me', { 'set-cookie': sessionCookie(request, ME_COOKIE, session.token) });
      },
    },
    {
      method: 'POST',
      path: /^\/me\/reset-pin$/,
      async handle(context) {
        const manual = context.form.get('mode') === 'manual';
        try {
          const newPin = await services.changeOwnPin(context.session, manual ? (context.form.get('pin') ?? '') : undefined);
          await showMe(context, 200, { newPin });
        } catch (error) {
          const problem = actionProblem(error);
          await showMe(context, problem.status, { message: { kind: 'error', text: problem.text } });
        }
      },
    },
    {
      method: 'POST',
      path: /^\/me\/check-pin$/,
      json: true,
      async handle(context) {
        const verdict = await services.checkOwnPin(context.session, (context.form.get('pin') ?? '').slice(0, 64));
        sendJsonNoStore(context.response, 200, pinCheckAnswer(verdict, (await services.effectivePolicy(context.session.userId)).policy));
      },
    },
    {
      method: 'POST',
      path: /^\/me\/sign-out$/,
      async handle({ request, response, session }) {
        await services.signOutMe(session.token);
        redirect(response, '/me', { 'set-cookie': clearedCookie(request, ME_COOKIE) });
      },
    },
  ];

  return createRouter<MeSession>({ routes, cookie: ME_COOKIE, session: (token) => services.meSession(token), refuse: refusals.me });
}

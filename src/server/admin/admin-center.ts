/**
 * The admin center (/admin) and the self-service page (/me) on the server's
 * HTTP port: which router a path belongs to, and the answer to a request
 * body that cannot be read or a refusal no route expected.
 */
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { PinDirectory } from '../../directory/pin-directory.ts';
import type { ConferenceListing } from '../ivr-bridge.ts';
import type { AdminServices } from './admin-services.ts';
import { createAdminRoutes } from './admin-routes.ts';
import { FormBodyError } from './form-body.ts';
import { html } from './html.ts';
import { createMeRoutes } from './me-routes.ts';
import { sendPage } from './page-headers.ts';
import { layout } from './pages/layout.ts';

export interface AdminCenterDeps {
  readonly directory: PinDirectory;
  readonly services: AdminServices;
  /** The monitor's listing (the same as GET /api/conferences). */
  readonly conferences: () => Promise<ConferenceListing[]>;
  /** The origin of links the server mails (HostGuard.linkOrigin). */
  readonly linkOrigin: (request: IncomingMessage) => string;
}

/** Handles /admin and /me paths; false for any other path. */
export type AdminCenter = (request: IncomingMessage, response: ServerResponse) => Promise<boolean>;

export function createAdminCenter(deps: AdminCenterDeps): AdminCenter {
  const admin = createAdminRoutes(deps);
  const me = createMeRoutes(deps);
  return async (request, response) => {
    const url = new URL(request.url ?? '/', 'http://localhost');
    const router = /^\/admin(\/|$)/.test(url.pathname) ? admin : /^\/me(\/|$)/.test(url.pathname) ? me : undefined;
    if (!router) return false;
    try {
      await router(request, response, url);
    } catch (error) {
      const status = error instanceof FormBodyError ? error.status : error instanceof URIError ? 400 : undefined;
      if (status === undefined || response.headersSent) throw error;
      response.setHeader('connection', 'close');
      sendPage(response, status, layout({ title: 'Bad request', body: html`<p>${error instanceof FormBodyError ? error.message : 'The address is not valid.'}</p>` }));
    }
    return true;
  };
}

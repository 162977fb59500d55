/**
 * The little router both /admin and /me use: a table of method, path
 * pattern and handler, and the checks every route passes in order. A post
 * from another site's page is refused (403) before anything else; a route
 * that needs a session gets the signed-in session or, without one, a
 * redirect to sign in (GET) or 401 (a post); a post of a signed-in session
 * must carry its CSRF token (403 without it); the role must be allowed
 * (403). Only then is the handler called.
 */
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { FormFields } from './form-body.ts';
import { readForm, readJsonFields } from './form-body.ts';
import { readCookie } from './cookies.ts';
import { csrfMatches } from '../../directory/access/web-sessions.ts';
import { sameOriginRequest } from './request-guard.ts';
import type { WebSession } from './admin-services.ts';

export interface RouteContext<S> {
  readonly request: IncomingMessage;
  readonly response: ServerResponse;
  readonly url: URL;
  /** The signed-in session (undefined only on public routes). */
  readonly session: S;
  /** The posted fields (a form, or JSON for `json` routes); empty for GET. */
  readonly form: FormFields;
  /** The pattern's captured groups, URL-decoded. */
  readonly params: readonly string[];
}

export interface Route<S> {
  readonly method: 'GET' | 'POST';
  readonly path: RegExp;
  /** Reachable without a session (sign-in, the /me link). */
  readonly public?: boolean;
  /** Allowed for this session (a role check); every session when absent. */
  readonly allowed?: (session: S) => boolean;
  /** The body is JSON (the as-typed PIN check), with the CSRF token in `x-csrf-token`. */
  readonly json?: boolean;
  readonly handle: (context: RouteContext<S>) => void | Promise<void>;
}

export interface Refusals {
  /** The request comes from another origin, or a post without the session's CSRF token. */
  forbidden(response: ServerResponse, why: string): void;
  /** A GET without a session. */
  signInFirst(response: ServerResponse): void;
  /** A post without a session. */
  unauthorized(response: ServerResponse): void;
  notFound(response: ServerResponse): void;
  methodNotAllowed(response: ServerResponse, allow: string): void;
}

export interface RouterOptions<S extends WebSession> {
  readonly routes: readonly Route<S>[];
  readonly cookie: string;
  readonly session: (token: string) => Promise<S | undefined>;
  readonly refuse: Refusals;
}

/** Handles a request under the router's prefix; the caller has checked the prefix. */
export function createRouter<S extends WebSession>(options: RouterOptions<S>) {
  return async (request: IncomingMessage, response: ServerResponse, url: URL): Promise<void> => {
    const path = url.pathname;
    const method = request.method === 'HEAD' ? 'GET' : request.method;
    let match: RegExpExecArray | null = null;
    const route = options.routes.find((candidate) => candidate.method === method && (match = candidate.path.exec(path)) !== null);
    if (!route || !match) {
      const allow = options.routes.filter((candidate) => candidate.path.test(path)).map((candidate) => candidate.method);
      return allow.length ? options.refuse.methodNotAllowed(response, [...new Set(allow)].join(', ')) : options.refuse.notFound(response);
    }
    const post = route.method === 'POST';
    if (post && !sameOriginRequest(request)) return options.refuse.forbidden(response, 'This request did not come from this server’s own page.');
    const token = readCookie(request, options.cookie);
    const session = token === undefined ? undefined : await options.session(token);
    if (!route.public && !session) return post ? options.refuse.unauthorized(response) : options.refuse.signInFirst(response);
    if (session && route.allowed && !route.allowed(session)) return options.refuse.forbidden(response, 'Your role does not allow this.');
    const form: FormFields = post ? await (route.json ? readJsonFields(request) : readForm(request)) : new Map();
    if (post && session && !route.public) {
      const presented = route.json ? headerValue(request.headers['x-csrf-token']) : form.get('csrf');
      if (presented === undefined || !csrfMatches(session, presented)) return options.refuse.forbidden(response, 'The form has expired or did not come from this page; reload it and try again.');
    }
    const params = (match as RegExpExecArray).slice(1).map((part) => decodeURIComponent(part));
    await route.handle({ request, response, url, session: session as S, form, params });
  };
}

function headerValue(value: string | string[] | undefined): string | undefined {
  return Array.isArray(value) ? undefined : value;
}

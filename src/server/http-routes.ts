/**
 * The plain HTTP side of the server: health, the conference list, the
 * admin center and /me (admin/), the softphone's static files, and 404 for
 * everything else. A request whose
 * Host does not name the server gets 421 and one during shutdown 503, both
 * closing the connection. WebSocket paths are routed before an upgrade
 * (websocket-calls.ts), so they never reach here.
 */
import type { IncomingMessage, ServerResponse } from 'node:http';

/** Serves a static file for the request; false when it does not know the path. */
export type StaticHandler = (request: IncomingMessage, response: ServerResponse) => boolean | Promise<boolean>;

export interface HttpRoutesDeps {
  /** True when the request's Host does not name this server (host-guard.ts). */
  misdirected: (request: IncomingMessage) => boolean;
  /** True once the server is draining. */
  shuttingDown: () => boolean;
  /** The conference list for GET /api/conferences. */
  conferences: () => Promise<unknown>;
  /** True when the request carries the configured token (or none is configured). */
  authorized: (request: IncomingMessage) => boolean;
  /** The admin center (/admin) and the self-service page (/me); false for other paths. */
  adminCenter?: StaticHandler;
  /** The softphone's files under `/`, when the web client is available. */
  staticFiles?: StaticHandler;
  /** Called with a one-line description of a failed request. */
  onError: (message: string) => void;
}

export function sendJson(response: ServerResponse, status: number, body: unknown): void {
  const text = JSON.stringify(body);
  response.writeHead(status, {
    'content-type': 'application/json; charset=utf-8',
    'content-length': Buffer.byteLength(text),
    'cache-control': 'no-store',
  });
  response.end(text);
}

/** An HTTP error that also ends the connection. */
function refuseRequest(response: ServerResponse, status: number, error: string): void {
  response.setHeader('connection', 'close');
  sendJson(response, status, { error });
}

export function createHttpHandler(deps: HttpRoutesDeps) {
  return async (request: IncomingMessage, response: ServerResponse): Promise<void> => {
    if (deps.misdirected(request)) return refuseRequest(response, 421, 'misdirected request: the Host header does not name this server');
    if (deps.shuttingDown()) return refuseRequest(response, 503, 'shutting down');
    try {
      const path = new URL(request.url ?? '/', 'http://localhost').pathname;
      const method = request.method ?? 'GET';
      if (path === '/healthz') {
        if (method !== 'GET' && method !== 'HEAD') return sendJson(response, 405, { error: 'method not allowed' });
        return sendJson(response, 200, { ok: true });
      }
      if (path === '/api/conferences') {
        if (method !== 'GET') return sendJson(response, 405, { error: 'method not allowed' });
        if (!deps.authorized(request)) return sendJson(response, 401, { error: 'unauthorized' });
        return sendJson(response, 200, await deps.conferences());
      }
      if (deps.adminCenter && (await deps.adminCenter(request, response))) return;
      if (deps.staticFiles && (method === 'GET' || method === 'HEAD') && (await deps.staticFiles(request, response))) return;
      sendJson(response, 404, { error: 'not found' });
    } catch (error) {
      deps.onError(`http ${request.method} ${request.url}: ${(error as Error).message}`);
      if (!response.headersSent) sendJson(response, 500, { error: 'internal error' });
      else response.destroy();
    }
  };
}

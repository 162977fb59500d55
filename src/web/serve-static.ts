/**
 * HTTP handler for the softphone's files: the pages, styles and icon from
 * src/web/public/, and the browser modules, TypeScript transpiled on first
 * request by esbuild's `transform` and kept in memory. URLs of modules
 * mirror src/ (/web/client/main.ts is src/web/client/main.ts), so the
 * modules' relative imports, with their `.ts` extensions, resolve as they
 * do for tsc. Only an allow-list is served: the client folder, and the
 * browser-safe pure modules of src/dsp/ the client imports.
 */
import { createHash } from 'node:crypto';
import { readFile, stat } from 'node:fs/promises';
import type { IncomingMessage, ServerResponse } from 'node:http';
import { fileURLToPath } from 'node:url';

const SRC_DIR = fileURLToPath(new URL('../', import.meta.url));
const WEB_DIR = fileURLToPath(new URL('./', import.meta.url));

/** Public files by URL path. */
const PUBLIC_FILES: Readonly<Record<string, string>> = {
  '/': 'public/index.html',
  '/index.html': 'public/index.html',
  '/monitor.html': 'public/monitor.html',
  '/styles.css': 'public/styles.css',
  '/admin.css': 'public/admin.css',
  '/favicon.svg': 'public/favicon.svg',
};

/** Modules outside src/web/client/ that the client imports; pure, no node: imports. */
const SHARED_MODULES: ReadonlySet<string> = new Set(['/dsp/dtmf-keys.ts', '/dsp/levels.ts']);
const CLIENT_MODULE = /^\/web\/client\/[a-z0-9-]+\.ts$/;

const CONTENT_TYPES: Readonly<Record<string, string>> = {
  '.html': 'text/html; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.svg': 'image/svg+xml',
  '.ts': 'text/javascript; charset=utf-8',
};

interface CachedFile {
  readonly mtimeMs: number;
  readonly body: Buffer;
  readonly etag: string;
  readonly contentType: string;
}

const cache = new Map<string, CachedFile>();

/** The file a URL path names, or undefined if it is not one we serve. */
export function resolveStaticPath(pathname: string): string | undefined {
  const publicFile = PUBLIC_FILES[pathname];
  if (publicFile !== undefined) return WEB_DIR + publicFile;
  if (CLIENT_MODULE.test(pathname) || SHARED_MODULES.has(pathname)) return SRC_DIR + pathname.slice(1);
  return undefined;
}

async function transpile(source: string, file: string): Promise<string> {
  const { transform } = await import('esbuild');
  const result = await transform(source, {
    loader: 'ts',
    format: 'esm',
    target: 'es2022',
    sourcefile: file.slice(SRC_DIR.length - 1),
    sourcemap: 'inline',
    tsconfigRaw: { compilerOptions: { verbatimModuleSyntax: true } },
  });
  return result.code;
}

async function load(file: string): Promise<CachedFile | undefined> {
  let mtimeMs: number;
  try {
    mtimeMs = (await stat(file)).mtimeMs;
  } catch {
    return undefined;
  }
  const cached = cache.get(file);
  if (cached?.mtimeMs === mtimeMs) return cached;
  const extension = file.slice(file.lastIndexOf('.'));
  const raw = await readFile(file);
  const body = extension === '.ts' ? Buffer.from(await transpile(raw.toString('utf8'), file)) : raw;
  const entry: CachedFile = {
    mtimeMs,
    body,
    etag: `"${createHash('sha1').update(body).digest('base64url').slice(0, 20)}"`,
    contentType: CONTENT_TYPES[extension] ?? 'application/octet-stream',
  };
  cache.set(file, entry);
  return entry;
}

/**
 * `connectSources` come from the server's configuration, never from the
 * request: a Host header is the client's to write. 'self' covers the page's
 * own ws: and wss: origin in CSP Level 3 (its "Does url match expression"
 * algorithm); the explicit
 * sources are for browsers that predate it.
 */
function securityHeaders(connectSources: readonly string[]): Record<string, string> {
  return {
    'content-security-policy':
      `default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:; ` +
      `connect-src ${["'self'", ...connectSources].join(' ')}; base-uri 'none'; form-action 'none'; frame-ancestors 'none'`,
    'x-content-type-options': 'nosniff',
    'referrer-policy': 'no-referrer',
  };
}

/**
 * Serves the softphone's files. Resolves to true when it answered the
 * request, false when the path is not one of its files (the caller then
 * routes it elsewhere or answers 404).
 */
export async function handleStatic(req: IncomingMessage, res: ServerResponse, connectSources: readonly string[] = []): Promise<boolean> {
  if (req.method !== 'GET' && req.method !== 'HEAD') return false;
  const pathname = new URL(req.url ?? '/', 'http://localhost').pathname;
  const file = resolveStaticPath(pathname);
  if (file === undefined) return false;
  let entry: CachedFile | undefined;
  try {
    entry = await load(file);
  } catch (error) {
    // A module that does not compile: say where, so the page's console shows it.
    res.writeHead(500, { 'content-type': 'text/plain; charset=utf-8', 'cache-control': 'no-store' });
    res.end(`cannot serve ${pathname}: ${(error as Error).message}\n`);
    return true;
  }
  if (!entry) return false;
  const headers = {
    ...securityHeaders(connectSources),
    'content-type': entry.contentType,
    // Revalidate every time: the files change with the checkout, and the ETag makes it cheap.
    'cache-control': 'no-cache',
    etag: entry.etag,
  };
  if (req.headers['if-none-match'] === entry.etag) {
    res.writeHead(304, headers);
    res.end();
    return true;
  }
  res.writeHead(200, { ...headers, 'content-length': String(entry.body.length) });
  res.end(req.method === 'HEAD' ? undefined : entry.body);
  return true;
}

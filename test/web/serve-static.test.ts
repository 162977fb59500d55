import { once } from 'node:events';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { handleStatic, resolveStaticPath } from '../../src/web/serve-static.ts';

let server: Server;
let base: string;

beforeAll(async () => {
  server = createServer((req, res) => {
    void handleStatic(req, res).then((handled) => {
      if (!handled) {
        res.writeHead(404);
        res.end('not ours');
      }
    });
  });
  server.listen(0, '127.0.0.1');
  await once(server, 'listening');
  base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
});

afterAll(async () => {
  server.close();
  await once(server, 'close');
});

/** Module URLs a transpiled module refers to: its imports and worklet URLs. */
function referencedModules(code: string, from: string): string[] {
  const specifiers = [
    ...code.matchAll(/^(?:import|export)\b[^;]*?\sfrom\s*"([^"]+)"/gm),
    ...code.matchAll(/^import\s*"([^"]+)"/gm),
    ...code.matchAll(/new URL\(\s*["']([^"']+)["']\s*,\s*import\.meta\.url\s*\)/g),
  ].map((match) => match[1]!);
  return specifiers.map((specifier) => new URL(specifier, base + from).pathname);
}

describe('handleStatic', () => {
  it('serves the softphone page at / with a same-origin content security policy', async () => {
    const response = await fetch(`${base}/`);
    expect(response.status).toBe(200);
    expect(response.headers.get('content-type')).toBe('text/html; charset=utf-8');
    // connect-src comes from the server's configuration (none given here), never from the Host header.
    expect(response.headers.get('content-security-policy')).toMatch(/default-src 'self'.*connect-src 'self';/);
    const html = await response.text();
    expect(html).toContain('<script type="module" src="/web/client/softphone-main.ts">');
    expect(html).toContain('id="keypad"');
  });

  it('transpiles TypeScript modules to JavaScript, keeping .ts import paths', async () => {
    const response = await fetch(`${base}/web/client/tone-scheduler.ts`);
    expect(response.status).toBe(200);
    expect(response.headers.get('content-type')).toBe('text/javascript; charset=utf-8');
    const code = await response.text();
    expect(code).toContain('from "../../dsp/dtmf-keys.ts"');
    expect(code).not.toMatch(/\binterface\b|import type|: number/);
    expect(code).toContain('sourceMappingURL=data:application/json');
  });

  it('can load every module the pages and worklets reach, and nothing outside the allow-list', async () => {
    const seen = new Set<string>();
    const queue = ['/web/client/softphone-main.ts', '/web/client/monitor-main.ts'];
    while (queue.length > 0) {
      const path = queue.shift()!;
      if (seen.has(path)) continue;
      seen.add(path);
      const response = await fetch(base + path);
      expect(response.status, path).toBe(200);
      queue.push(...referencedModules(await response.text(), path));
    }
    expect(seen).toContain('/web/client/sender-worklet.ts');
    expect(seen).toContain('/web/client/player-worklet.ts');
    expect(seen).toContain('/dsp/levels.ts');
  });

  it('answers a matching If-None-Match with 304 and HEAD without a body', async () => {
    const first = await fetch(`${base}/styles.css`);
    const etag = first.headers.get('etag');
    expect(etag).toMatch(/^"[\w-]+"$/);
    const again = await fetch(`${base}/styles.css`, { headers: { 'if-none-match': etag! } });
    expect(again.status).toBe(304);
    const head = await fetch(`${base}/monitor.html`, { method: 'HEAD' });
    expect(head.status).toBe(200);
    expect(Number(head.headers.get('content-length'))).toBeGreaterThan(100);
    expect(await head.text()).toBe('');
  });

  it('leaves paths that are not its files to the caller', async () => {
    for (const path of ['/api/conferences', '/web/client/missing-module.ts', '/dsp/g711.ts', '/server/auth.ts', '/web/serve-static.ts', '/web/client/../../server/auth.ts', '/web/client/%2e%2e/x.ts', '/public/index.html']) {
      const response = await fetch(base + path);
      expect(response.status, path).toBe(404);
      expect(await response.text()).toBe('not ours');
    }
    const post = await fetch(`${base}/`, { method: 'POST' });
    expect(post.status).toBe(404);
  });

  it('maps URL paths onto src only through its allow-list', () => {
    expect(resolveStaticPath('/')).toMatch(/src\/web\/public\/index\.html$/);
    expect(resolveStaticPath('/web/client/resampler.ts')).toMatch(/src\/web\/client\/resampler\.ts$/);
    expect(resolveStaticPath('/dsp/levels.ts')).toMatch(/src\/dsp\/levels\.ts$/);
    expect(resolveStaticPath('/web/client/Resampler.ts')).toBeUndefined();
    expect(resolveStaticPath('/web/client/sub/x.ts')).toBeUndefined();
    expect(resolveStaticPath('/flow/names.ts')).toBeUndefined();
  });
});

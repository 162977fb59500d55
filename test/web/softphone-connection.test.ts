/**
 * End to end in headless Chromium: what the softphone says when the service
 * goes away. The page comes from a real server on loopback, reached through
 * a TCP relay that a test can cut, as a network drop would (no close frame:
 * WebSocket close 1006), or from a server that shuts down and is started
 * again on the same port.
 */
import { once } from 'node:events';
import { createServer, Socket, type AddressInfo, type Server } from 'node:net';
import type { ConsoleMessage, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startServer, type RunningServer } from '../../src/server/server.ts';
import { launchBrowser, type TestBrowser } from './browser.ts';
import { printLogsOnFailure } from './failure-report.ts';
import { dial, shownState, waitForState } from './softphone-driver.ts';

let browser: TestBrowser;
const servers: RunningServer[] = [];

async function serve(port = 0, allowHosts: string[] = []): Promise<RunningServer> {
  const server = await startServer({ port, host: '127.0.0.1', db: ':memory:', allowHosts, log: () => undefined });
  servers.push(server);
  return server;
}

/** A TCP relay to `target` whose connections `cut()` destroys at once. */
async function relay(target: string): Promise<{ url: string; cut(): void; close(): Promise<void> }> {
  const { hostname, port } = new URL(target);
  const sockets = new Set<Socket>();
  const server: Server = createServer((client) => {
    const upstream = new Socket().connect(Number(port), hostname);
    for (const socket of [client, upstream]) {
      sockets.add(socket);
      socket.on('close', () => sockets.delete(socket));
      socket.on('error', () => undefined);
    }
    client.pipe(upstream).pipe(client);
  });
  server.listen(0, '127.0.0.1');
  await once(server, 'listening');
  const cut = () => {
    for (const socket of sockets) socket.destroy();
  };
  return {
    url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
    cut,
    async close() {
      cut();
      server.close();
      await once(server, 'close');
    },
  };
}

/** Text a person sees on the display: badge, caption and notice. */
async function display(page: Page): Promise<string> {
  return page.evaluate(() => ['call-state', 'prompt-text', 'notice'].map((id) => document.getElementById(id)?.innerText ?? '').join(' | '));
}

beforeAll(async () => {
  browser = await launchBrowser();
});

afterAll(async () => {
  await browser?.close();
  for (const server of servers) await server.close();
});

describe('softphone when the service goes away', () => {
  it('ends a call in plain words at shutdown, then says it cannot reach the service, keeps Call usable and retries until it answers', async () => {
    const first = await serve();
    const port = Number(new URL(first.url).port);
    const page = await browser.newPage();
    printLogsOnFailure({ caller: page });
    const consoleLines: { type: string; text: string }[] = [];
    page.on('console', (message: ConsoleMessage) => consoleLines.push({ type: message.type(), text: message.text() }));
    await page.goto(first.url);
    await dial(page, { from: '+15550201', microphone: true });
    await waitForState(page, 'collecting-conference-id');

    await first.close();
    await page.waitForSelector('body[data-phase="idle"]', { timeout: 15_000 });
    expect(await page.getAttribute('#log li[data-event="hung-up"]', 'data-reason')).toBe('server-shutdown');
    const ended = await display(page);
    expect(ended).toContain('The service is shutting down and ended the call.');
    expect(ended).not.toMatch(/server-shutdown|\(/);

    await page.click('#call-button');
    await page.waitForSelector('#call-state[data-state="unreachable"]', { timeout: 10_000 });
    const down = await display(page);
    expect(down).toContain('Cannot reach the service');
    expect(down).not.toContain('worklet');
    expect(await page.textContent('#call-button')).toBe('Call');
    expect(await page.isEnabled('#call-button')).toBe(true);
    await expect.poll(() => page.textContent('#notice'), { timeout: 10_000 }).toMatch(/^Retrying in \d+ s/);
    expect(await page.getByRole('img', { name: 'Cannot reach the service' }).count()).toBe(1);

    // Polls back off while the service is down: a few failed requests in six seconds, not two a second.
    const before = consoleLines.filter((line) => line.type === 'error').length;
    await page.waitForTimeout(6000);
    const failedRequests = consoleLines.filter((line) => line.type === 'error').length - before;
    expect(failedRequests).toBeLessThanOrEqual(4);

    await serve(port);
    await expect.poll(() => page.textContent('#notice'), { timeout: 15_000 }).toBe('The service is reachable again. Press Call to dial in.');
    expect(await page.getByRole('img', { name: 'Service reachable' }).count()).toBe(1);
    // The page's own console: one line when the service went away, one when it came back.
    const own = consoleLines.filter((line) => line.text.startsWith('dialin-sim:')).map((line) => line.text);
    expect(own).toHaveLength(2);
    expect(own[0]).toContain('cannot reach the service');
    expect(own[1]).toBe('dialin-sim: the service is reachable again');

    await dial(page, { from: '+15550201', microphone: true });
    await waitForState(page, 'collecting-conference-id');
    await page.click('#call-button');
    await page.waitForSelector('body[data-phase="idle"]');
    expect(browser.pageErrors).toEqual([]);
  }, 60_000);

  it('tells a dropped connection (close 1006) from a hang-up', async () => {
    // The relay listens on another port, as a proxy in front would: --allow-host admits the pages it serves.
    const server = await serve(0, ['127.0.0.1']);
    const line = await relay(server.url);
    try {
      const page = await browser.newPage();
      printLogsOnFailure({ caller: page });
      await page.goto(line.url);
      await dial(page, { from: '+15550202', microphone: true });
      await waitForState(page, 'collecting-conference-id');
      line.cut();
      await page.waitForSelector('#call-state[data-state="dropped"]', { timeout: 10_000 });
      expect(await page.getAttribute('#log li[data-event="closed"]', 'data-code')).toBe('1006');
      expect(await shownState(page)).toMatchObject({ label: 'Connection lost', prompt: 'The connection to the service was lost. Press Call to dial in again.' });

      await dial(page, { from: '+15550202', microphone: true });
      await waitForState(page, 'collecting-conference-id');
      await page.click('#call-button');
      await page.waitForSelector('body[data-phase="idle"]');
      expect(await shownState(page)).toMatchObject({ state: 'ended', label: 'Call ended', prompt: 'You hung up. Press Call to dial in again.' });
      expect(browser.pageErrors).toEqual([]);
    } finally {
      await line.close();
    }
  }, 45_000);
});

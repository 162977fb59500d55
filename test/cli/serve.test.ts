import { mkdtemp } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { runServe } from '../../src/cli/commands/serve.ts';
import { UsageError } from '../../src/errors.ts';
import { getRequest, rawExchange } from '../server/raw-http.ts';
import { NativeCaller } from '../server/test-callers.ts';
import { captureIo } from './capture-io.ts';

describe('dialin-sim serve --flow', () => {
  it('runs every call with the flow options given', async () => {
    const db = join(await mkdtemp(join(tmpdir(), 'dialin-serve-')), 'flow.db');
    const { io, out } = captureIo();
    let stop!: (signal: string) => void;
    const serving = runServe(
      ['--port', '0', '--sip-port', '0', '--db', db, '--flow', 'firstDigitTimeoutMs=300ms', '--flow', 'maxConferenceIdFailures=1'],
      io,
      new Promise((resolve) => (stop = resolve)),
    );
    await expect.poll(() => out.find((line) => line.startsWith('Softphone:')), { timeout: 10_000 }).toBeDefined();
    const url = /Softphone: (http:\/\/\S+?)\/ /.exec(out.find((line) => line.startsWith('Softphone:'))!)![1]!;

    // A caller who keys nothing: one 300 ms timeout is the only failure allowed.
    const caller = new NativeCaller(url);
    await caller.start(8000);
    await caller.waitFor('hung-up', 15_000);
    const prompts = caller.events.filter((e) => e.event === 'prompt-started').map((e) => e.prompt);
    expect(prompts).toEqual(['welcome', 'enter-conference-id', 'goodbye']);
    const finished = caller.events.find((e) => e.event === 'prompt-stopped' && e.prompt === 'enter-conference-id')!;
    const goodbye = caller.events.find((e) => e.event === 'prompt-started' && e.prompt === 'goodbye')!;
    expect(goodbye.callMs - finished.callMs).toBeGreaterThanOrEqual(250);
    expect(goodbye.callMs - finished.callMs).toBeLessThan(2000);

    stop('SIGTERM');
    expect(await serving).toBe(0);
  }, 30_000);

  it('refuses an unknown flow option before it listens', async () => {
    const { io, out } = captureIo();
    await expect(runServe(['--port', '0', '--sip-port', 'off', '--flow', 'greetingMs=1s'], io, new Promise(() => {}))).rejects.toThrow(UsageError);
    await expect(runServe(['--port', '0', '--sip-port', 'off', '--flow', 'greetingMs=1s'], io, new Promise(() => {}))).rejects.toThrow(/unknown flow option 'greetingMs'/);
    expect(out).toEqual([]);
  });
});

describe('dialin-sim serve --smtp', () => {
  it('refuses a URL that is not an SMTP server before it listens', async () => {
    const { io, out } = captureIo();
    const run = runServe(['--port', '0', '--sip-port', 'off', '--smtp', 'mail.contoso.com:25'], io, new Promise(() => {}));
    await expect(run).rejects.toThrow(UsageError);
    await expect(runServe(['--port', '0', '--sip-port', 'off', '--smtp', 'mail.contoso.com:25'], io, new Promise(() => {}))).rejects.toThrow(
      "--smtp expects smtp://HOST:PORT or smtps://HOST:PORT, got 'mail.contoso.com:25'",
    );
    expect(out).toEqual([]);
  });
});

describe('dialin-sim serve --allow-host', () => {
  it('answers requests addressed to the allowed name, and 421 to other names', async () => {
    const db = join(await mkdtemp(join(tmpdir(), 'dialin-serve-')), 'hosts.db');
    const { io, out } = captureIo();
    let stop!: (signal: string) => void;
    const serving = runServe(['--port', '0', '--sip-port', '0', '--db', db, '--allow-host', 'ivr.example.com'], io, new Promise((resolve) => (stop = resolve)));
    await expect.poll(() => out.find((line) => line.startsWith('Softphone:')), { timeout: 10_000 }).toBeDefined();
    const url = /Softphone: (http:\/\/\S+?)\/ /.exec(out.find((line) => line.startsWith('Softphone:'))!)![1]!;
    const status = async (host: string) => (await rawExchange(url, getRequest('/healthz', { Host: host, Connection: 'close' }))).status;
    expect(await status('ivr.example.com')).toBe(200);
    expect(await status('other.example.com')).toBe(421);
    stop('SIGTERM');
    expect(await serving).toBe(0);
  }, 30_000);

  it('refuses a value with a scheme or a port before it listens', async () => {
    const { io, out } = captureIo();
    const run = (value: string) => runServe(['--port', '0', '--allow-host', value], io, new Promise(() => {}));
    await expect(run('https://ivr.example.com')).rejects.toThrow(UsageError);
    await expect(run('ivr.example.com:443')).rejects.toThrow(/^--allow-host: 'ivr.example.com:443' is not a host name/);
    expect(out).toEqual([]);
  });
});

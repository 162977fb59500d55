import { existsSync } from 'node:fs';
import { mkdtemp } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Redis } from 'ioredis';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runServe } from '../../src/cli/commands/serve.ts';
import { ClusterError } from '../../src/server/cluster/cluster-node.ts';
import { UsageError } from '../../src/errors.ts';
import { startRedis, type TestRedis } from '../helpers/redis-server.ts';
import { NativeCaller } from '../server/test-callers.ts';
import { captureIo } from './capture-io.ts';

let redis: TestRedis;

beforeAll(async () => {
  redis = await startRedis();
});

afterAll(async () => {
  await redis?.stop();
});

const never = new Promise<string>(() => {});

describe('dialin-sim serve --redis', () => {
  it('joins the bridge on Redis and leaves it on SIGTERM', async () => {
    const db = join(await mkdtemp(join(tmpdir(), 'dialin-serve-')), 'bridge.db');
    const { io, out } = captureIo();
    let stop!: (signal: string) => void;
    const serving = runServe(['--port', '0', '--sip-port', 'off', '--db', db, '--redis', redis.url], io, new Promise((resolve) => (stop = resolve)));
    await expect.poll(() => out.find((line) => line.startsWith('Softphone:')), { timeout: 10_000 }).toBeDefined();
    const joined = out.map((line) => /cluster: node (n[0-9a-f]{6}) joined/.exec(line)?.[1]).find(Boolean)!;
    const client = new Redis(redis.url);
    try {
      expect(await client.smembers('dialin:nodes')).toEqual([joined]);
      const url = /Softphone: (http:\/\/\S+?)\/ /.exec(out.find((line) => line.startsWith('Softphone:'))!)![1]!;
      const caller = new NativeCaller(url);
      await caller.start(8000);
      // Call ids name the node, so two servers of one bridge never give out the same one.
      expect((await caller.waitFor('call-started')).callId).toBe(`${joined}-c1`);
      caller.close();
      stop('SIGTERM');
      expect(await serving).toBe(0);
      expect(await client.smembers('dialin:nodes')).toEqual([]);
      expect(await client.exists(`dialin:node:${joined}`)).toBe(0);
    } finally {
      client.disconnect();
    }
  }, 30_000);

  it('refuses a URL that is not redis://, before it listens', async () => {
    const { io, out } = captureIo();
    const run = runServe(['--port', '0', '--sip-port', 'off', '--redis', 'localhost:6379'], io, never);
    await expect(run).rejects.toThrow(UsageError);
    await expect(runServe(['--port', '0', '--redis', 'localhost:6379'], io, never)).rejects.toThrow("--redis expects a redis://HOST:PORT URL, got 'localhost:6379'");
    expect(out).toEqual([]);
  });

  it('stops with one line naming the URL when Redis cannot be reached, and creates no database', async () => {
    const db = join(await mkdtemp(join(tmpdir(), 'dialin-serve-')), 'never.db');
    const { io } = captureIo();
    const error = await runServe(['--port', '0', '--sip-port', 'off', '--db', db, '--redis', 'redis://127.0.0.1:1'], io, never).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(ClusterError);
    expect(error).toMatchObject({ code: 'E_CLUSTER', message: expect.stringMatching(/^--redis redis:\/\/127\.0\.0\.1:1: cannot connect \(.*ECONNREFUSED.*\)$/) });
    expect(existsSync(db)).toBe(false);
  });
});

describe('dialin-sim serve --workers', () => {
  const refusal = (args: string[]) => runServe(['--port', '0', '--sip-port', 'off', ...args], captureIo().io, never);

  it('needs a count of at least 1, or auto', async () => {
    await expect(refusal(['--workers', '0'])).rejects.toThrow("--workers expects a whole number of at least 1 or auto, got '0'");
    await expect(refusal(['--workers', 'many'])).rejects.toThrow(UsageError);
  });

  it('needs --redis', async () => {
    await expect(refusal(['--workers', '2'])).rejects.toThrow('--workers needs --redis URL: the workers share conference state through Redis');
  });

  it('needs a PostgreSQL directory, which this build does not have', async () => {
    await expect(refusal(['--workers', 'auto', '--redis', redis.url, '--db', 'office.db'])).rejects.toThrow(
      "--workers needs a PostgreSQL --db (postgres://...), got 'office.db'; this build has no PostgreSQL directory yet",
    );
    await expect(refusal(['--workers', '2', '--redis', redis.url, '--db', 'postgres://ivr@db/dialin'])).rejects.toThrow('--workers: this build has no PostgreSQL directory yet');
  });
});

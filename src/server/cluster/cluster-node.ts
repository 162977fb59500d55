/**
 * This process as one node of a bridge whose conference state is on Redis
 * (`serve --redis URL`): its two connections (commands, and the stream
 * reader's blocking one), its lease, its copy of the shared conferences, and
 * the clean-up of nodes that die. startServer hands `registry` to createIvr
 * in place of the in-memory conferences, and closes the node after the
 * drain, once its calls have left their conferences.
 */
import { randomBytes } from 'node:crypto';
import { Redis } from 'ioredis';
import { DialinError } from '../../errors.ts';
import type { ConferenceListener, ConferenceRegistry } from '../../flow/ivr/conference-registry.ts';
import { APP_PREFIX } from '../../flow/ivr/participant-ids.ts';
import { ClusterKeys, DEFAULT_KEY_PREFIX } from './cluster-keys.ts';
import { EventStreamReader } from './event-stream.ts';
import { NodeLease } from './node-lease.ts';
import { RedisConferences } from './redis-conferences.ts';

/** Redis cannot be reached at start-up, or the URL is not a Redis URL. */
export class ClusterError extends DialinError {
  constructor(message: string, options?: ErrorOptions) {
    super('E_CLUSTER', message, options);
  }
}

export interface ClusterOptions {
  /** `redis://HOST:PORT` (optionally with a database number and password). */
  readonly url: string;
  /** Time a node may go silent before the others take it for dead, ms. */
  readonly leaseMs?: number | undefined;
  /** Prefix of every key (several bridges on one Redis). */
  readonly keyPrefix?: string | undefined;
}

/** Long enough to ride out a Redis restart or a stalled event loop; short enough that a dead node's lobby callers are soon gone. */
export const DEFAULT_LEASE_MS = 10_000;
/** Time to reach Redis at start-up before giving up, ms. */
const CONNECT_TIMEOUT_MS = 5_000;
/**
 * Time the last commits and the lease's release get on close, ms. Commands
 * wait through reconnects, so with Redis gone they would wait for ever; the
 * others then clean up after this node when its lease lapses.
 */
const CLOSE_TIMEOUT_MS = 3_000;

/** Resolves when `work` does or after `ms`, whichever is first; says which. */
async function within(ms: number, work: Promise<unknown>): Promise<boolean> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<false>((resolve) => (timer = setTimeout(() => resolve(false), ms)));
  const done = await Promise.race([work.then(() => true), timeout]);
  clearTimeout(timer);
  return done;
}

function connection(url: string): Redis {
  return new Redis(url, {
    lazyConnect: true,
    // Commands wait through a reconnect instead of failing: a commit made
    // while Redis restarts goes out once it is back (the commit script
    // makes a resent commit harmless).
    maxRetriesPerRequest: null,
    retryStrategy: (times) => Math.min(50 * times, 1000),
    connectTimeout: CONNECT_TIMEOUT_MS,
  });
}

async function connect(redis: Redis, url: string): Promise<void> {
  // ioredis keeps retrying a refused connection; at start-up one refusal is an answer.
  const failed = new Promise<never>((_, reject) => redis.once('error', (error: Error) => reject(error)));
  try {
    await Promise.race([redis.connect(), failed]);
  } catch (error) {
    redis.disconnect();
    throw new ClusterError(`--redis ${url}: cannot connect (${(error as Error).message})`, { cause: error });
  }
}

export class ClusterNode {
  readonly nodeId: string;
  private readonly commands: Redis;
  private readonly reader: Redis;
  private readonly keys: ClusterKeys;
  private readonly leaseMs: number;
  private readonly log: (line: string) => void;
  private conferences: RedisConferences | undefined;
  private stream: EventStreamReader | undefined;
  private lease: NodeLease | undefined;
  private callerLookup: (participantId: string) => string | undefined = () => undefined;

  private constructor(commands: Redis, reader: Redis, options: ClusterOptions, log: (line: string) => void) {
    this.nodeId = `n${randomBytes(3).toString('hex')}`;
    this.commands = commands;
    this.reader = reader;
    this.keys = new ClusterKeys(options.keyPrefix ?? DEFAULT_KEY_PREFIX);
    this.leaseMs = options.leaseMs ?? DEFAULT_LEASE_MS;
    this.log = log;
  }

  /** Connects both connections; ClusterError when Redis cannot be reached. */
  static async connect(options: ClusterOptions, log: (line: string) => void): Promise<ClusterNode> {
    let commands: Redis;
    let reader: Redis;
    try {
      commands = connection(options.url);
      reader = connection(options.url);
    } catch (error) {
      throw new ClusterError(`--redis ${options.url}: ${(error as Error).message}`, { cause: error });
    }
    await connect(commands, options.url);
    try {
      await connect(reader, options.url);
    } catch (error) {
      commands.disconnect();
      throw error;
    }
    for (const redis of [commands, reader]) redis.on('error', () => {}); // reconnects are ioredis's; each is logged below
    commands.on('reconnecting', () => log('cluster: redis connection lost; reconnecting'));
    commands.on('ready', () => log('cluster: redis connection ready'));
    return new ClusterNode(commands, reader, options, log);
  }

  /** The registry factory for createIvr (called once). */
  readonly registry = (onEmitted: ConferenceListener): ConferenceRegistry => {
    this.conferences = new RedisConferences({
      redis: this.commands,
      keys: this.keys,
      nodeId: this.nodeId,
      onEmitted,
      callerOf: (id) => this.callerLookup(id),
      log: this.log,
    });
    return this.conferences;
  };

  /** Where the `from` of this node's calls comes from (the bridge's live calls). */
  setCallerLookup(lookup: (participantId: string) => string | undefined): void {
    this.callerLookup = lookup;
  }

  /** The `from` of a participant of the bridge, as the node holding it recorded it. */
  recordedCaller(participantId: string): string | undefined {
    return this.conferences?.holder(participantId)?.from;
  }

  /** Loads the shared conferences, starts reading events after them, and takes the lease. */
  async start(): Promise<void> {
    const conferences = this.conferences;
    if (!conferences) throw new Error('ClusterNode.start before the registry was made');
    const { commands, keys } = this;
    // The stream position first: an entry committed while the states load is read again, and its version shows it is not news.
    const [last] = (await commands.xrevrange(keys.events, '+', '-', 'COUNT', 1)) as [string, string[]][];
    for (const id of await commands.smembers(keys.conferences)) conferences.remember(id, await conferences.read(id));
    this.stream = new EventStreamReader(this.reader, keys.events, last?.[0] ?? '0-0', (fields) => conferences.applyEntry(fields), this.log);
    this.stream.start();
    this.lease = new NodeLease({ redis: commands, keys, nodeId: this.nodeId, leaseMs: this.leaseMs, reap: (dead) => this.reap(dead), log: this.log });
    await this.lease.join();
    this.log(`cluster: node ${this.nodeId} joined (lease ${this.leaseMs} ms)`);
  }

  /** After the drain: the calls' last commits go out, the lease is given back, the connections close. */
  async close(): Promise<void> {
    const finished = await within(CLOSE_TIMEOUT_MS, (async () => {
      await this.conferences?.settle();
      await this.lease?.leave();
    })());
    await this.stream?.stop();
    this.reader.disconnect();
    if (finished) {
      await this.commands.quit().catch(() => this.commands.disconnect());
    } else {
      this.log('cluster: redis did not answer on close; the other servers will clean up after this one');
      this.commands.disconnect();
    }
  }

  /** A dead node's callers leave their conferences, as if each had hung up (app participants stay: they were not calls there). */
  private async reap(deadNode: string): Promise<void> {
    const conferences = this.conferences!;
    let removed = 0;
    for (const conferenceId of await this.commands.smembers(this.keys.nodeConferences(deadNode))) {
      const record = await conferences.read(conferenceId);
      for (const [participantId, holder] of Object.entries(record.calls)) {
        if (holder.node !== deadNode || participantId.startsWith(APP_PREFIX)) continue;
        removed++;
        await conferences.enqueue(conferenceId, { type: 'LEAVE', participantId }, false);
      }
    }
    this.log(`cluster: removed ${removed} caller(s) of node ${deadNode}`);
  }
}

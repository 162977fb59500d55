/**
 * Reads the bridge's event stream on a connection of its own (XREAD BLOCK
 * holds it), from the last entry this node applied. Because the position
 * is this node's own and entries stay in the stream, a reconnect after a
 * network cut or a Redis restart (with appendonly on, the stream survives
 * it) resumes exactly after the last applied entry: none lost, none applied
 * twice, which plain pub/sub cannot promise.
 */
import type { Redis } from 'ioredis';

/** How long one XREAD waits for new entries before asking again, ms. */
const BLOCK_MS = 1000;
/** Entries taken per read. */
const BATCH = 500;
/** Pause before reading again after an error, ms. */
const RETRY_MS = 200;

/** An entry's fields from Redis's flat reply (field, value, field, value, ...). */
export function entryFields(list: readonly string[]): Record<string, string> {
  const fields: Record<string, string> = {};
  for (let i = 0; i + 1 < list.length; i += 2) fields[list[i]!] = list[i + 1]!;
  return fields;
}

type XReadReply = [key: string, entries: [id: string, fields: string[]][]][] | null;

export class EventStreamReader {
  private readonly redis: Redis;
  private readonly key: string;
  private readonly onEntry: (fields: Record<string, string>) => void;
  private readonly log: (line: string) => void;
  private position: string;
  private running: Promise<void> | undefined;
  private stopped = false;

  constructor(redis: Redis, key: string, from: string, onEntry: (fields: Record<string, string>) => void, log: (line: string) => void) {
    this.redis = redis;
    this.key = key;
    this.position = from;
    this.onEntry = onEntry;
    this.log = log;
  }

  /** The id of the last entry applied. */
  get lastId(): string {
    return this.position;
  }

  start(): void {
    this.running ??= this.loop();
  }

  async stop(): Promise<void> {
    this.stopped = true;
    this.redis.disconnect();
    await this.running;
  }

  private async loop(): Promise<void> {
    while (!this.stopped) {
      let reply: XReadReply;
      try {
        reply = (await this.redis.xread('COUNT', BATCH, 'BLOCK', BLOCK_MS, 'STREAMS', this.key, this.position)) as XReadReply;
      } catch (error) {
        if (this.stopped) return;
        this.log(`cluster: reading events failed (${(error as Error).message}); retrying from ${this.position}`);
        await new Promise((resolve) => setTimeout(resolve, RETRY_MS));
        continue;
      }
      for (const [, entries] of reply ?? []) {
        for (const [id, list] of entries) {
          if (this.stopped) return;
          const fields = entryFields(list);
          // The position moves first: an entry that cannot be applied is logged, not retried forever.
          this.position = id;
          try {
            this.onEntry(fields);
          } catch (error) {
            this.log(`cluster: event ${id} not applied: ${(error as Error).message}`);
          }
        }
      }
    }
  }
}

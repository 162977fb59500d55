/**
 * Each node's lease: a key with a TTL that its heartbeat renews. A node
 * whose lease has lapsed (killed, hung, cut off from Redis for longer than
 * the lease) is taken for dead; the first survivor to take the node's
 * reaper key (SET NX, so only one does) removes the dead node's callers from
 * their conferences (reap), then forgets the node.
 */
import type { Redis } from 'ioredis';
import type { ClusterKeys } from './cluster-keys.ts';

export interface NodeLeaseConfig {
  readonly redis: Redis;
  readonly keys: ClusterKeys;
  readonly nodeId: string;
  /** Time a node may go without renewing before it is taken for dead, ms. */
  readonly leaseMs: number;
  /** Removes a dead node's callers from their conferences. */
  readonly reap: (deadNode: string) => Promise<void>;
  readonly log: (line: string) => void;
}

export class NodeLease {
  private readonly config: NodeLeaseConfig;
  private timer: NodeJS.Timeout | undefined;
  private beating: Promise<void> | undefined;

  constructor(config: NodeLeaseConfig) {
    this.config = config;
  }

  /** Takes the lease and joins the node set; then renews it three times per lease. */
  async join(): Promise<void> {
    const { redis, keys, nodeId, leaseMs } = this.config;
    await redis.multi().set(keys.lease(nodeId), String(Date.now()), 'PX', leaseMs).sadd(keys.nodes, nodeId).exec();
    this.timer = setInterval(() => {
      this.beating ??= this.beat().finally(() => (this.beating = undefined));
    }, leaseMs / 3);
    this.timer.unref();
  }

  /** A clean stop: the lease and the node's entries go at once (its calls have left). */
  async leave(): Promise<void> {
    clearInterval(this.timer);
    await this.beating;
    const { redis, keys, nodeId } = this.config;
    await redis.multi().del(keys.lease(nodeId), keys.nodeConferences(nodeId)).srem(keys.nodes, nodeId).exec();
  }

  private async beat(): Promise<void> {
    const { redis, keys, nodeId, leaseMs, log } = this.config;
    try {
      const [, rejoined] = ((await redis.multi().set(keys.lease(nodeId), String(Date.now()), 'PX', leaseMs).sadd(keys.nodes, nodeId).exec()) ?? []).map(
        ([, value]) => value,
      );
      if (rejoined === 1) log(`cluster: node ${nodeId} was taken for dead while cut off; its callers were removed from the shared conferences`);
      for (const other of await redis.smembers(keys.nodes)) {
        if (other === nodeId || (await redis.exists(keys.lease(other))) === 1) continue;
        if ((await redis.set(keys.reaper(other), nodeId, 'PX', leaseMs, 'NX')) !== 'OK') continue;
        log(`cluster: node ${other} missed its lease; removing its callers`);
        await this.config.reap(other);
        await redis.multi().del(keys.nodeConferences(other)).srem(keys.nodes, other).exec();
      }
    } catch (error) {
      log(`cluster: heartbeat failed: ${(error as Error).message}`);
    }
  }
}

/**
 * Messages per second from each source address, so one flooding host cannot
 * crowd out the others. The table is bounded: when it is full the oldest
 * entries are forgotten, which costs a flooder nothing it could not get by
 * waiting a second.
 */
import { EventRateLimit } from '../event-rate-limit.ts';

const WINDOW_MS = 1000;
const MAX_SOURCES = 10_000;

export class SourceRateLimit {
  private readonly limits = new Map<string, EventRateLimit>();

  constructor(private readonly maxPerSecond: number) {}

  allow(source: string, nowMs: number): boolean {
    let limit = this.limits.get(source);
    if (!limit) {
      if (this.limits.size >= MAX_SOURCES) this.limits.delete(this.limits.keys().next().value!);
      limit = new EventRateLimit(this.maxPerSecond, WINDOW_MS);
      this.limits.set(source, limit);
    }
    return limit.allow(nowMs);
  }
}

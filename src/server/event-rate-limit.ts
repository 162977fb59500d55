/**
 * A sliding-window limit: at most `maxEvents` events in any `windowMs` of a
 * clock the caller supplies. It keeps the times of the last `maxEvents`
 * events in a ring, so each check is O(1) and memory is fixed.
 */
export class EventRateLimit {
  readonly maxEvents: number;
  readonly windowMs: number;
  private readonly times: Float64Array;
  private next = 0;
  private count = 0;

  constructor(maxEvents: number, windowMs: number) {
    this.maxEvents = maxEvents;
    this.windowMs = windowMs;
    this.times = new Float64Array(maxEvents);
  }

  /** Records an event at `atMs`; false (and not recorded) when it would exceed the limit. */
  allow(atMs: number): boolean {
    if (this.count === this.maxEvents) {
      // The slot about to be overwritten holds the oldest of the last maxEvents.
      if (atMs - this.times[this.next]! < this.windowMs) return false;
    } else {
      this.count++;
    }
    this.times[this.next] = atMs;
    this.next = (this.next + 1) % this.maxEvents;
    return true;
  }
}

/**
 * The directory's only source of time. The CLI and server pass the system
 * clock; tests and scenarios pass a simulated one, so lockout windows and PIN
 * lifetimes are deterministic.
 */
export interface Clock {
  /** Milliseconds since the Unix epoch. */
  now(): number;
}

/** Wall-clock time, for the process edge only. */
export const systemClock: Clock = { now: () => Date.now() };

/** A clock that moves only when told to. */
export interface ManualClock extends Clock {
  /** Moves time forward by `ms` (negative values are refused). */
  advance(ms: number): void;
  /** Jumps to an absolute time in ms since the epoch. */
  set(ms: number): void;
}

export function manualClock(startMs = Date.UTC(2025, 0, 6, 9, 0, 0)): ManualClock {
  let nowMs = startMs;
  return {
    now: () => nowMs,
    advance(ms) {
      if (!(ms >= 0)) throw new RangeError(`cannot move a clock by ${ms} ms`);
      nowMs += ms;
    },
    set(ms) {
      nowMs = ms;
    },
  };
}

/**
 * Keeps a caller's audio to the wall clock. The decoder and the digit
 * timeline run on samples (the time of a file and of a live stream agree),
 * so a client that sends audio faster than real time would move a call's
 * timeline, and every limit counted on it, as fast as it likes. A phone or
 * platform sends about one second of audio per second; a burst after a
 * network stall only catches up on audio that is late, so it never runs far
 * ahead. The clock readings come from the socket edge (call-connection.ts).
 */
export class AudioPaceGuard {
  readonly maxLeadMs: number;
  private readonly startedAtMs: number;

  /** `startedAtMs`: the wall time the caller's audio timeline began (its start message). */
  constructor(maxLeadMs: number, startedAtMs: number) {
    this.maxLeadMs = maxLeadMs;
    this.startedAtMs = startedAtMs;
  }

  /** How far `audioMs` of received audio is ahead of the wall clock at `nowMs` (negative when behind). */
  leadMs(audioMs: number, nowMs: number): number {
    return audioMs - (nowMs - this.startedAtMs);
  }

  /** True while the audio received is at most maxLeadMs ahead of real time. */
  allows(audioMs: number, nowMs: number): boolean {
    return this.leadMs(audioMs, nowMs) <= this.maxLeadMs;
  }
}

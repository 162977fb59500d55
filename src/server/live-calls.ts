/**
 * The calls in progress on this server, whatever transport carries them:
 * admission (the max-calls limit, no new call while shutting down), the one
 * shared frame clock that renders every call's audio, the sweep that checks
 * each call's deadlines, and the steps of the shutdown drain. A transport
 * (the WebSocket protocols today) creates a LiveCall per caller and asks
 * `admit` before the call may start.
 */
import type { PacerStats } from './frame-pacer.ts';
import { PhasedFrameClock } from './phased-frame-clock.ts';
import { CLOSE_CODES, ProtocolError } from './protocol-error.ts';

export { PACING_PHASES } from './phased-frame-clock.ts';

/** What the server needs of one caller's connection, on any transport. */
export interface LiveCall {
  /** Which slot of the shared frame clock renders this call's audio. */
  readonly phase: number;
  /** One frame of the shared clock: render and send this caller's audio. */
  tick(): void;
  /** Ends the call when one of its deadlines (handshake, idle) has passed. */
  checkDeadlines(now: number): void;
  /** Server shutdown: goodbye to a live call, a plain close to one not yet started. */
  shutdown(): void;
  /** Ends the call now, whatever it is doing. */
  forceEnd(): void;
}

export interface LiveCallsOptions {
  maxCalls: number;
  /** Audio per frame, ms. */
  frameMs: number;
  /** Frames rendered per frame period (1 is real time). */
  playbackSpeed: number;
  handshakeTimeoutMs: number;
  idleTimeoutMs: number;
}

export class LiveCalls {
  private readonly calls = new Set<LiveCall>();
  private readonly clock: PhasedFrameClock<LiveCall>;
  private readonly sweep: NodeJS.Timeout;
  private readonly maxCalls: number;
  private draining = false;

  constructor(options: LiveCallsOptions) {
    this.maxCalls = options.maxCalls;
    this.clock = new PhasedFrameClock({ frameMs: options.frameMs, playbackSpeed: options.playbackSpeed, now: () => performance.now() });
    const sweepMs = Math.max(10, Math.min(250, options.handshakeTimeoutMs / 4, options.idleTimeoutMs / 4));
    this.sweep = setInterval(() => {
      const now = performance.now();
      for (const call of this.calls) call.checkDeadlines(now);
    }, sweepMs);
    this.sweep.unref();
  }

  get size(): number {
    return this.calls.size;
  }

  /** True once the shutdown drain has begun: no new call is taken. */
  get shuttingDown(): boolean {
    return this.draining;
  }

  get pacerStats(): PacerStats {
    return this.clock.stats;
  }

  /** Takes `call` in, or says why not (the error to close it with). */
  admit(call: LiveCall): ProtocolError | undefined {
    if (this.draining) return new ProtocolError('E_SHUTTING_DOWN', CLOSE_CODES.goingAway, 'the server is shutting down');
    if (this.calls.size >= this.maxCalls) {
      return new ProtocolError('E_SERVER_FULL', CLOSE_CODES.tryAgainLater, `the server is at its limit of ${this.maxCalls} calls`);
    }
    this.calls.add(call);
    this.clock.add(call, call.phase);
    return undefined;
  }

  /** The call is over; its slot is free. */
  release(call: LiveCall): void {
    this.calls.delete(call);
    this.clock.delete(call);
  }

  /** First step of the drain: refuse new calls and say goodbye to every call. */
  beginShutdown(): void {
    this.draining = true;
    for (const call of [...this.calls]) call.shutdown();
  }

  /** Resolves once every call has ended or `graceMs` has passed. */
  async settle(graceMs: number): Promise<void> {
    const deadline = performance.now() + graceMs;
    while (this.calls.size > 0 && performance.now() < deadline) await pause(10);
  }

  /** Last step: ends every call still going and stops the clocks. */
  endAll(): void {
    for (const call of [...this.calls]) call.forceEnd();
    this.clock.stop();
    clearInterval(this.sweep);
  }
}

export function pause(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}

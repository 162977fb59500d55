/**
 * The shared frame clock of a set of calls, spread over PACING_PHASES slots
 * of each frame period: every call is ticked once per frame, in its slot,
 * so the event loop renders a quarter of the calls every 5 ms instead of
 * all of them in one burst that would hold back the callers' incoming audio
 * and make the last call of the burst late. Each slot keeps its own calls,
 * so a tick visits only the calls it renders.
 */
import { FramePacer, type PacerStats } from './frame-pacer.ts';

/** Slots of each frame period. */
export const PACING_PHASES = 4;

export interface PhasedFrameClockOptions {
  /** Audio per frame, ms. */
  frameMs: number;
  /** Frames rendered per frame period (1 is real time; tests may play faster). */
  playbackSpeed: number;
  /** Monotonic time in ms. */
  now: () => number;
}

export class PhasedFrameClock<T extends { tick(): void }> {
  private readonly slots: Set<T>[] = Array.from({ length: PACING_PHASES }, () => new Set<T>());
  private readonly pacer: FramePacer;
  private slot = 0;
  private count = 0;

  constructor(options: PhasedFrameClockOptions) {
    this.pacer = new FramePacer(
      () => {
        for (const call of this.slots[this.slot++ % PACING_PHASES]!) call.tick();
      },
      {
        frameMs: options.frameMs / PACING_PHASES,
        speed: options.playbackSpeed,
        maxCatchUpFrames: 5 * PACING_PHASES * options.playbackSpeed,
        lateTickMs: options.frameMs,
        now: options.now,
      },
    );
  }

  get size(): number {
    return this.count;
  }

  get stats(): PacerStats {
    return { ...this.pacer.stats };
  }

  /** Ticks `call` from the next period on, in slot `phase` (any integer; taken modulo PACING_PHASES). */
  add(call: T, phase: number): void {
    const slot = this.slots[((phase % PACING_PHASES) + PACING_PHASES) % PACING_PHASES]!;
    if (slot.has(call)) return;
    slot.add(call);
    this.count++;
    if (!this.pacer.running) this.pacer.start();
  }

  /** Stops ticking `call`; the clock stops with its last call. */
  delete(call: T): void {
    for (const slot of this.slots) if (slot.delete(call)) this.count--;
    if (this.count === 0) this.pacer.stop();
  }

  stop(): void {
    this.pacer.stop();
  }
}

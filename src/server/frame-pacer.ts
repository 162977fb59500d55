/**
 * One clock for every call's outgoing audio: a single timer that fires every
 * frame period and asks for as many frames as are due according to the
 * monotonic clock, so timer jitter never accumulates into drift. When the
 * event loop stalls for longer than `maxCatchUpFrames`, the missing frames
 * are skipped (and counted) rather than sent in a burst.
 */

export interface FramePacerOptions {
  /** Audio per frame in ms (20 ms: the packetisation of G.711 RTP, Twilio and Vonage). */
  frameMs: number;
  /** Frames produced per frame period: 1 is real time; tests may play faster. */
  speed: number;
  /** Most frames sent in one tick to catch up after a stall; older ones are skipped. */
  maxCatchUpFrames: number;
  /** A tick later than this (ms) counts as late in the stats; one frame period by default. */
  lateTickMs?: number;
  /** Monotonic time in ms. */
  now: () => number;
}

export interface PacerStats {
  /** Timer callbacks run. */
  ticks: number;
  /** Frames produced. */
  frames: number;
  /** Frames skipped because the loop was too late to send them in time. */
  skippedFrames: number;
  /** Ticks that ran later than `lateTickMs`. */
  lateTicks: number;
  /** Largest lateness of a tick in ms. */
  maxLateMs: number;
}

export class FramePacer {
  private readonly options: FramePacerOptions;
  private readonly onFrame: () => void;
  private timer: NodeJS.Timeout | undefined;
  private startedAt = 0;
  private produced = 0;
  private nextTickAt = 0;
  readonly stats: PacerStats = { ticks: 0, frames: 0, skippedFrames: 0, lateTicks: 0, maxLateMs: 0 };

  constructor(onFrame: () => void, options: FramePacerOptions) {
    this.onFrame = onFrame;
    this.options = options;
  }

  get running(): boolean {
    return this.timer !== undefined;
  }

  start(): void {
    if (this.timer) return;
    this.startedAt = this.options.now();
    this.produced = 0;
    this.nextTickAt = this.startedAt + this.options.frameMs;
    this.schedule();
  }

  stop(): void {
    if (this.timer) clearTimeout(this.timer);
    this.timer = undefined;
  }

  private schedule(): void {
    const delay = Math.max(0, this.nextTickAt - this.options.now());
    this.timer = setTimeout(() => this.tick(), delay);
  }

  private tick(): void {
    const { frameMs, speed, maxCatchUpFrames } = this.options;
    const now = this.options.now();
    const lateMs = now - this.nextTickAt;
    this.stats.ticks++;
    if (lateMs > (this.options.lateTickMs ?? frameMs)) this.stats.lateTicks++;
    if (lateMs > this.stats.maxLateMs) this.stats.maxLateMs = lateMs;
    let due = Math.floor(((now - this.startedAt) / frameMs) * speed) - this.produced;
    const limit = Math.max(maxCatchUpFrames, speed);
    if (due > limit) {
      this.stats.skippedFrames += due - limit;
      this.produced += due - limit;
      due = limit;
    }
    for (let i = 0; i < due && this.timer; i++) {
      this.produced++;
      this.stats.frames++;
      this.onFrame();
    }
    if (!this.timer) return;
    const elapsedPeriods = Math.floor((now - this.startedAt) / frameMs);
    this.nextTickAt = this.startedAt + (elapsedPeriods + 1) * frameMs;
    this.schedule();
  }
}

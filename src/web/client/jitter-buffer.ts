/**
 * Playout buffer for the audio the server sends: 20 ms frames arrive over a
 * WebSocket in bursts and gaps, while the audio thread reads 128 samples at
 * a steady pace. The buffer fills to `targetMs` before it plays, refills to
 * `targetMs` after running dry (so one late frame costs one gap, not a
 * stutter per frame), and drops the oldest audio when more than `maxMs` has
 * piled up, so latency stays bounded after a stall.
 *
 * Pure: counts samples, knows no clock. Allocation-free after construction.
 */

export interface JitterBufferOptions {
  /** Samples per second of the audio stored. */
  sampleRate: number;
  /** Audio held before playing starts or resumes, in ms. */
  targetMs: number;
  /** Most audio held; beyond it the oldest is dropped down to `targetMs`. */
  maxMs: number;
}

export const DEFAULT_JITTER_BUFFER_OPTIONS: Omit<JitterBufferOptions, 'sampleRate'> = {
  targetMs: 60,
  maxMs: 300,
};

export interface JitterBufferStats {
  /** Audio waiting to be played, in ms. */
  depthMs: number;
  /** True while playing; false while filling. */
  playing: boolean;
  /** Times playing stopped because the buffer ran dry. */
  underruns: number;
  /** Samples dropped to bound latency. */
  droppedSamples: number;
  /** Samples written in total. */
  receivedSamples: number;
}

export class JitterBuffer {
  readonly sampleRate: number;
  private readonly target: number;
  private readonly max: number;
  /** Ring buffer with one spare slot so that full and empty differ. */
  private readonly ring: Float32Array;
  private readIndex = 0;
  private writeIndex = 0;
  private playing = false;
  private underruns = 0;
  private droppedSamples = 0;
  private receivedSamples = 0;

  constructor(options: Pick<JitterBufferOptions, 'sampleRate'> & Partial<JitterBufferOptions>) {
    const { sampleRate, targetMs, maxMs } = { ...DEFAULT_JITTER_BUFFER_OPTIONS, ...options };
    if (!(sampleRate > 0)) throw new RangeError(`sampleRate must be positive, got ${sampleRate}`);
    if (!(targetMs > 0 && maxMs > targetMs)) {
      throw new RangeError(`need 0 < targetMs < maxMs, got targetMs ${targetMs} and maxMs ${maxMs}`);
    }
    this.sampleRate = sampleRate;
    this.target = Math.round((targetMs * sampleRate) / 1000);
    this.max = Math.round((maxMs * sampleRate) / 1000);
    this.ring = new Float32Array(this.max + 1);
  }

  /** Samples waiting. */
  get depth(): number {
    const { length } = this.ring;
    return (this.writeIndex - this.readIndex + length) % length;
  }

  /** Stores samples in [-1, 1]. */
  write(samples: ArrayLike<number>): void {
    this.receivedSamples += samples.length;
    // Older samples than the ring can hold are dropped before they are stored.
    let start = 0;
    if (samples.length > this.max) {
      start = samples.length - this.max;
      this.droppedSamples += start;
    }
    const incoming = samples.length - start;
    if (this.depth + incoming > this.max) {
      const keep = Math.max(this.target - incoming, 0);
      const drop = this.depth - Math.min(keep, this.depth);
      this.readIndex = (this.readIndex + drop) % this.ring.length;
      this.droppedSamples += drop;
    }
    for (let i = start; i < samples.length; i++) {
      this.ring[this.writeIndex] = samples[i]!;
      this.writeIndex = this.writeIndex + 1 === this.ring.length ? 0 : this.writeIndex + 1;
    }
    if (!this.playing && this.depth >= this.target) this.playing = true;
  }

  /**
   * Fills `out` completely: with buffered audio while playing, silence while
   * filling. Running dry mid-block pads the rest with silence and refills.
   */
  read(out: Float32Array): void {
    let i = 0;
    if (this.playing) {
      for (; i < out.length && this.readIndex !== this.writeIndex; i++) {
        out[i] = this.ring[this.readIndex]!;
        this.readIndex = this.readIndex + 1 === this.ring.length ? 0 : this.readIndex + 1;
      }
      if (i < out.length) {
        this.playing = false;
        this.underruns++;
      }
    }
    out.fill(0, i);
  }

  /** Forgets buffered audio (e.g. when a prompt is cut off by barge-in). */
  clear(): void {
    this.readIndex = this.writeIndex;
    this.playing = false;
  }

  stats(): JitterBufferStats {
    return {
      depthMs: (this.depth * 1000) / this.sampleRate,
      playing: this.playing,
      underruns: this.underruns,
      droppedSamples: this.droppedSamples,
      receivedSamples: this.receivedSamples,
    };
  }
}

/**
 * One simulated caller of `npm run load`, whatever carries it (a WebSocket
 * on /call or /twilio: load-websocket-call.ts; SIP with RTP:
 * load-sip-call.ts): it streams 20 ms frames when told to, keys DTMF as the
 * IVR asks, and records what it needs to measure digit latency and the
 * server's pacing:
 * - digit latency: the digit-heard event's time minus the tone's end on
 *   this process's monotonic clock (stream start + end sample / rate), kept
 *   apart for keys pressed while dialing in and keys pressed once every
 *   call of the step is connected (the latency at N concurrent calls);
 * - server part: that time minus the sending of the frame that lets the
 *   decoder confirm the key;
 * - pacing: each audio frame's arrival against the 20 ms grid of the second
 *   before it (late > 40 ms), and frames missing;
 * - missed and extra digits against the keys actually sent.
 */
import { DtmfDetector } from '../src/dsp/dtmf-detector.ts';
import { synthesizeDtmf } from '../src/dsp/dtmf-generator.ts';
import { maskedDigit } from '../src/server/call-log.ts';

/** How a load call reaches the server. */
export const LOAD_PROTOCOLS = ['native', 'twilio', 'sip'] as const;
export type LoadProtocol = (typeof LOAD_PROTOCOLS)[number];

export interface CallResult {
  protocol: LoadProtocol;
  reached: string | undefined;
  sent: number;
  heard: number;
  missed: number;
  extra: number;
  framesReceived: number;
  framesExpected: number;
  lateFrames: number;
  maxLateMs: number;
  retransmissions: number;
  error: string | undefined;
}

export const FRAME_MS = 20;
const TONE = { onMs: 100, offMs: 100 };
const LATE_FRAME_MS = 40;
/** Frames of history (1 s) against which a frame's lateness is judged. */
const PACING_WINDOW_FRAMES = 50;

/** When a key was pressed: while the calls dialed in, or once all of them were connected. */
export type KeyPhase = 'dialing' | 'connected';

/** Latencies in ms, by the phase in which the key was pressed. */
export type LatencySink = Record<KeyPhase, { total: number[]; server: number[] }>;

interface Key {
  digit: string;
  phase: KeyPhase;
  /** Wall time (this process's performance.now) at which the tone ends. */
  endAt: number;
  /** Index of the frame holding the first sample at which the decoder can confirm the key. */
  confirmFrame: number;
}

/** What a caller reacts to and measures: a call event as the WebSocket protocols send it. */
export interface LoadEvent {
  event: string;
  state?: string;
  digit?: string;
  code?: string;
  message?: string;
}

/**
 * The measuring half of a caller, whatever carries its audio: the keys it
 * queued and their timing, the frames it sent and got back, and the IVR
 * dialogue (conference ID, leader answer, PIN). A transport subclass sends
 * each frame, reports arrivals and events, and hangs up.
 */
export abstract class LoadCall {
  abstract readonly protocol: LoadProtocol;
  readonly rate: number;
  readonly frameSamples: number;
  readonly organizer: boolean;
  private readonly pin: string;
  private readonly conference: string;
  private streamStart = 0;
  protected framesSent = 0;
  private queue: Int16Array[] = [];
  private queuedSamples = 0;
  private readonly keys: Key[] = [];
  private readonly heard: { digit: string; at: number }[] = [];
  private arrivals: Float64Array = new Float64Array(1024);
  private arrivalCount = 0;
  /** When each frame was actually sent. */
  private sendTimes: Float64Array = new Float64Array(1024);
  /** Stop recording audio arrivals (the measurement window is over). */
  frozen = false;
  reached: string | undefined;
  done = false;
  closed = false;
  error: string | undefined;
  private readonly onDone: () => void;

  constructor(rate: number, conference: string, organizer: boolean, pin: string, onDone: () => void) {
    this.rate = rate;
    this.frameSamples = (rate * FRAME_MS) / 1000;
    this.conference = conference;
    this.organizer = organizer;
    this.pin = pin;
    this.onDone = onDone;
  }

  /** Sends one frame of caller audio: `frame`, or silence when undefined. */
  protected abstract transmit(frame: Int16Array | undefined): void;
  abstract hangup(): void;

  /**
   * Whether the digits this call hears come masked as the call log writes
   * them (`x` for 0-9 and A-D; `*` and `#` shown): then a key matches a
   * heard digit by its masked form, and a wrong digit shows as a call that
   * never reaches its conference rather than as a mismatch.
   */
  protected get digitsMasked(): boolean {
    return false;
  }

  /** Audio starts flowing now: frame n is due at this moment + 20 ms x n. */
  protected startStream(): void {
    this.streamStart = performance.now();
  }

  /** Queues keys as DTMF with a random lead, so tone ends fall anywhere inside a frame. */
  press(digits: string, phase: KeyPhase = 'dialing'): void {
    const leadMs = Math.floor(Math.random() * FRAME_MS);
    const pcm = this.heardAs(synthesizeDtmf(digits, { sampleRate: this.rate, ...TONE, leadMs, levelDbm0: -12 }));
    const base = this.framesSent * this.frameSamples + this.queuedSamples;
    const samplesPerMs = this.rate / 1000;
    const confirmFrames = confirmationFrames(pcm, base, this.rate, this.frameSamples);
    for (let i = 0; i < digits.length; i++) {
      const endSample = base + Math.round(leadMs * samplesPerMs) + Math.round(i * (TONE.onMs + TONE.offMs) * samplesPerMs) + Math.round(TONE.onMs * samplesPerMs);
      this.keys.push({
        digit: digits[i]!,
        phase,
        endAt: this.streamStart + (endSample / this.rate) * 1000,
        confirmFrame: confirmFrames[i] ?? Number.MAX_SAFE_INTEGER,
      });
    }
    this.queue.push(pcm);
    this.queuedSamples += pcm.length;
  }

  /** The audio as the server's decoder gets it (a lossy codec changes it). */
  protected heardAs(pcm: Int16Array): Int16Array {
    return pcm;
  }

  /** Sends every frame that is due; called by the shared timer. */
  pump(now: number): void {
    if (this.streamStart === 0 || this.closed) return;
    const due = Math.floor((now - this.streamStart) / FRAME_MS) - this.framesSent;
    for (let i = 0; i < due; i++) this.sendFrame();
  }

  private nextFrame(): Int16Array | undefined {
    const head = this.queue[0];
    if (!head) return undefined;
    const frame = new Int16Array(this.frameSamples);
    let filled = 0;
    while (filled < this.frameSamples && this.queue.length > 0) {
      const part = this.queue[0]!;
      const take = Math.min(part.length, this.frameSamples - filled);
      frame.set(part.subarray(0, take), filled);
      filled += take;
      if (take === part.length) this.queue.shift();
      else this.queue[0] = part.subarray(take);
    }
    this.queuedSamples -= filled;
    return frame;
  }

  private sendFrame(): void {
    const frame = this.nextFrame();
    if (this.framesSent === this.sendTimes.length) this.sendTimes = grow(this.sendTimes);
    this.sendTimes[this.framesSent] = performance.now();
    this.framesSent++;
    this.transmit(frame);
  }

  /** A frame of the IVR's audio arrived at `at`. */
  protected arrived(at: number): void {
    if (this.frozen) return;
    if (this.arrivalCount === this.arrivals.length) this.arrivals = grow(this.arrivals);
    this.arrivals[this.arrivalCount++] = at;
  }

  /** A call event, known to this process at `at` (its performance.now clock). */
  protected callEvent(event: LoadEvent, at: number): void {
    switch (event.event) {
      case 'call-started':
        this.press(`${this.conference}#`);
        return;
      case 'digit-heard':
        this.heard.push({ digit: event.digit ?? '', at });
        return;
      case 'state-entered':
        if (event.state === 'leader-question') this.press(this.organizer ? '*' : '#');
        else if (event.state === 'collecting-pin' && this.organizer) this.press(`${this.pin}#`);
        else if (event.state === 'lobby' || event.state === 'in-meeting') {
          this.reached ??= event.state;
          if (!this.organizer || event.state === 'in-meeting') this.finish();
        }
        return;
      case 'error':
        this.error ??= `${event.code}: ${event.message}`;
        return;
      default:
        return;
    }
  }

  protected finish(): void {
    if (this.done) return;
    this.done = true;
    this.onDone();
  }

  /** The transport is gone; before the lobby or meeting that is a failure. */
  protected ended(why: string): void {
    this.closed = true;
    if (!this.done) {
      this.error ??= `${why} before the lobby or meeting`;
      this.finish();
    }
  }

  get isClosed(): boolean {
    return this.closed;
  }

  /** Latencies of digits heard in order, and the digit and pacing tallies. */
  result(latencies: LatencySink): CallResult {
    const same = this.digitsMasked ? (key: string, heard: string) => maskedDigit(key) === heard : (key: string, heard: string) => key === heard;
    let matched = 0;
    let k = 0;
    for (const heard of this.heard) {
      while (k < this.keys.length && !same(this.keys[k]!.digit, heard.digit) && this.keys[k]!.endAt < heard.at) k++;
      const key = this.keys[k];
      if (key && same(key.digit, heard.digit)) {
        const sink = latencies[key.phase];
        sink.total.push(heard.at - key.endAt);
        if (key.confirmFrame < this.framesSent) sink.server.push(heard.at - this.sendTimes[key.confirmFrame]!);
        matched++;
        k++;
      }
    }
    // Pacing: a frame's lateness is its transit offset (arrival - 20 ms x n)
    // above the smallest offset of the second before it. A frame the server
    // skipped lowers later offsets; it shows as missing, not as earlier lateness.
    let late = 0;
    let maxLate = 0;
    for (let n = 0; n < this.arrivalCount; n++) {
      const offset = this.arrivals[n]! - n * FRAME_MS;
      let floor = offset;
      for (let m = Math.max(0, n - PACING_WINDOW_FRAMES); m < n; m++) floor = Math.min(floor, this.arrivals[m]! - m * FRAME_MS);
      const lateness = offset - floor;
      if (lateness > LATE_FRAME_MS) late++;
      if (lateness > maxLate) maxLate = lateness;
    }
    const span = this.arrivalCount > 0 ? this.arrivals[this.arrivalCount - 1]! - this.arrivals[0]! : 0;
    return {
      protocol: this.protocol,
      reached: this.reached,
      sent: this.keys.length,
      heard: this.heard.length,
      missed: this.keys.length - matched,
      extra: this.heard.length - matched,
      framesReceived: this.arrivalCount,
      framesExpected: this.arrivalCount > 0 ? Math.round(span / FRAME_MS) + 1 : 0,
      lateFrames: late,
      maxLateMs: maxLate,
      retransmissions: this.retransmissions,
      error: this.error,
    };
  }

  /** SIP requests this call had to send again (RFC 3261 section 17.1 timers A and E); 0 on a reliable transport. */
  protected get retransmissions(): number {
    return 0;
  }
}

/**
 * For each key in `pcm` (to be sent from stream sample `base`), the index of
 * the frame whose arrival lets the server's decoder confirm it: the same
 * decoder is run here on the same audio, cut at the same frame boundaries,
 * after silence that puts its analysis hops in the same phase.
 */
function confirmationFrames(pcm: Int16Array, base: number, rate: number, frameSamples: number): number[] {
  const decoder = new DtmfDetector({ sampleRate: rate });
  const hop = decoder.hopSamples;
  decoder.push(new Int16Array(hop * 20 + (base % hop)));
  const frames: number[] = [];
  let at = 0;
  while (at < pcm.length) {
    const frameEnd = (Math.floor((base + at) / frameSamples) + 1) * frameSamples - base;
    const chunk = pcm.subarray(at, Math.min(pcm.length, frameEnd));
    for (let i = decoder.push(chunk).length; i > 0; i--) frames.push(Math.floor((base + at) / frameSamples));
    at += chunk.length;
  }
  return frames;
}

function grow(array: Float64Array): Float64Array {
  const grown = new Float64Array(array.length * 2);
  grown.set(array);
  return grown;
}

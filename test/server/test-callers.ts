/**
 * Real WebSocket callers for the server tests: they stream 20 ms frames of
 * PCM (silence, or DTMF from synthesizeDtmf) the way a phone or platform
 * does, and record every event and audio frame the server sends back.
 */
import { WebSocket } from 'ws';
import { synthesizeDtmf, type DtmfSynthOptions } from '../../src/dsp/dtmf-generator.ts';
import { decodeMulaw, encodeMulaw } from '../../src/dsp/g711.ts';

export type Json = Record<string, any>;

export interface CallerOptions {
  /** Frames sent per 20 ms tick: above 1 streams faster than real time (the decoder's time is the sample count). */
  speed?: number;
  /** Extra headers on the upgrade (Authorization). */
  headers?: Record<string, string>;
}

export interface Closed {
  code: number;
  reason: string;
}

/** Common part: a socket, an outgoing PCM queue paced in 20 ms frames, recorded events. */
export abstract class TestCaller {
  readonly socket: WebSocket;
  readonly events: Json[] = [];
  /** Samples of audio received from the server. */
  audioSamples = 0;
  /** Largest absolute sample received, to tell speech from silence. */
  peak = 0;
  readonly closed: Promise<Closed>;
  readonly opened: Promise<void>;
  protected sampleRate = 8000;
  private queue: Int16Array[] = [];
  private queueDrained: Array<() => void> = [];
  private pump: NodeJS.Timeout | undefined;
  private readonly waiters = new Set<{ match: (e: Json) => boolean; resolve: (e: Json) => void }>();
  private readonly speed: number;

  constructor(url: string, options: CallerOptions = {}) {
    this.speed = options.speed ?? 1;
    this.socket = new WebSocket(url, { headers: options.headers });
    this.opened = new Promise((resolve, reject) => {
      this.socket.once('open', () => resolve());
      this.socket.once('error', reject);
    });
    this.closed = new Promise((resolve) => {
      this.socket.on('close', (code, reason) => {
        this.stopStreaming();
        resolve({ code, reason: reason.toString() });
      });
    });
    this.socket.on('error', () => {});
    this.socket.on('message', (data, isBinary) => this.onMessage(data as Buffer, isBinary));
  }

  protected abstract onMessage(data: Buffer, isBinary: boolean): void;
  protected abstract sendFrame(samples: Int16Array): void;

  protected record(event: Json): void {
    this.events.push(event);
    for (const waiter of this.waiters) {
      if (waiter.match(event)) {
        this.waiters.delete(waiter);
        waiter.resolve(event);
      }
    }
  }

  protected heard(samples: Int16Array): void {
    this.audioSamples += samples.length;
    for (const s of samples) if (Math.abs(s) > this.peak) this.peak = Math.abs(s);
  }

  /** Resolves with the first event (already received or still to come) matching `match`. */
  waitFor(match: string | ((e: Json) => boolean), timeoutMs = 10_000): Promise<Json> {
    const test = typeof match === 'string' ? (e: Json) => e.event === match : match;
    const seen = this.events.find(test);
    if (seen) return Promise.resolve(seen);
    return new Promise((resolve, reject) => {
      const waiter = { match: test, resolve: (e: Json) => (clearTimeout(timer), resolve(e)) };
      const timer = setTimeout(() => {
        this.waiters.delete(waiter);
        reject(new Error(`timed out waiting for ${typeof match === 'string' ? match : 'event'}; got ${JSON.stringify(this.events.map((e) => e.event + (e.state ? `:${e.state}` : e.prompt ? `:${e.prompt}` : '')))}`));
      }, timeoutMs);
      this.waiters.add(waiter);
    });
  }

  waitForState(state: string, timeoutMs?: number): Promise<Json> {
    return this.waitFor((e) => e.event === 'state-entered' && e.state === state, timeoutMs);
  }

  /**
   * Starts sending 20 ms frames: queued audio first (up to `speed` frames a
   * tick), silence when the queue is empty. Silence only fills up to real
   * time, and a late tick catches up, as a platform's stream does: the
   * server ends a call whose audio runs far ahead of the wall clock.
   */
  startStreaming(): void {
    const frameMs = 20;
    const frame = (this.sampleRate * frameMs) / 1000;
    const startedAt = performance.now();
    let sentMs = 0;
    this.pump = setInterval(() => {
      const dueMs = performance.now() - startedAt;
      for (let sent = 0; sent < this.speed + 5; sent++) {
        if (this.socket.readyState !== WebSocket.OPEN) return;
        const next = this.queue[0];
        if (!next) for (const done of this.queueDrained.splice(0)) done();
        const behind = sentMs < dueMs;
        if (next ? sent >= this.speed && !behind : !behind) return;
        const out = new Int16Array(frame);
        if (next) {
          out.set(next.subarray(0, frame));
          if (next.length <= frame) this.queue.shift();
          else this.queue[0] = next.subarray(frame);
        }
        this.sendFrame(out);
        sentMs += frameMs;
      }
    }, frameMs);
  }

  stopStreaming(): void {
    if (this.pump) clearInterval(this.pump);
    this.pump = undefined;
  }

  /** Queues the keys as in-band DTMF; resolves once their audio has been sent. */
  press(digits: string, synth: Partial<DtmfSynthOptions> = {}): Promise<void> {
    this.queue.push(synthesizeDtmf(digits, { sampleRate: this.sampleRate, onMs: 80, offMs: 80, ...synth }));
    return new Promise((resolve) => this.queueDrained.push(resolve));
  }

  close(): void {
    this.stopStreaming();
    if (this.socket.readyState === WebSocket.OPEN || this.socket.readyState === WebSocket.CONNECTING) this.socket.close();
  }
}

/** A caller on the native `/call` protocol. */
export class NativeCaller extends TestCaller {
  constructor(baseUrl: string, options: CallerOptions & { path?: string } = {}) {
    super(baseUrl.replace(/^http/, 'ws') + (options.path ?? '/call'), options);
  }

  async start(sampleRate = 8000, from?: string): Promise<Json> {
    await this.opened;
    this.sampleRate = sampleRate;
    this.socket.send(JSON.stringify({ event: 'start', sampleRate, ...(from ? { from } : {}) }));
    const started = await this.waitFor('call-started');
    this.startStreaming();
    return started;
  }

  hangup(): void {
    this.socket.send(JSON.stringify({ event: 'hangup' }));
  }

  protected onMessage(data: Buffer, isBinary: boolean): void {
    if (isBinary) {
      const samples = new Int16Array(data.length / 2);
      for (let i = 0; i < samples.length; i++) samples[i] = data.readInt16LE(i * 2);
      this.heard(samples);
    } else {
      this.record(JSON.parse(data.toString()));
    }
  }

  protected sendFrame(samples: Int16Array): void {
    this.socket.send(Buffer.from(samples.buffer, samples.byteOffset, samples.byteLength));
  }
}

/** A Twilio Media Streams stand-in: connected, start, µ-law media, dtmf, stop. */
export class TwilioCaller extends TestCaller {
  readonly streamSid = `MZ${Math.random().toString(16).slice(2, 18)}`;
  /** Twilio messages received (media, mark, clear). */
  readonly twilio: Json[] = [];
  private chunk = 0;

  constructor(baseUrl: string, options: CallerOptions & { events?: boolean } = {}) {
    super(baseUrl.replace(/^http/, 'ws') + (options.events === false ? '/twilio' : '/twilio?events=1'), options);
  }

  async start(from = '+15550142'): Promise<void> {
    await this.opened;
    this.socket.send(JSON.stringify({ event: 'connected', protocol: 'Call', version: '1.0.0' }));
    this.socket.send(
      JSON.stringify({
        event: 'start',
        sequenceNumber: '1',
        streamSid: this.streamSid,
        start: {
          streamSid: this.streamSid,
          accountSid: 'AC00000000000000000000000000000000',
          callSid: 'CA00000000000000000000000000000001',
          tracks: ['inbound'],
          customParameters: { from },
          mediaFormat: { encoding: 'audio/x-mulaw', sampleRate: 8000, channels: 1 },
        },
      }),
    );
    this.startStreaming();
  }

  /** An out-of-band key press as Twilio reports it. */
  dtmf(digit: string): void {
    this.socket.send(JSON.stringify({ event: 'dtmf', streamSid: this.streamSid, sequenceNumber: '9', dtmf: { track: 'inbound_track', digit } }));
  }

  stop(): void {
    this.socket.send(JSON.stringify({ event: 'stop', streamSid: this.streamSid, stop: { callSid: 'CA00000000000000000000000000000001' } }));
  }

  protected onMessage(data: Buffer, isBinary: boolean): void {
    if (isBinary) throw new Error('Twilio streams never carry binary frames');
    const message = JSON.parse(data.toString());
    if (message.event === 'media') {
      this.heard(decodeMulaw(Buffer.from(message.media.payload, 'base64')));
      return;
    }
    if (message.event === 'mark' || message.event === 'clear') this.twilio.push(message);
    this.record(message);
  }

  protected sendFrame(samples: Int16Array): void {
    this.chunk++;
    const payload = Buffer.from(encodeMulaw(samples)).toString('base64');
    this.socket.send(
      JSON.stringify({
        event: 'media',
        sequenceNumber: String(this.chunk + 1),
        streamSid: this.streamSid,
        media: { track: 'inbound', chunk: String(this.chunk), timestamp: String(this.chunk * 20), payload },
      }),
    );
  }
}

/** A Vonage Voice WebSocket stand-in: websocket:connected, 20 ms L16 frames, websocket:dtmf. */
export class VonageCaller extends TestCaller {
  constructor(baseUrl: string, options: CallerOptions & { events?: boolean } = {}) {
    super(baseUrl.replace(/^http/, 'ws') + (options.events === false ? '/vonage' : '/vonage?events=1'), options);
  }

  async start(sampleRate = 16000): Promise<void> {
    await this.opened;
    this.sampleRate = sampleRate;
    this.socket.send(JSON.stringify({ event: 'websocket:connected', 'content-type': `audio/l16;rate=${sampleRate}`, from: '447700900001' }));
    this.startStreaming();
  }

  dtmf(digit: string, durationMs: number): void {
    this.socket.send(JSON.stringify({ event: 'websocket:dtmf', digit, duration: durationMs }));
  }

  /** Raw JSON commands from the server (clear). */
  readonly commands: Json[] = [];

  protected onMessage(data: Buffer, isBinary: boolean): void {
    if (isBinary) {
      const samples = new Int16Array(data.length / 2);
      for (let i = 0; i < samples.length; i++) samples[i] = data.readInt16LE(i * 2);
      this.heard(samples);
      return;
    }
    const message = JSON.parse(data.toString());
    if (message.action) this.commands.push(message);
    else this.record(message);
  }

  protected sendFrame(samples: Int16Array): void {
    this.socket.send(Buffer.from(samples.buffer, samples.byteOffset, samples.byteLength));
  }
}

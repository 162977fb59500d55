/**
 * The npm package `dtmf-detection-stream` (1.18) as a DigitDecoder, kept as
 * a baseline to compare the native detector with. The adapter adds nothing
 * to the package's own defects and hides none of them:
 *
 * - Its Writable reads `chunk.buffer` from offset 0, ignoring byteOffset,
 *   so every write gets a freshly allocated, unpooled Buffer (Buffer.from()
 *   of a small array would land in Node's shared pool at a non-zero offset).
 * - Its `_write` runs synchronously inside `write()` (the callback is
 *   called before it returns), so the digits a push causes are collected
 *   from its 'dtmf' event during the push and returned by it.
 * - Every digit starts a 500 ms setTimeout for its 'speech' aggregation;
 *   the adapter clears it right after each write, so no timer outlives a
 *   push or keeps the process alive.
 * - It reports only the time at which it emits a digit, which comes when
 *   the next different digit or a noisy block arrives, not when the tone
 *   ends. The adapter observes the package's per-block state (it wraps the
 *   instance's `postTesting`, without changing its decisions) and reports
 *   startMs as the start of the first block it attributed to the digit and
 *   endMs as the end of the last such block.
 * - Only a different digit or a noisy block ends a digit, so equal digits
 *   separated by silence are merged or split depending on level and timing,
 *   and the last digit of an input can go unreported (flush() has nothing
 *   to add). It ignores its first digit until a noisy block has initialised
 *   its counter, and at 32 kHz it computes with 32100 Hz.
 */
import { createRequire } from 'node:module';
import type { DigitEvent, DtmfKey } from '../dsp/dtmf-keys.ts';
import { isDtmfKey } from '../dsp/dtmf-keys.ts';
import { AudioParameterError } from '../errors.ts';
import type { DigitDecoder } from './digit-decoder.ts';

/** The sample rates the package has block sizes for. */
export const DTMF_DETECTION_STREAM_RATES = [8000, 16000, 32000, 44100, 48000] as const;

/** The parts of the package's (untyped, CommonJS) stream the adapter uses. */
interface PackageStream {
  write(chunk: Buffer): boolean;
  on(event: 'dtmf', listener: (event: { digit: string; timestamp: number }) => void): void;
  postTesting(): unknown;
  timeoutID: ReturnType<typeof setTimeout> | null;
  aggregated: string;
  curChar: string;
  sampleIndex: number;
  GOERTZEL_N: number;
}

type PackageConstructor = new (args: { format: { sampleRate: number; channels: number } }) => PackageStream;

const require = createRequire(import.meta.url);
const DtmfDetectionStream = require('dtmf-detection-stream') as PackageConstructor;

export class DtmfDetectionStreamDecoder implements DigitDecoder {
  readonly sampleRate: number;
  private stream!: PackageStream;
  private pending: DigitEvent[] = [];
  /** Sample index of the start of the package's current character. */
  private charStart = 0;
  /** Sample index of the end of the last block attributed to it. */
  private charEnd = 0;

  constructor(sampleRate: number) {
    if (!(DTMF_DETECTION_STREAM_RATES as readonly number[]).includes(sampleRate)) {
      throw new AudioParameterError(
        `engine dtmf-detection-stream supports sample rates ${DTMF_DETECTION_STREAM_RATES.join(', ')} Hz, got ${sampleRate}`,
      );
    }
    this.sampleRate = sampleRate;
    this.reset();
  }

  push(samples: Int16Array): DigitEvent[] {
    if (samples.length > 0) {
      const chunk = Buffer.allocUnsafeSlow(samples.byteLength);
      chunk.set(new Uint8Array(samples.buffer, samples.byteOffset, samples.byteLength));
      this.stream.write(chunk);
      this.stopAggregationTimer();
    }
    const events = this.pending;
    this.pending = [];
    return events;
  }

  /** The package never emits a digit still pending at the end of input. */
  flush(): DigitEvent[] {
    const events = this.pending;
    this.reset();
    return events;
  }

  reset(): void {
    if (this.stream) this.stopAggregationTimer();
    const stream = new DtmfDetectionStream({ format: { sampleRate: this.sampleRate, channels: 1 } });
    this.stream = stream;
    this.pending = [];
    this.charStart = 0;
    this.charEnd = 0;
    const decide = stream.postTesting.bind(stream);
    stream.postTesting = () => {
      const before = stream.curChar;
      const result = decide();
      const after = stream.curChar;
      // A block that set a new character starts it; one that kept the
      // character without an "energy not enough" early return counted it.
      if (after !== '' && after !== before) {
        this.charStart = stream.sampleIndex - stream.GOERTZEL_N;
        this.charEnd = stream.sampleIndex;
      } else if (after !== '' && result === undefined) {
        this.charEnd = stream.sampleIndex;
      }
      return result;
    };
    stream.on('dtmf', ({ digit }) => {
      const key = digit.toUpperCase();
      if (!isDtmfKey(key)) return;
      this.pending.push({ digit: key as DtmfKey, startMs: this.toMs(this.charStart), endMs: this.toMs(this.charEnd) });
    });
  }

  private stopAggregationTimer(): void {
    if (this.stream.timeoutID !== null) {
      clearTimeout(this.stream.timeoutID);
      this.stream.timeoutID = null;
    }
    this.stream.aggregated = '';
  }

  private toMs(sampleIndex: number): number {
    return Math.round((sampleIndex * 10000) / this.sampleRate) / 10;
  }
}

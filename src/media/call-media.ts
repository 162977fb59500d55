/**
 * One call's outgoing audio: plays the prompts the flow asks for and says
 * when each one has finished, to the sample. Pure and clock-free: time
 * advances only as the transport pulls blocks through `render()`, so a file,
 * a socket and a test see the same timeline.
 *
 * Cheap per call: the prompt arrays belong to the shared PromptLibrary (at the
 * output rate, resampled once for all calls); a call keeps a reference to the
 * library, the name of what is playing and two counters.
 */
import type { PromptName } from '../flow/names.ts';
import type { PromptLibrary } from './prompt-library.ts';

export interface CallMediaOptions {
  /** Sample rate of the call's outgoing audio in Hz (8000, 16000 or 48000 in practice). */
  outputRate: number;
}

export const DEFAULT_CALL_MEDIA_OPTIONS: CallMediaOptions = { outputRate: 8000 };

/** A prompt that played to its end inside a rendered block. */
export interface PromptFinished {
  readonly prompt: PromptName;
  /** Index in the block of the first sample after the prompt (0 to block length). */
  readonly offset: number;
  /** When the prompt ended, in ms of output since this CallMedia was created. */
  readonly endMs: number;
}

export interface MediaReport {
  /** Prompts that ended inside the block, in order (empty most of the time). */
  readonly finished: readonly PromptFinished[];
  /**
   * The block's samples as a view of audio that is never modified (a prompt
   * of the shared library, or shared silence), when the block is one whole
   * frame-aligned stretch of it: a transport may encode such a block once
   * for every call that plays it. Undefined otherwise (a block that crosses
   * a prompt's end or a loop's wrap).
   */
  readonly shared?: Int16Array;
}

const NOTHING: readonly PromptFinished[] = Object.freeze([]);
const NOTHING_FINISHED: MediaReport = Object.freeze({ finished: NOTHING });

/** All-zero blocks by length, shared by every call (never written to). */
const SILENCE = new Map<number, Int16Array>();

function silence(length: number): Int16Array {
  let zeros = SILENCE.get(length);
  if (!zeros) SILENCE.set(length, (zeros = new Int16Array(length)));
  return zeros;
}

export class CallMedia {
  /** The shared library at this call's output rate. */
  readonly library: PromptLibrary;
  readonly outputRate: number;
  #playing: PromptName | undefined;
  #source: Int16Array | undefined;
  #looped = false;
  #cursor = 0;
  #playedSamples = 0;
  #samplesRendered = 0;

  constructor(library: PromptLibrary, partial: Partial<CallMediaOptions> = {}) {
    const options = { ...DEFAULT_CALL_MEDIA_OPTIONS, ...partial };
    this.library = library.atRate(options.outputRate);
    this.outputRate = options.outputRate;
  }

  /**
   * Starts `prompt` from its beginning at the next rendered sample. Whatever
   * was playing is cut off and returned (it is not reported as finished).
   */
  play(prompt: PromptName): PromptName | undefined {
    const interrupted = this.#playing;
    this.#playing = prompt;
    this.#source = this.library.get(prompt);
    this.#looped = this.library.isLooped(prompt);
    this.#cursor = 0;
    this.#playedSamples = 0;
    return interrupted;
  }

  /** Stops playback (barge-in, or the flow moving on); returns what was stopped. */
  stop(): PromptName | undefined {
    const stopped = this.#playing;
    this.#playing = undefined;
    this.#source = undefined;
    this.#cursor = 0;
    this.#playedSamples = 0;
    return stopped;
  }

  nowPlaying(): PromptName | undefined {
    return this.#playing;
  }

  /** Total samples rendered since creation, at the output rate. */
  get samplesRendered(): number {
    return this.#samplesRendered;
  }

  /** Output rendered since creation, in ms. */
  get renderedMs(): number {
    return (this.#samplesRendered * 1000) / this.outputRate;
  }

  /** How long the current prompt has played (loops included), in ms; undefined when idle. */
  get positionMs(): number | undefined {
    return this.#playing === undefined ? undefined : (this.#playedSamples * 1000) / this.outputRate;
  }

  /** Samples until the current prompt ends: Infinity while a looped prompt plays or nothing does. */
  remainingSamples(): number {
    return this.#source === undefined || this.#looped ? Infinity : this.#source.length - this.#cursor;
  }

  /**
   * Moves on `samples` as if they had been rendered, without producing them:
   * a simulation jumps over time nobody listens to. It must stop short of the
   * end of a prompt that does not loop, because only render reports an end.
   */
  skip(samples: number): void {
    if (!(samples >= 0 && samples < this.remainingSamples())) {
      throw new RangeError(`cannot skip ${samples} samples: ${this.remainingSamples()} remain of ${this.#playing}`);
    }
    this.#samplesRendered += samples;
    if (this.#source === undefined) return;
    this.#playedSamples += samples;
    this.#cursor = (this.#cursor + samples) % this.#source.length;
  }

  /**
   * Fills `out` with the next `out.length` samples: the current prompt, then
   * silence once it has ended. A prompt ending exactly at the end of the
   * block is reported in this block (offset = out.length).
   */
  render(out: Int16Array): MediaReport {
    const blockStart = this.#samplesRendered;
    this.#samplesRendered += out.length;
    const source = this.#source;
    if (source === undefined) {
      out.fill(0);
      return out.length > 0 ? { finished: NOTHING, shared: silence(out.length) } : NOTHING_FINISHED;
    }
    const shared = this.#sharedBlock(source, out.length);
    if (this.#looped) {
      this.#renderLoop(out, source);
      return shared ? { finished: NOTHING, shared } : NOTHING_FINISHED;
    }
    const count = Math.min(out.length, source.length - this.#cursor);
    out.set(source.subarray(this.#cursor, this.#cursor + count));
    this.#cursor += count;
    this.#playedSamples += count;
    if (this.#cursor < source.length) return shared ? { finished: NOTHING, shared } : NOTHING_FINISHED;
    out.fill(0, count);
    const finished: PromptFinished = {
      prompt: this.#playing!,
      offset: count,
      endMs: ((blockStart + count) * 1000) / this.outputRate,
    };
    this.stop();
    return shared ? { finished: [finished], shared } : { finished: [finished] };
  }

  /**
   * The next `length` samples of `source` as a view, when they lie wholly
   * inside it and start on a multiple of `length`: frame-aligned, so a
   * prompt has at most one such view per frame position (which bounds what
   * an encoder caches by view).
   */
  #sharedBlock(source: Int16Array, length: number): Int16Array | undefined {
    const cursor = this.#cursor;
    if (length === 0 || cursor % length !== 0 || cursor + length > source.length) return undefined;
    return source.subarray(cursor, cursor + length);
  }

  #renderLoop(out: Int16Array, source: Int16Array): void {
    let cursor = this.#cursor;
    // Whole stretches up to the loop point, so a short loop may wrap several times in one block.
    for (let filled = 0; filled < out.length; ) {
      const take = Math.min(out.length - filled, source.length - cursor);
      out.set(source.subarray(cursor, cursor + take), filled);
      filled += take;
      cursor += take;
      if (cursor === source.length) cursor = 0;
    }
    this.#cursor = cursor;
    this.#playedSamples += out.length;
  }
}

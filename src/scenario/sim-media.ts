/**
 * What a simulated call plays, as the CallSession sees it, plus what the
 * simulation needs to jump time: how far the current prompt is from its
 * end, and moving on without producing audio.
 *
 * - RecordedMedia is the real CallMedia: used when a run records, because
 *   then the audio is wanted. Skipping a spoken prompt renders it into a
 *   scratch buffer; skipping hold music does nothing (its position is not
 *   observable).
 * - SilentMedia keeps only the cursor of the current prompt: used when
 *   nobody listens. It ends prompts at exactly the sample CallMedia would
 *   and renders silence, so a run's timeline is the same either way (the
 *   scenario tests check this). CallMedia has no way to move its cursor
 *   without rendering; with one, this class would not be needed.
 */
import type { PromptName } from '../flow/names.ts';
import type { CallMedia } from '../media/call-media.ts';
import type { PromptLibrary } from '../media/prompt-library.ts';
import type { SessionMedia } from '../session/call-session.ts';

export interface SimMedia extends SessionMedia {
  /** Samples until the current prompt ends: Infinity for looped prompts and when idle. */
  remainingSamples(): number;
  /** Moves on `samples` without output; must not reach the end of the current prompt. */
  skip(samples: number): void;
}

type Report = { readonly finished: readonly { readonly prompt: PromptName }[] };
const NOTHING: Report = Object.freeze({ finished: Object.freeze([]) });

export class SilentMedia implements SimMedia {
  readonly #library: PromptLibrary;
  #playing: PromptName | undefined;
  #length = 0;
  #looped = false;
  #cursor = 0;

  /** `library` must be at the call's output rate. */
  constructor(library: PromptLibrary) {
    this.#library = library;
  }

  play(prompt: PromptName): PromptName | undefined {
    const cut = this.#playing;
    this.#playing = prompt;
    this.#length = this.#library.get(prompt).length;
    this.#looped = this.#library.isLooped(prompt);
    this.#cursor = 0;
    return cut;
  }

  stop(): PromptName | undefined {
    const stopped = this.#playing;
    this.#playing = undefined;
    return stopped;
  }

  nowPlaying(): PromptName | undefined {
    return this.#playing;
  }

  remainingSamples(): number {
    return this.#playing === undefined || this.#looped ? Infinity : this.#length - this.#cursor;
  }

  skip(samples: number): void {
    if (this.#playing === undefined || this.#looped) return;
    if (this.#cursor + samples >= this.#length) throw new Error(`internal: skipping past the end of ${this.#playing}`);
    this.#cursor += samples;
  }

  render(out: Int16Array): Report {
    out.fill(0);
    const playing = this.#playing;
    if (playing === undefined || this.#looped) return NOTHING;
    this.#cursor += out.length;
    if (this.#cursor < this.#length) return NOTHING;
    this.#playing = undefined;
    return { finished: [{ prompt: playing }] };
  }
}

export class RecordedMedia implements SimMedia {
  readonly #media: CallMedia;
  readonly #scratch: Int16Array;

  constructor(media: CallMedia, scratchSamples: number) {
    this.#media = media;
    this.#scratch = new Int16Array(scratchSamples);
  }

  play(prompt: PromptName): PromptName | undefined {
    return this.#media.play(prompt);
  }

  stop(): PromptName | undefined {
    return this.#media.stop();
  }

  nowPlaying(): PromptName | undefined {
    return this.#media.nowPlaying();
  }

  remainingSamples(): number {
    const playing = this.#media.nowPlaying();
    if (playing === undefined || this.#media.library.isLooped(playing)) return Infinity;
    const played = Math.round(((this.#media.positionMs ?? 0) * this.#media.outputRate) / 1000);
    return this.#media.library.get(playing).length - played;
  }

  skip(samples: number): void {
    const playing = this.#media.nowPlaying();
    if (playing === undefined || this.#media.library.isLooped(playing)) return;
    for (let left = samples; left > 0; left -= this.#scratch.length) {
      const block = left >= this.#scratch.length ? this.#scratch : this.#scratch.subarray(0, left);
      if (this.#media.render(block).finished.length > 0) throw new Error(`internal: skipping past the end of ${playing}`);
    }
  }

  render(out: Int16Array): Report {
    return this.#media.render(out);
  }
}

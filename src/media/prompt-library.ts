/**
 * The IVR's prompts as PCM, shared by every call. A library holds one
 * Int16Array per prompt at one sample rate; `atRate()` gives (and caches) a
 * resampled copy, so a thousand calls at 48 kHz share one set of arrays and
 * each call keeps only a cursor. Pure: the files are read by
 * load-prompt-library.ts.
 */
import { checkSampleRate } from '../dsp/dtmf-generator.ts';
import { LOOPED_PROMPTS, PROMPTS, type PromptName } from '../flow/names.ts';
import { PromptLibraryError } from './media-errors.ts';
import { resamplePrompt } from './resample-prompt.ts';

export class PromptLibrary {
  /** Samples per second of every prompt in this library. */
  readonly sampleRate: number;
  readonly #prompts: ReadonlyMap<PromptName, Int16Array>;
  /** The library every rate was derived from, which owns the cache. */
  #origin: PromptLibrary = this;
  readonly #byRate = new Map<number, PromptLibrary>();

  /**
   * Takes ownership of the arrays (they are shared, never copied, so do not
   * modify them afterwards). Every name in PROMPTS must be present, and a
   * looped prompt must not be empty.
   */
  constructor(prompts: ReadonlyMap<PromptName, Int16Array>, sampleRate: number) {
    checkSampleRate(sampleRate, 'prompt library sample rate');
    for (const name of PROMPTS) {
      const samples = prompts.get(name);
      if (!samples) throw new PromptLibraryError(`prompt library has no '${name}' prompt`);
      if (LOOPED_PROMPTS.has(name) && samples.length === 0) {
        throw new PromptLibraryError(`looped prompt '${name}' is empty`);
      }
    }
    this.sampleRate = sampleRate;
    this.#prompts = new Map(PROMPTS.map((name) => [name, prompts.get(name)!]));
    this.#byRate.set(sampleRate, this);
  }

  /** The samples of a prompt at this library's rate (shared: do not modify). */
  get(name: PromptName): Int16Array {
    return this.#prompts.get(name)!;
  }

  /** Whether the prompt repeats until stopped (hold music) rather than plays once. */
  isLooped(name: PromptName): boolean {
    return LOOPED_PROMPTS.has(name);
  }

  /** Length of one play (for a looped prompt: one loop) in ms. */
  durationMs(name: PromptName): number {
    return (this.get(name).length * 1000) / this.sampleRate;
  }

  /**
   * The same prompts at `sampleRate`, computed once and then shared by every
   * caller. Looped prompts are resampled as a cycle, so they still loop
   * without a seam.
   */
  atRate(sampleRate: number): PromptLibrary {
    if (this.#origin !== this) return this.#origin.atRate(sampleRate);
    const cached = this.#byRate.get(sampleRate);
    if (cached) return cached;
    checkSampleRate(sampleRate, 'output sample rate');
    const converted = new Map<PromptName, Int16Array>();
    for (const name of PROMPTS) {
      converted.set(name, resamplePrompt(this.get(name), this.sampleRate, sampleRate, this.isLooped(name)));
    }
    const library = new PromptLibrary(converted, sampleRate);
    library.#origin = this;
    this.#byRate.set(sampleRate, library);
    return library;
  }
}

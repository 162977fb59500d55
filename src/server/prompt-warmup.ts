/**
 * The prompts at every rate a caller may use, loaded once per process.
 * Resampling takes about a second; done on a caller's first frame it would
 * stall every call's audio, so it happens before the server listens.
 */
import { loadPromptLibrary } from '../media/load-prompt-library.ts';
import type { PromptLibrary } from '../media/prompt-library.ts';

let shared: Promise<PromptLibrary> | undefined;

/** The shared library, with every rate in `sampleRates` prepared. A failed load is tried again at the next call. */
export function warmPromptLibrary(sampleRates: Iterable<number>): Promise<PromptLibrary> {
  if (!shared) {
    shared = loadPromptLibrary();
    shared.catch(() => (shared = undefined));
  }
  return shared.then((library) => {
    for (const rate of new Set(sampleRates)) library.atRate(rate);
    return library;
  });
}

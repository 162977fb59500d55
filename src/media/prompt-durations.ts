/**
 * How long each prompt plays, for timelines (the scenario runner schedules
 * a caller's key presses against the prompts it hears). Pure.
 */
import { PROMPTS, type PromptName } from '../flow/names.ts';
import type { PromptLibrary } from './prompt-library.ts';

export interface PromptDuration {
  /** Length of one play in ms; for a looped prompt, the length of one loop. */
  readonly ms: number;
  /** True when the prompt repeats until stopped, so `ms` is not when it ends. */
  readonly looped: boolean;
}

export function promptDurations(library: PromptLibrary): Readonly<Record<PromptName, PromptDuration>> {
  const durations = {} as Record<PromptName, PromptDuration>;
  for (const name of PROMPTS) {
    durations[name] = { ms: library.durationMs(name), looped: library.isLooped(name) };
  }
  return durations;
}

import { describe, expect, it } from 'vitest';
import { AudioParameterError } from '../../src/errors.ts';
import { PROMPTS, type PromptName } from '../../src/flow/names.ts';
import { PromptLibraryError } from '../../src/media/media-errors.ts';
import { promptDurations } from '../../src/media/prompt-durations.ts';
import { PromptLibrary } from '../../src/media/prompt-library.ts';

function prompts(length: (name: PromptName, index: number) => number): Map<PromptName, Int16Array> {
  return new Map(PROMPTS.map((name, index) => [name, new Int16Array(length(name, index)).fill(index + 1)]));
}

function thrown(action: () => unknown): unknown {
  try {
    action();
  } catch (error) {
    return error;
  }
  throw new Error('expected an error');
}

describe('PromptLibrary', () => {
  it('refuses a library without every prompt', () => {
    const map = prompts(() => 80);
    map.delete('locked-out');
    const error = thrown(() => new PromptLibrary(map, 8000));
    expect(error).toBeInstanceOf(PromptLibraryError);
    expect((error as PromptLibraryError).code).toBe('E_PROMPT_LIBRARY');
    expect((error as Error).message).toBe("prompt library has no 'locked-out' prompt");
  });

  it('refuses empty hold music, which could never loop', () => {
    const error = thrown(() => new PromptLibrary(prompts((name) => (name === 'hold-music' ? 0 : 80)), 8000));
    expect((error as Error).message).toBe("looped prompt 'hold-music' is empty");
  });

  it('refuses a sample rate out of range', () => {
    expect(() => new PromptLibrary(prompts(() => 80), 4000)).toThrow(AudioParameterError);
    expect(() => new PromptLibrary(prompts(() => 80), 8000).atRate(96000)).toThrow(AudioParameterError);
  });

  it('resamples once per rate and shares the result, from whichever library it is asked', () => {
    const library = new PromptLibrary(prompts(() => 800), 8000);
    const wide = library.atRate(48000);
    expect(wide.sampleRate).toBe(48000);
    expect(library.atRate(48000)).toBe(wide);
    expect(wide.atRate(48000)).toBe(wide);
    expect(wide.atRate(8000)).toBe(library);
    expect(wide.atRate(16000)).toBe(library.atRate(16000));
    expect(wide.get('welcome')).toHaveLength(4800);
  });

  it('gives each prompt its duration, marking the looped one', () => {
    const library = new PromptLibrary(prompts((_, index) => 80 * (index + 1)), 8000);
    const durations = promptDurations(library);
    expect(Object.keys(durations)).toEqual([...PROMPTS]);
    expect(durations.welcome).toEqual({ ms: 10, looped: false });
    expect(durations['hold-music']).toEqual({ ms: 10 * (PROMPTS.indexOf('hold-music') + 1), looped: true });
    expect(promptDurations(library.atRate(16000)).goodbye).toEqual(durations.goodbye);
  });
});

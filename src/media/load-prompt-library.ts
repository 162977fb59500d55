/**
 * Reads the committed prompt files, audio/prompts/<name>.wav, into a
 * PromptLibrary. The edge of the media code: everything else in src/media
 * is pure.
 */
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { isDialinError } from '../errors.ts';
import { PROMPTS, type PromptName } from '../flow/names.ts';
import { readWav, type WavAudio } from '../wav/wav-reader.ts';
import { PromptLibraryError } from './media-errors.ts';
import { PromptLibrary } from './prompt-library.ts';

/** The repository's audio/prompts, found from this module rather than the working directory. */
export const DEFAULT_PROMPT_DIR = fileURLToPath(new URL('../../audio/prompts/', import.meta.url));

export function promptPath(name: PromptName, dir = DEFAULT_PROMPT_DIR): string {
  return join(dir, `${name}.wav`);
}

/**
 * Loads every prompt in PROMPTS from `dir`. All files must be mono, complete
 * and at one sample rate; the first problem is thrown as a PromptLibraryError
 * naming the prompt and the file.
 */
export async function loadPromptLibrary(dir = DEFAULT_PROMPT_DIR): Promise<PromptLibrary> {
  const files = await Promise.all(PROMPTS.map((name) => readPrompt(name, promptPath(name, dir))));
  const sampleRate = files[0]!.audio.sampleRate;
  for (const { name, path, audio } of files) {
    if (audio.sampleRate !== sampleRate) {
      throw new PromptLibraryError(
        `prompt '${name}': ${path} is at ${audio.sampleRate} Hz but ${promptPath(PROMPTS[0], dir)} is at ${sampleRate} Hz; all prompts must share one rate`,
      );
    }
  }
  return new PromptLibrary(new Map(files.map(({ name, audio }) => [name, audio.samples])), sampleRate);
}

async function readPrompt(name: PromptName, path: string): Promise<{ name: PromptName; path: string; audio: WavAudio }> {
  let audio: WavAudio;
  try {
    audio = await readWav(path);
  } catch (error) {
    if (isDialinError(error)) throw new PromptLibraryError(`prompt '${name}': ${error.message}`, { cause: error });
    throw error;
  }
  if (audio.channels !== 1) {
    throw new PromptLibraryError(`prompt '${name}': ${path} has ${audio.channels} channels; prompts must be mono`);
  }
  if (audio.warnings.length > 0) {
    throw new PromptLibraryError(`prompt '${name}': ${path}: ${audio.warnings.join('; ')}`);
  }
  return { name, path, audio };
}

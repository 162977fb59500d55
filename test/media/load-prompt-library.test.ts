import { copyFile, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { PROMPTS } from '../../src/flow/names.ts';
import { DEFAULT_PROMPT_DIR, loadPromptLibrary, promptPath } from '../../src/media/load-prompt-library.ts';
import { PromptLibraryError } from '../../src/media/media-errors.ts';
import { writeWav } from '../../src/wav/wav-writer.ts';

const dirs: string[] = [];

/** A copy of the committed prompts that a test may break. */
async function promptCopy(): Promise<string> {
  const dir = await mkdtemp(join(tmpdir(), 'dialin-prompts-'));
  dirs.push(dir);
  await Promise.all(PROMPTS.map((name) => copyFile(promptPath(name), promptPath(name, dir))));
  return dir;
}

afterEach(async () => {
  await Promise.all(dirs.splice(0).map((dir) => rm(dir, { recursive: true, force: true })));
});

async function loadError(dir: string): Promise<PromptLibraryError> {
  const error = await loadPromptLibrary(dir).then(
    () => undefined,
    (caught: unknown) => caught,
  );
  expect(error).toBeInstanceOf(PromptLibraryError);
  return error as PromptLibraryError;
}

describe('loadPromptLibrary', () => {
  it('loads every committed prompt at 8 kHz from the repository, whatever the working directory', async () => {
    const cwd = process.cwd();
    process.chdir(tmpdir());
    try {
      const library = await loadPromptLibrary();
      expect(library.sampleRate).toBe(8000);
      for (const name of PROMPTS) expect(library.get(name).length).toBeGreaterThan(0);
    } finally {
      process.chdir(cwd);
    }
    expect(DEFAULT_PROMPT_DIR.endsWith(join('audio', 'prompts') + '/')).toBe(true);
  });

  it('names the prompt and the file when one is missing', async () => {
    const dir = await promptCopy();
    await rm(promptPath('pin-changed', dir));
    const error = await loadError(dir);
    expect(error.code).toBe('E_PROMPT_LIBRARY');
    expect(error.message).toBe(`prompt 'pin-changed': ${promptPath('pin-changed', dir)}: no such file`);
  });

  it('names the file when it is not a WAV file', async () => {
    const dir = await promptCopy();
    await writeFile(promptPath('goodbye', dir), 'not audio at all');
    const error = await loadError(dir);
    expect(error.message).toMatch(new RegExp(`^prompt 'goodbye': ${promptPath('goodbye', dir)}: `));
  });

  it('refuses prompts at different sample rates', async () => {
    const dir = await promptCopy();
    await writeFile(promptPath('welcome', dir), writeWav({ sampleRate: 16000, samples: new Int16Array(1600).fill(100) }));
    const error = await loadError(dir);
    expect(error.message).toContain('all prompts must share one rate');
  });

  it('refuses a stereo prompt', async () => {
    const dir = await promptCopy();
    await writeFile(promptPath('hold-music', dir), writeWav({ sampleRate: 8000, channels: 2, samples: new Int16Array(1600).fill(100) }));
    const error = await loadError(dir);
    expect(error.message).toBe(`prompt 'hold-music': ${promptPath('hold-music', dir)} has 2 channels; prompts must be mono`);
  });

  it('refuses a truncated prompt', async () => {
    const dir = await promptCopy();
    const whole = writeWav({ sampleRate: 8000, samples: new Int16Array(1600).fill(100) });
    await writeFile(promptPath('invalid-pin', dir), whole.subarray(0, 1000));
    const error = await loadError(dir);
    expect(error.message).toMatch(new RegExp(`^prompt 'invalid-pin': ${promptPath('invalid-pin', dir)}: `));
  });
});

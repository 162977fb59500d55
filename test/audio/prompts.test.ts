import { stat } from 'node:fs/promises';
import { describe, expect, it } from 'vitest';
import { PROMPTS } from '../../src/flow/names.ts';
import { synthesizeHoldMusic } from '../../src/media/hold-music.ts';
import { promptPath } from '../../src/media/load-prompt-library.ts';
import { PROMPT_TEXTS } from '../../src/media/prompt-texts.ts';
import { readWav } from '../../src/wav/wav-reader.ts';

const SPOKEN = PROMPTS.filter((name) => name !== 'hold-music');
/** Silence padded before and after the speech by scripts/make-prompts.ts. */
const PADDING_MS = 100 + 250;

function dbfs(value: number): number {
  return 20 * Math.log10(value / 32767);
}

function peak(samples: Int16Array): number {
  let max = 0;
  for (const v of samples) max = Math.max(max, Math.abs(v));
  return max;
}

function rms(samples: Int16Array): number {
  let sum = 0;
  for (const v of samples) sum += v * v;
  return Math.sqrt(sum / samples.length);
}

describe('committed prompt audio', () => {
  it.each([...PROMPTS])('%s.wav is 8 kHz 16-bit mono PCM and complete', async (name) => {
    const audio = await readWav(promptPath(name));
    expect({ sampleRate: audio.sampleRate, channels: audio.channels, encoding: audio.encoding, bits: audio.bitsPerSample }).toEqual({
      sampleRate: 8000,
      channels: 1,
      encoding: 'pcm',
      bits: 16,
    });
    expect(audio.warnings).toEqual([]);
  });

  it.each(SPOKEN)('%s.wav is speech at telephone level, as long as its text, with quiet ends', async (name) => {
    const { samples, durationMs } = await readWav(promptPath(name));
    expect(dbfs(peak(samples))).toBeCloseTo(-3, 0);
    // Speech, not a click or a hum: loud on average, and loud for much of the time.
    expect(dbfs(rms(samples))).toBeGreaterThan(-26);
    let voiced = 0;
    for (let start = 0; start + 160 <= samples.length; start += 160) {
      if (dbfs(rms(samples.subarray(start, start + 160))) > -40) voiced++;
    }
    expect((voiced * 20) / (durationMs - PADDING_MS)).toBeGreaterThan(0.5);
    // Roughly 40 to 110 ms per character of text at 160 words per minute.
    const msPerCharacter = (durationMs - PADDING_MS) / PROMPT_TEXTS[name].length;
    expect(msPerCharacter).toBeGreaterThan(40);
    expect(msPerCharacter).toBeLessThan(110);
    // Starts and ends in silence, so cutting or chaining prompts does not click.
    expect(peak(samples.subarray(0, 400))).toBeLessThan(33);
    expect(peak(samples.subarray(samples.length - 1600))).toBeLessThan(33);
  });

  it('hold-music.wav is exactly one loop of the synthesized hold music', async () => {
    const { samples, durationMs } = await readWav(promptPath('hold-music'));
    expect(durationMs).toBeGreaterThanOrEqual(15_000);
    expect(durationMs).toBeLessThanOrEqual(30_000);
    expect(samples).toEqual(synthesizeHoldMusic({ sampleRate: 8000 }));
  });

  it('keeps the committed audio small (under 1.2 MB in all)', async () => {
    const sizes = await Promise.all(PROMPTS.map(async (name) => (await stat(promptPath(name))).size));
    expect(sizes.reduce((a, b) => a + b, 0)).toBeLessThan(1_200_000);
  });
});

/**
 * The committed fixtures, each read for the outcome its name states. The
 * sox-made ones come from an independent encoder (make-sox-fixtures.sh).
 */
import { readdirSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { alawToLinear, mulawToLinear } from '../../src/dsp/g711.ts';
import { WavParseError, type WavProblem } from '../../src/wav/wav-errors.ts';
import { readWav, type WavInfo } from '../../src/wav/wav-reader.ts';

export const FIXTURE_DIR = join(import.meta.dirname, '..', 'fixtures', 'wav');
const path = (name: string) => join(FIXTURE_DIR, name);

type Expectation =
  | { decodes: Partial<WavInfo>; warning?: RegExp }
  | { rejected: WavProblem; words: RegExp };

const FIXTURES: Record<string, Expectation> = {
  'sox-alaw-8k-digits-159-decodes.wav': { decodes: { encoding: 'alaw', sampleRate: 8000, channels: 1, bitsPerSample: 8, sampleCount: 5200 } },
  'sox-mulaw-8k-digits-3A-decodes.wav': { decodes: { encoding: 'mulaw', sampleRate: 8000, channels: 1, bitsPerSample: 8, sampleCount: 3600 } },
  'sox-pcm24-extensible-stereo-16k-digits-47-and-9-decodes.wav': { decodes: { encoding: 'pcm', sampleRate: 16000, channels: 2, bitsPerSample: 24, sampleCount: 7200 } },
  'sox-float32-11025-digits-0D-decodes.wav': { decodes: { encoding: 'float', sampleRate: 11025, channels: 1, bitsPerSample: 32, sampleCount: 4961 } },
  'sox-pcm8-8k-digits-2-decodes.wav': { decodes: { encoding: 'pcm', sampleRate: 8000, channels: 1, bitsPerSample: 8, sampleCount: 2000 } },
  'sox-16-keys-0dbm0-decodes.wav': { decodes: { encoding: 'pcm', sampleRate: 8000, channels: 1, bitsPerSample: 16, sampleCount: 13200 } },
  'sox-16-keys-minus-10dbm0-decodes.wav': { decodes: { encoding: 'pcm', sampleRate: 8000, channels: 1, bitsPerSample: 16, sampleCount: 13200 } },
  'sox-16-keys-minus-25dbm0-decodes.wav': { decodes: { encoding: 'pcm', sampleRate: 8000, channels: 1, bitsPerSample: 16, sampleCount: 13200 } },
  'sox-mulaw-all-codes-decodes.wav': { decodes: { encoding: 'mulaw', sampleCount: 256 } },
  'sox-mulaw-all-codes-as-pcm16.wav': { decodes: { encoding: 'pcm', bitsPerSample: 16, sampleCount: 256 } },
  'sox-alaw-all-codes-decodes.wav': { decodes: { encoding: 'alaw', sampleCount: 256 } },
  'sox-alaw-all-codes-as-pcm16.wav': { decodes: { encoding: 'pcm', bitsPerSample: 16, sampleCount: 256 } },
  'junk-before-fmt-digits-42-decodes.wav': { decodes: { encoding: 'pcm', sampleRate: 8000, sampleCount: 2960 } },
  'truncated-data-digits-78-warns.wav': { decodes: { sampleCount: 2240 }, warning: /declares 5920 bytes but the file holds only 4480/ },
  'empty-data-no-audio.wav': { decodes: { sampleCount: 0 }, warning: /^no audio/ },
  'truncated-in-fmt-rejected.wav': { rejected: 'truncated-header', words: /ends inside the fmt chunk \(9 of 16 bytes/ },
  'mp3-format-tag-rejected.wav': { rejected: 'unsupported-encoding', words: /MPEG Layer 3/ },
  'no-data-chunk-rejected.wav': { rejected: 'missing-data', words: /no data chunk/ },
  'not-riff-rejected.wav': { rejected: 'not-riff', words: /not a WAV file/ },
};

describe('WAV fixtures', () => {
  it('lists every fixture file in the directory', () => {
    const files = readdirSync(FIXTURE_DIR).filter((name) => name.endsWith('.wav')).sort();
    expect(files).toEqual(Object.keys(FIXTURES).sort());
  });

  for (const [name, expectation] of Object.entries(FIXTURES)) {
    if ('decodes' in expectation) {
      it(`reads ${name}`, async () => {
        const audio = await readWav(path(name));
        expect(audio).toMatchObject(expectation.decodes);
        if (expectation.warning) expect(audio.warnings[0]).toMatch(expectation.warning);
        else expect(audio.warnings).toEqual([]);
      });
    } else {
      it(`rejects ${name}`, async () => {
        const error = await readWav(path(name)).catch((e: unknown) => e);
        expect(error).toBeInstanceOf(WavParseError);
        expect(error).toMatchObject({ code: 'E_WAV_FORMAT', reason: expectation.rejected });
        expect((error as Error).message.startsWith(`${path(name)}: `)).toBe(true);
        expect((error as Error).message).toMatch(expectation.words);
      });
    }
  }

  for (const [law, expand] of [['mulaw', mulawToLinear], ['alaw', alawToLinear]] as const) {
    it(`expands all 256 ${law} code words exactly as sox does`, async () => {
      const ours = await readWav(path(`sox-${law}-all-codes-decodes.wav`));
      const sox = await readWav(path(`sox-${law}-all-codes-as-pcm16.wav`));
      expect(ours.samples).toEqual(sox.samples);
      // The file holds codes 0..255 in order, so this is the whole table.
      expect(Array.from(ours.samples)).toEqual(Array.from({ length: 256 }, (_, code) => expand(code)));
    });
  }

  it('reads different audio from the two channels of the sox stereo file', async () => {
    const file = path('sox-pcm24-extensible-stereo-16k-digits-47-and-9-decodes.wav');
    const left = await readWav(file, { channel: 1 });
    const right = await readWav(file, { channel: 2 });
    // The right channel's single key ends at 250 ms; the left has a second key at 250-350 ms.
    const energy = (s: Int16Array, fromMs: number, toMs: number) =>
      s.subarray((fromMs * 16), (toMs * 16)).reduce((sum, v) => sum + v * v, 0);
    expect(energy(left.samples, 260, 340)).toBeGreaterThan(1e9);
    expect(energy(right.samples, 260, 340)).toBe(0);
    expect(energy(right.samples, 60, 140)).toBeGreaterThan(1e9);
  });
});

import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { linearToAlaw, linearToMulaw } from '../../src/dsp/g711.ts';
import { AudioParameterError } from '../../src/errors.ts';
import { decodeWav, readWav } from '../../src/wav/wav-reader.ts';
import { writeWav } from '../../src/wav/wav-writer.ts';
import {
  ascii, chunk, concat, fmtBody, frameBytes, pcm16Wav, riff, subFormatGuid, TAG, u32, wav,
} from './riff-builder.ts';

const mono = (values: number[]) => values.map((v) => [v]);

describe('readWav formats', () => {
  it('reads 16-bit PCM sample for sample', async () => {
    const audio = await decodeWav(pcm16Wav([0, 1, -1, 32767, -32768, 1234]));
    expect(Array.from(audio.samples)).toEqual([0, 1, -1, 32767, -32768, 1234]);
    expect(audio).toMatchObject({ sampleRate: 8000, channels: 1, encoding: 'pcm', bitsPerSample: 16, channel: 1, sampleCount: 6 });
    expect(audio.durationMs).toBe(0.75);
    expect(audio.warnings).toEqual([]);
  });

  it('re-centres 8-bit unsigned PCM on zero', async () => {
    const bytes = wav({ tag: TAG.PCM, channels: 1, sampleRate: 8000, bitsPerSample: 8 }, frameBytes(mono([128, 0, 255, 129]), 'u8'));
    const audio = await decodeWav(bytes);
    expect(Array.from(audio.samples)).toEqual([0, -32768, 32512, 256]);
    expect(audio.bitsPerSample).toBe(8);
  });

  it('rounds 24-bit PCM to its top 16 bits', async () => {
    const values = [0, 0x7fffff, -0x800000, 0x000080, 0x00007f, -0x000081, 0x123456, 0x7fff80];
    const bytes = wav({ tag: TAG.PCM, channels: 1, sampleRate: 16000, bitsPerSample: 24 }, frameBytes(mono(values), 's24'));
    const audio = await decodeWav(bytes);
    expect(Array.from(audio.samples)).toEqual([0, 32767, -32768, 1, 0, -1, 0x1234, 32767]);
    expect(audio.bitsPerSample).toBe(24);
  });

  it('rounds 32-bit PCM to its top 16 bits', async () => {
    const values = [0, 0x7fffffff, -0x80000000, 0x8000, 0x7fff, 0x12345678, 0x1234c000, -0x10000];
    const bytes = wav({ tag: TAG.PCM, channels: 1, sampleRate: 48000, bitsPerSample: 32 }, frameBytes(mono(values), 's32'));
    const audio = await decodeWav(bytes);
    expect(Array.from(audio.samples)).toEqual([0, 32767, -32768, 1, 0, 0x1234, 0x1235, -1]);
  });

  it('scales 32-bit float by 32768 and clips it', async () => {
    const values = [0, 0.5, -0.5, 1, -1, 1.5, -3, 0.25 / 32768, Number.NaN];
    const bytes = wav({ tag: TAG.FLOAT, channels: 1, sampleRate: 22050, bitsPerSample: 32 }, frameBytes(mono(values), 'f32'));
    const audio = await decodeWav(bytes);
    expect(Array.from(audio.samples)).toEqual([0, 16384, -16384, 32767, -32768, 32767, -32768, 0, 0]);
    expect(audio.encoding).toBe('float');
  });

  it('reads 64-bit float', async () => {
    const bytes = wav({ tag: TAG.FLOAT, channels: 1, sampleRate: 8000, bitsPerSample: 64 }, frameBytes(mono([0.1, -0.999]), 'f64'));
    const audio = await decodeWav(bytes);
    expect(Array.from(audio.samples)).toEqual([Math.round(0.1 * 32768), Math.round(-0.999 * 32768)]);
    expect(audio.bitsPerSample).toBe(64);
  });

  it('expands µ-law (tag 7) and A-law (tag 6)', async () => {
    const linear = [0, 1000, -1000, 30000, -30000];
    const mu = wav({ tag: TAG.MULAW, channels: 1, sampleRate: 8000, bitsPerSample: 8, cbSize: true }, Uint8Array.from(linear, linearToMulaw));
    const a = wav({ tag: TAG.ALAW, channels: 1, sampleRate: 8000, bitsPerSample: 8, cbSize: true }, Uint8Array.from(linear, linearToAlaw));
    const muAudio = await decodeWav(mu);
    const aAudio = await decodeWav(a);
    expect(muAudio.encoding).toBe('mulaw');
    expect(aAudio.encoding).toBe('alaw');
    // Quantisation error stays within half the step of the segment (1024 at the top).
    muAudio.samples.forEach((s, i) => expect(Math.abs(s - linear[i]!)).toBeLessThanOrEqual(512));
    aAudio.samples.forEach((s, i) => expect(Math.abs(s - linear[i]!)).toBeLessThanOrEqual(512));
    expect(muAudio.samples[0]).toBe(0);
    expect(aAudio.samples[0]).toBe(8);
  });

  it('accepts G.711 whose header claims 16 bits per sample but packs one byte per sample', async () => {
    const bytes = wav({ tag: TAG.MULAW, channels: 1, sampleRate: 8000, bitsPerSample: 16, blockAlign: 1 }, Uint8Array.of(0xff, 0x80));
    const audio = await decodeWav(bytes);
    expect(Array.from(audio.samples)).toEqual([0, 32124]);
    expect(audio.bitsPerSample).toBe(8);
  });

  it('lets the WAVE_FORMAT_EXTENSIBLE sub-format decide the encoding', async () => {
    const cases = [
      { subFormat: TAG.PCM, bits: 16, kind: 's16' as const, raw: [1000, -2000], expected: [1000, -2000], encoding: 'pcm' },
      { subFormat: TAG.PCM, bits: 24, kind: 's24' as const, raw: [0x123400, -0x100], expected: [0x1234, -1], encoding: 'pcm' },
      { subFormat: TAG.FLOAT, bits: 32, kind: 'f32' as const, raw: [0.5, -0.25], expected: [16384, -8192], encoding: 'float' },
      { subFormat: TAG.MULAW, bits: 8, kind: 'g711' as const, raw: [0xff, 0x00], expected: [0, -32124], encoding: 'mulaw' },
      { subFormat: TAG.ALAW, bits: 8, kind: 'g711' as const, raw: [0xd5, 0x55], expected: [8, -8], encoding: 'alaw' },
    ];
    for (const c of cases) {
      const bytes = wav(
        { tag: TAG.EXTENSIBLE, channels: 1, sampleRate: 16000, bitsPerSample: c.bits, subFormat: c.subFormat },
        frameBytes(mono(c.raw), c.kind),
      );
      const audio = await decodeWav(bytes);
      expect(Array.from(audio.samples), `sub-format ${c.subFormat}/${c.bits}`).toEqual(c.expected);
      expect(audio.encoding).toBe(c.encoding);
    }
  });

  it('reads 24 valid bits in a 32-bit EXTENSIBLE container', async () => {
    const bytes = wav(
      { tag: TAG.EXTENSIBLE, channels: 1, sampleRate: 8000, bitsPerSample: 32, validBits: 24, subFormat: TAG.PCM },
      frameBytes(mono([0x12348000, -0x00010000]), 's32'),
    );
    expect(Array.from((await decodeWav(bytes)).samples)).toEqual([0x1235, -1]);
  });

  it('picks the requested channel of interleaved audio', async () => {
    const frames = [[1, 2, 3], [10, 20, 30], [100, 200, 300]];
    const bytes = wav({ tag: TAG.PCM, channels: 3, sampleRate: 8000, bitsPerSample: 16 }, frameBytes(frames, 's16'));
    expect(Array.from((await decodeWav(bytes)).samples)).toEqual([1, 10, 100]);
    expect(Array.from((await decodeWav(bytes, { channel: 2 })).samples)).toEqual([2, 20, 200]);
    const third = await decodeWav(bytes, { channel: 3 });
    expect(Array.from(third.samples)).toEqual([3, 30, 300]);
    expect(third).toMatchObject({ channels: 3, channel: 3 });
  });

  it('picks a channel of stereo 24-bit and float audio', async () => {
    const pcm24 = wav({ tag: TAG.PCM, channels: 2, sampleRate: 8000, bitsPerSample: 24 }, frameBytes([[0x010000, 0x020000], [0x030000, 0x040000]], 's24'));
    expect(Array.from((await decodeWav(pcm24, { channel: 2 })).samples)).toEqual([0x200, 0x400]);
    const float = wav({ tag: TAG.FLOAT, channels: 2, sampleRate: 8000, bitsPerSample: 32 }, frameBytes([[0.5, -0.5], [0.25, -0.25]], 'f32'));
    expect(Array.from((await decodeWav(float, { channel: 2 })).samples)).toEqual([-16384, -8192]);
  });

  it('rejects a channel the file does not have, naming the file', async () => {
    const bytes = pcm16Wav([1, 2]);
    const error = await decodeWav(bytes, { channel: 2, name: 'calls/mono.wav' }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(AudioParameterError);
    expect(error).toMatchObject({ code: 'E_AUDIO_PARAMETER' });
    expect((error as Error).message).toBe('calls/mono.wav: channel 2 requested but the file has 1 channel');
    await expect(decodeWav(bytes, { channel: 0 })).rejects.toBeInstanceOf(AudioParameterError);
  });

  it('accepts every whole rate from 8000 to 48000 Hz', async () => {
    for (const rate of [8000, 11025, 12345, 16000, 22050, 44100, 48000]) {
      expect((await decodeWav(pcm16Wav([5], rate))).sampleRate).toBe(rate);
    }
  });
});

describe('readWav chunk walking', () => {
  const fmt16 = { tag: TAG.PCM, channels: 1, sampleRate: 8000, bitsPerSample: 16 };
  const data = frameBytes(mono([7, -7, 700]), 's16');

  it('skips LIST, JUNK, bext and fact chunks before and after fmt', async () => {
    const bytes = wav(fmt16, data, {
      before: [chunk('JUNK', new Uint8Array(28)), chunk('bext', new Uint8Array(602))],
      between: [chunk('LIST', concat(ascii('INFOINAM'), u32(6), ascii('hello\0'))), chunk('fact', u32(3))],
      after: [chunk('LIST', concat(ascii('INFOICMT'), u32(4), ascii('bye\0')))],
    });
    const audio = await decodeWav(bytes);
    expect(Array.from(audio.samples)).toEqual([7, -7, 700]);
    expect(audio.warnings).toEqual([]);
  });

  it('steps over the pad byte after an odd-sized chunk', async () => {
    const bytes = wav(fmt16, data, { before: [chunk('odd ', Uint8Array.of(1, 2, 3))], between: [chunk('ID3 ', new Uint8Array(5))] });
    expect(Array.from((await decodeWav(bytes)).samples)).toEqual([7, -7, 700]);
  });

  it('follows an odd-sized chunk whose writer left out the pad byte', async () => {
    const bytes = wav(fmt16, data, { before: [chunk('odd ', Uint8Array.of(1, 2, 3), { pad: false })] });
    expect(Array.from((await decodeWav(bytes)).samples)).toEqual([7, -7, 700]);
  });

  it('finds fmt after data', async () => {
    const bytes = riff([chunk('data', data), chunk('fmt ', fmtBody(fmt16))]);
    expect(Array.from((await decodeWav(bytes)).samples)).toEqual([7, -7, 700]);
  });

  it('decodes a G.711 header with cbSize and a fact chunk, as telephony writers produce', async () => {
    const bytes = riff([
      chunk('fmt ', fmtBody({ tag: TAG.MULAW, channels: 1, sampleRate: 8000, bitsPerSample: 8, cbSize: true })),
      chunk('fact', u32(3)),
      chunk('data', Uint8Array.of(0xff, 0x80, 0x00)),
    ]);
    expect(Array.from((await decodeWav(bytes)).samples)).toEqual([0, 32124, -32124]);
  });

  it('ignores the subFormat GUID fields it does not need, such as the channel mask', async () => {
    const body = fmtBody({ tag: TAG.EXTENSIBLE, channels: 2, sampleRate: 8000, bitsPerSample: 16, subFormat: subFormatGuid(TAG.PCM) });
    body.set(u32(0x12345678), 20);
    const bytes = riff([chunk('fmt ', body), chunk('data', frameBytes([[1, 2]], 's16'))]);
    expect(Array.from((await decodeWav(bytes, { channel: 2 })).samples)).toEqual([2]);
  });
});

describe('readWav on files', () => {
  let dir: string;
  beforeAll(async () => {
    dir = await mkdtemp(join(tmpdir(), 'dialin-wav-'));
  });
  afterAll(async () => {
    await rm(dir, { recursive: true, force: true });
  });

  it('reads a file from disk, with chunk headers beyond the first 64 KiB window', async () => {
    const path = join(dir, 'big-junk.wav');
    const bytes = wav({ tag: TAG.PCM, channels: 1, sampleRate: 8000, bitsPerSample: 16 }, frameBytes(mono([1, 2, 3]), 's16'), {
      before: [chunk('JUNK', new Uint8Array(100_001)), chunk('LIST', new Uint8Array(70_000))],
    });
    await writeFile(path, bytes);
    const audio = await readWav(path);
    expect(Array.from(audio.samples)).toEqual([1, 2, 3]);
  });

  it('reads a long file identically from disk and from memory', async () => {
    const samples = Int16Array.from({ length: 200_000 }, (_, i) => ((i * 7919) % 65536) - 32768);
    const bytes = writeWav({ sampleRate: 16000, samples });
    const path = join(dir, 'long.wav');
    await writeFile(path, bytes);
    const fromDisk = await readWav(path);
    // Compared as bytes: element-wise deep equality is slow on 200 000 samples.
    const asBytes = (a: Int16Array) => Buffer.from(a.buffer, a.byteOffset, a.byteLength);
    expect(asBytes(fromDisk.samples).equals(asBytes(samples))).toBe(true);
    expect(asBytes((await decodeWav(bytes)).samples).equals(asBytes(samples))).toBe(true);
    expect(fromDisk.durationMs).toBe(12_500);
  });
});

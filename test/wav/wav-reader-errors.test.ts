import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { WavFormatError } from '../../src/errors.ts';
import { AudioFileError, WavParseError, type WavProblem } from '../../src/wav/wav-errors.ts';
import { decodeWav, readWav } from '../../src/wav/wav-reader.ts';
import { ascii, chunk, concat, fmtBody, frameBytes, riff, subFormatGuid, TAG, u16, u32, wav } from './riff-builder.ts';

const NAME = 'calls/broken.wav';
const fmt16 = { tag: TAG.PCM, channels: 1, sampleRate: 8000, bitsPerSample: 16 };
const samples = (values: number[]) => frameBytes(values.map((v) => [v]), 's16');

async function rejection(bytes: Uint8Array): Promise<WavParseError> {
  const error = await decodeWav(bytes, { name: NAME }).catch((e: unknown) => e);
  if (!(error instanceof WavParseError)) throw new Error(`expected a WavParseError, got ${String(error)}`);
  return error;
}

async function expectRejected(bytes: Uint8Array, reason: WavProblem, words: RegExp): Promise<void> {
  const error = await rejection(bytes);
  expect(error).toBeInstanceOf(WavFormatError);
  expect(error.code).toBe('E_WAV_FORMAT');
  expect(error.reason).toBe(reason);
  expect(error.message.startsWith(`${NAME}: `)).toBe(true);
  expect(error.message).not.toContain('\n');
  expect(error.message).toMatch(words);
}

describe('readWav rejects what is not a usable WAV file', () => {
  it('rejects an empty file', () => expectRejected(new Uint8Array(0), 'empty-file', /empty file/));

  it('rejects a file that is not RIFF', async () => {
    await expectRejected(ascii('ID3\x04 this is an mp3'), 'not-riff', /not a WAV file/);
    await expectRejected(ascii('R'), 'not-riff', /no RIFF header/);
  });

  it('names big-endian RIFX and 64-bit RF64 as unsupported containers', async () => {
    await expectRejected(riff([], { magic: 'RIFX' }), 'unsupported-container', /big-endian RIFX/);
    await expectRejected(riff([], { magic: 'RF64' }), 'unsupported-container', /RF64/);
  });

  it('rejects a RIFF file that is not WAVE', () => expectRejected(riff([], { form: 'AVI ' }), 'not-wave', /form 'AVI ', not WAVE/));

  it('rejects a RIFF header cut short', () => expectRejected(concat(ascii('RIFF'), u16(4)), 'truncated-header', /truncated RIFF header/));

  it('rejects a file without fmt, listing the chunks it has', () =>
    expectRejected(riff([chunk('LIST', new Uint8Array(4)), chunk('data', samples([1]))]), 'missing-fmt', /no fmt chunk, so the audio format is unknown \(chunks: 'LIST', 'data'\)/));

  it('rejects a file without data', () =>
    expectRejected(riff([chunk('fmt ', fmtBody(fmt16)), chunk('LIST', new Uint8Array(4))]), 'missing-data', /no data chunk/));

  it('rejects a header truncated inside fmt', async () => {
    const whole = wav(fmt16, samples([1, 2]));
    await expectRejected(whole.subarray(0, 12 + 8 + 7), 'truncated-header', /ends inside the fmt chunk \(7 of 16 bytes/);
  });

  it('rejects an EXTENSIBLE header truncated inside fmt', async () => {
    const whole = wav({ tag: TAG.EXTENSIBLE, channels: 1, sampleRate: 8000, bitsPerSample: 16 }, samples([1]));
    await expectRejected(whole.subarray(0, 12 + 8 + 30), 'truncated-header', /ends inside the fmt chunk/);
  });

  it('names an unsupported format tag', async () => {
    const mp3 = wav({ tag: 0x0055, channels: 1, sampleRate: 8000, bitsPerSample: 0, blockAlign: 1 }, new Uint8Array(4));
    await expectRejected(mp3, 'unsupported-encoding', /format tag 0x0055 \(MPEG Layer 3 \(MP3\)\)/);
    const adpcm = wav({ tag: 0x0002, channels: 1, sampleRate: 8000, bitsPerSample: 4, blockAlign: 256 }, new Uint8Array(4));
    await expectRejected(adpcm, 'unsupported-encoding', /0x0002 \(Microsoft ADPCM\)/);
    const unknown = wav({ tag: 0x1234, channels: 1, sampleRate: 8000, bitsPerSample: 16 }, new Uint8Array(4));
    await expectRejected(unknown, 'unsupported-encoding', /format tag 0x1234;/);
  });

  it('names an unsupported EXTENSIBLE sub-format', async () => {
    const gsm = wav({ tag: TAG.EXTENSIBLE, channels: 1, sampleRate: 8000, bitsPerSample: 16, subFormat: 0x0031 }, samples([1]));
    await expectRejected(gsm, 'unsupported-encoding', /0x0031 \(GSM 6\.10\) \(WAVE_FORMAT_EXTENSIBLE sub-format\)/);
    const foreign = subFormatGuid(TAG.PCM);
    foreign[15] = 0x00;
    const other = wav({ tag: TAG.EXTENSIBLE, channels: 1, sampleRate: 8000, bitsPerSample: 16, subFormat: foreign }, samples([1]));
    await expectRejected(other, 'unsupported-encoding', /sub-format \{00000001-0000-0010-8000-00AA00389B00\}/);
  });

  it('rejects bit depths it cannot convert', async () => {
    await expectRejected(wav({ tag: TAG.PCM, channels: 1, sampleRate: 8000, bitsPerSample: 12, blockAlign: 2 }, samples([1])), 'unsupported-encoding', /12-bit integer PCM/);
    await expectRejected(wav({ tag: TAG.FLOAT, channels: 1, sampleRate: 8000, bitsPerSample: 16 }, samples([1])), 'unsupported-encoding', /16-bit float/);
  });

  it('rejects sample rates outside 8-48 kHz', async () => {
    await expectRejected(wav({ ...fmt16, sampleRate: 96000 }, samples([1])), 'unsupported-rate', /96000 Hz is outside the supported 8000-48000 Hz/);
    await expectRejected(wav({ ...fmt16, sampleRate: 4000 }, samples([1])), 'unsupported-rate', /4000 Hz/);
    await expectRejected(wav({ ...fmt16, sampleRate: 0 }, samples([1])), 'unsupported-rate', /0 Hz/);
  });

  it('rejects inconsistent fmt fields', async () => {
    await expectRejected(wav({ ...fmt16, channels: 0, blockAlign: 2 }, samples([1])), 'bad-fmt', /0 channels/);
    await expectRejected(wav({ ...fmt16, blockAlign: 3 }, samples([1])), 'bad-fmt', /block align 3 does not match 1 channel\(s\) of 2 byte\(s\)/);
    await expectRejected(riff([chunk('fmt ', fmtBody(fmt16).subarray(0, 14)), chunk('data', samples([1]))]), 'bad-fmt', /fmt chunk is 14 bytes/);
    const shortExtensible = concat(fmtBody({ ...fmt16, tag: TAG.EXTENSIBLE }).subarray(0, 16), u16(0));
    await expectRejected(riff([chunk('fmt ', shortExtensible), chunk('data', samples([1]))]), 'bad-fmt', /EXTENSIBLE fmt chunk is 18 bytes/);
  });

  it('rejects a chunk claiming 4 GB before fmt quickly, without allocating it', async () => {
    const bytes = riff([chunk('LIST', new Uint8Array(8), { declaredSize: 0xffffffff }), chunk('fmt ', fmtBody(fmt16)), chunk('data', samples([1]))]);
    const started = performance.now();
    await expectRejected(bytes, 'missing-fmt', /'LIST' chunk at byte 12 declares 4294967295 bytes, past the end/);
    expect(performance.now() - started).toBeLessThan(1000);
  });

  it('rejects bytes that are not chunk headers where the chunks should start', () =>
    expectRejected(concat(riff([]), Uint8Array.of(0, 1, 2, 3, 4, 5, 6, 7, 8, 9)), 'missing-fmt', /bytes at offset 12 are not a chunk header/));

  it('gives up on thousands of empty chunks instead of walking them forever', async () => {
    const empties = Array.from({ length: 5000 }, () => chunk('JUNK', new Uint8Array(0)));
    await expectRejected(riff([...empties, chunk('fmt ', fmtBody(fmt16)), chunk('data', samples([1]))]), 'too-many-chunks', /more than 4096 RIFF chunks/);
  });
});

describe('readWav decodes damaged audio it can still use', () => {
  it('decodes a data chunk cut short, with a warning', async () => {
    const whole = wav(fmt16, samples([1, 2, 3, 4, 5]));
    const audio = await decodeWav(whole.subarray(0, whole.length - 4), { name: NAME });
    expect(Array.from(audio.samples)).toEqual([1, 2, 3]);
    expect(audio.warnings).toEqual(['data chunk declares 10 bytes but the file holds only 6 (truncated); decoding what is present']);
  });

  it('drops the half frame at the end of a truncated file, saying so', async () => {
    const whole = wav(fmt16, samples([1, 2, 3]));
    const audio = await decodeWav(whole.subarray(0, whole.length - 1));
    expect(Array.from(audio.samples)).toEqual([1, 2]);
    expect(audio.warnings).toHaveLength(2);
    expect(audio.warnings[1]).toMatch(/1 byte\(s\) of a partial 2-byte frame/);
  });

  it('treats a data size of 0xFFFFFFFF as running to the end of the file', async () => {
    const bytes = riff([chunk('fmt ', fmtBody(fmt16)), chunk('data', samples([9, 8, 7]), { declaredSize: 0xffffffff })]);
    const audio = await decodeWav(bytes);
    expect(Array.from(audio.samples)).toEqual([9, 8, 7]);
    expect(audio.warnings[0]).toMatch(/declares 4294967295 bytes but the file holds only 6/);
  });

  it('reads only the declared data when more bytes follow it', async () => {
    const bytes = riff([chunk('fmt ', fmtBody(fmt16)), chunk('data', samples([1, 2, 3]), { declaredSize: 4 })]);
    const audio = await decodeWav(bytes);
    expect(Array.from(audio.samples)).toEqual([1, 2]);
  });

  it('warns when the RIFF size is larger than the file but still decodes everything', async () => {
    const bytes = riff([chunk('fmt ', fmtBody(fmt16)), chunk('data', samples([1, 2]))], { declaredSize: 1000 });
    const audio = await decodeWav(bytes);
    expect(Array.from(audio.samples)).toEqual([1, 2]);
    expect(audio.warnings).toEqual([`RIFF header declares 1008 bytes but the file has ${bytes.length}`]);
  });

  it('warns when the RIFF size ends before the data does', async () => {
    const bytes = riff([chunk('fmt ', fmtBody(fmt16)), chunk('data', samples([1, 2]))], { declaredSize: 20 });
    const audio = await decodeWav(bytes);
    expect(Array.from(audio.samples)).toEqual([1, 2]);
    expect(audio.warnings[0]).toMatch(/RIFF header declares 28 bytes/);
  });

  it('accepts the streaming placeholders RIFF size 0 and data size 0 followed by audio', async () => {
    const bytes = riff([chunk('fmt ', fmtBody(fmt16)), chunk('data', samples([-5, 5, 1]), { declaredSize: 0 })], { declaredSize: 0 });
    const audio = await decodeWav(bytes);
    expect(Array.from(audio.samples)).toEqual([-5, 5, 1]);
    expect(audio.warnings).toEqual(['data chunk declares 0 bytes but audio follows; reading 6 bytes to the end of the file']);
  });

  it('returns no samples and a "no audio" warning for an empty data chunk', async () => {
    const bytes = riff([chunk('fmt ', fmtBody(fmt16)), chunk('data', new Uint8Array(0)), chunk('LIST', new Uint8Array(4))]);
    const audio = await decodeWav(bytes);
    expect(audio.samples).toHaveLength(0);
    expect(audio.durationMs).toBe(0);
    expect(audio.warnings).toEqual(['no audio: the data chunk is empty']);
  });
});

describe('readWav file errors', () => {
  let dir: string;
  beforeAll(async () => {
    dir = await mkdtemp(join(tmpdir(), 'dialin-wav-errors-'));
  });
  afterAll(async () => {
    await rm(dir, { recursive: true, force: true });
  });

  it('says a missing file does not exist', async () => {
    const path = join(dir, 'nope.wav');
    const error = await readWav(path).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(AudioFileError);
    expect(error).toMatchObject({ code: 'E_AUDIO_FILE', systemCode: 'ENOENT', message: `${path}: no such file` });
  });

  it('says a directory is not a WAV file', async () => {
    const path = join(dir, 'calls.wav');
    await mkdir(path);
    const error = await readWav(path).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(AudioFileError);
    expect(error).toMatchObject({ code: 'E_AUDIO_FILE', message: `${path}: is a directory, not a WAV file` });
  });

  it('names the file in format errors read from disk', async () => {
    const path = join(dir, 'text.wav');
    await writeFile(path, 'hello');
    await expect(readWav(path)).rejects.toMatchObject({ code: 'E_WAV_FORMAT', message: `${path}: not a WAV file (no RIFF header)` });
  });
});

import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { alawToLinear, encodeAlaw, encodeMulaw, mulawToLinear } from '../../src/dsp/g711.ts';
import { synthesizeDtmf } from '../../src/dsp/dtmf-generator.ts';
import { AudioParameterError } from '../../src/errors.ts';
import { AudioFileError } from '../../src/wav/wav-errors.ts';
import { decodeWav } from '../../src/wav/wav-reader.ts';
import { writeWav, writeWavFile } from '../../src/wav/wav-writer.ts';

const tone = synthesizeDtmf('5#', { sampleRate: 8000, onMs: 40, offMs: 10 });

describe('writeWav', () => {
  it('writes 16-bit PCM with the canonical 44-byte header', () => {
    const bytes = writeWav({ sampleRate: 16000, samples: Int16Array.of(1, -2, 300) });
    expect(bytes.length).toBe(44 + 6);
    expect(bytes.toString('ascii', 0, 4)).toBe('RIFF');
    expect(bytes.readUInt32LE(4)).toBe(bytes.length - 8);
    expect(bytes.toString('ascii', 8, 16)).toBe('WAVEfmt ');
    expect(bytes.readUInt32LE(16)).toBe(16);
    expect(bytes.readUInt16LE(20)).toBe(1);
    expect(bytes.readUInt16LE(22)).toBe(1);
    expect(bytes.readUInt32LE(24)).toBe(16000);
    expect(bytes.readUInt32LE(28)).toBe(32000);
    expect(bytes.readUInt16LE(32)).toBe(2);
    expect(bytes.readUInt16LE(34)).toBe(16);
    expect(bytes.toString('ascii', 36, 40)).toBe('data');
    expect(bytes.readUInt32LE(40)).toBe(6);
    expect([bytes.readInt16LE(44), bytes.readInt16LE(46), bytes.readInt16LE(48)]).toEqual([1, -2, 300]);
  });

  it('round-trips PCM through the reader exactly', async () => {
    const audio = await decodeWav(writeWav({ sampleRate: 8000, samples: tone }));
    expect(audio.samples).toEqual(tone);
    expect(audio).toMatchObject({ encoding: 'pcm', bitsPerSample: 16, sampleRate: 8000 });
  });

  for (const [encoding, tag, encode, expand] of [
    ['mulaw', 7, encodeMulaw, mulawToLinear],
    ['alaw', 6, encodeAlaw, alawToLinear],
  ] as const) {
    it(`writes ${encoding} with an 18-byte fmt, a fact chunk and G.711 code words`, async () => {
      const bytes = writeWav({ sampleRate: 8000, encoding, samples: tone });
      expect(bytes.readUInt32LE(16)).toBe(18);
      expect(bytes.readUInt16LE(20)).toBe(tag);
      expect(bytes.readUInt32LE(28)).toBe(8000);
      expect(bytes.readUInt16LE(32)).toBe(1);
      expect(bytes.readUInt16LE(34)).toBe(8);
      expect(bytes.readUInt16LE(36)).toBe(0);
      expect(bytes.toString('ascii', 38, 42)).toBe('fact');
      expect(bytes.readUInt32LE(46)).toBe(tone.length);
      expect(bytes.toString('ascii', 50, 54)).toBe('data');
      expect(bytes.subarray(58, 58 + tone.length)).toEqual(Buffer.from(encode(tone)));
      const audio = await decodeWav(bytes);
      expect(audio.encoding).toBe(encoding);
      expect(Array.from(audio.samples)).toEqual(Array.from(encode(tone), expand));
    });
  }

  it('pads an odd-length G.711 data chunk to an even size', async () => {
    const bytes = writeWav({ sampleRate: 8000, encoding: 'mulaw', samples: Int16Array.of(1, 2, 3) });
    expect(bytes.length % 2).toBe(0);
    expect(bytes.readUInt32LE(54)).toBe(3);
    expect(bytes.readUInt32LE(4)).toBe(bytes.length - 8);
    expect((await decodeWav(bytes)).sampleCount).toBe(3);
  });

  it('interleaves stereo and each channel reads back', async () => {
    const samples = Int16Array.of(100, -100, 200, -200, 300, -300);
    for (const encoding of ['pcm16', 'mulaw', 'alaw'] as const) {
      const bytes = writeWav({ sampleRate: 48000, channels: 2, encoding, samples });
      const left = await decodeWav(bytes, { channel: 1 });
      const right = await decodeWav(bytes, { channel: 2 });
      expect(left.channels).toBe(2);
      expect(left.sampleCount).toBe(3);
      left.samples.forEach((s, i) => expect(Math.abs(s - (i + 1) * 100)).toBeLessThanOrEqual(8));
      right.samples.forEach((s, i) => expect(Math.abs(s + (i + 1) * 100)).toBeLessThanOrEqual(8));
    }
  });

  it('rejects parameters it cannot write', () => {
    const samples = Int16Array.of(1, 2, 3);
    expect(() => writeWav({ sampleRate: 96000, samples })).toThrow(AudioParameterError);
    expect(() => writeWav({ sampleRate: 8000, channels: 0, samples })).toThrow(/channels must be/);
    expect(() => writeWav({ sampleRate: 8000, channels: 2, samples })).toThrow(/3 samples do not divide into 2 channels/);
    expect(() => writeWav({ sampleRate: 8000, encoding: 'mp3' as 'pcm16', samples })).toThrow(/encoding must be one of pcm16, mulaw, alaw/);
  });
});

describe('writeWavFile', () => {
  let dir: string;
  beforeAll(async () => {
    dir = await mkdtemp(join(tmpdir(), 'dialin-wav-writer-'));
  });
  afterAll(async () => {
    await rm(dir, { recursive: true, force: true });
  });

  it('writes the same bytes as writeWav and returns the size', async () => {
    const path = join(dir, 'out.wav');
    const size = await writeWavFile(path, { sampleRate: 8000, encoding: 'alaw', samples: tone });
    const written = await readFile(path);
    expect(written).toEqual(writeWav({ sampleRate: 8000, encoding: 'alaw', samples: tone }));
    expect(size).toBe(written.length);
  });

  it('names the path when it cannot write', async () => {
    const path = join(dir, 'no-such-dir', 'out.wav');
    const error = await writeWavFile(path, { sampleRate: 8000, samples: tone }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(AudioFileError);
    expect(error).toMatchObject({ code: 'E_AUDIO_FILE', message: `${path}: cannot write: the directory does not exist` });
  });
});

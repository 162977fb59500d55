import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openWavSource, wavSourceFromBytes } from '../../src/wav/wav-source.ts';
import { synthesizeDtmf } from '../../src/dsp/dtmf-generator.ts';
import { AudioParameterError } from '../../src/errors.ts';
import { AudioFileError } from '../../src/wav/wav-errors.ts';
import { readWav } from '../../src/wav/wav-reader.ts';
import { writeWav } from '../../src/wav/wav-writer.ts';

async function collect(source: AsyncIterable<Int16Array>): Promise<Int16Array[]> {
  const chunks: Int16Array[] = [];
  for await (const chunk of source) chunks.push(chunk);
  return chunks;
}

function joined(chunks: Int16Array[]): Int16Array {
  const out = new Int16Array(chunks.reduce((sum, c) => sum + c.length, 0));
  let at = 0;
  for (const chunk of chunks) {
    out.set(chunk, at);
    at += chunk.length;
  }
  return out;
}

describe('WAV audio source', () => {
  let dir: string;
  const stereo = new Int16Array(2 * 1000);
  stereo.forEach((_, i) => (stereo[i] = i % 2 === 0 ? i : -i));
  const mono = synthesizeDtmf('123', { sampleRate: 8000 });

  beforeAll(async () => {
    dir = await mkdtemp(join(tmpdir(), 'dialin-wav-source-'));
    await writeFile(join(dir, 'mono.wav'), writeWav({ sampleRate: 8000, samples: mono }));
    await writeFile(join(dir, 'stereo.wav'), writeWav({ sampleRate: 16000, channels: 2, encoding: 'alaw', samples: stereo }));
  });
  afterAll(async () => {
    await rm(dir, { recursive: true, force: true });
  });

  it('yields 20 ms chunks whose concatenation is the whole file', async () => {
    const source = await openWavSource(join(dir, 'mono.wav'));
    expect(source.sampleRate).toBe(8000);
    expect(source.info).toMatchObject({ encoding: 'pcm', sampleCount: mono.length, durationMs: 600 });
    const chunks = await collect(source);
    expect(chunks.map((c) => c.length)).toEqual(Array(30).fill(160));
    expect(joined(chunks)).toEqual(mono);
  });

  it('yields a short last chunk and honours chunkMs', async () => {
    const source = await openWavSource(join(dir, 'mono.wav'), { chunkMs: 35 });
    const lengths = (await collect(source)).map((c) => c.length);
    expect(lengths.slice(0, -1).every((n) => n === 280)).toBe(true);
    expect(lengths.at(-1)).toBe(4800 % 280);
  });

  it('yields the chosen channel, the same samples readWav returns', async () => {
    const path = join(dir, 'stereo.wav');
    const source = await openWavSource(path, { channel: 2 });
    expect(joined(await collect(source))).toEqual((await readWav(path, { channel: 2 })).samples);
  });

  it('stops with the abort reason when its signal aborts', async () => {
    const controller = new AbortController();
    const source = await openWavSource(join(dir, 'mono.wav'), { signal: controller.signal });
    let seen = 0;
    const run = (async () => {
      for await (const _ of source) {
        if (++seen === 3) controller.abort(new Error('caller hung up'));
      }
    })();
    await expect(run).rejects.toThrow('caller hung up');
    expect(seen).toBe(3);
  });

  it('can be left early with break', async () => {
    const source = await openWavSource(join(dir, 'mono.wav'));
    let seen = 0;
    for await (const _ of source) if (++seen === 2) break;
    expect(seen).toBe(2);
    await source.close();
  });

  it('reports file, format and channel problems when opened', async () => {
    await expect(openWavSource(join(dir, 'missing.wav'))).rejects.toBeInstanceOf(AudioFileError);
    await expect(openWavSource(join(dir, 'mono.wav'), { channel: 2 })).rejects.toBeInstanceOf(AudioParameterError);
    await expect(openWavSource(join(dir, 'mono.wav'), { chunkMs: 0 })).rejects.toThrow(/more than 0 ms/);
    await expect(wavSourceFromBytes(Buffer.from('RIFF'), { name: 'x.wav' })).rejects.toMatchObject({ code: 'E_WAV_FORMAT', message: 'x.wav: truncated RIFF header (4 of 12 bytes)' });
  });

  it('reads WAV bytes from memory the same way', async () => {
    const source = await wavSourceFromBytes(writeWav({ sampleRate: 8000, encoding: 'mulaw', samples: mono }));
    const samples = joined(await collect(source));
    expect(samples.length).toBe(mono.length);
    expect(source.info.encoding).toBe('mulaw');
  });
});

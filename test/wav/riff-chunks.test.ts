import { describe, expect, it } from 'vitest';
import { memoryByteSource, readRiffHeader, walkRiffChunks } from '../../src/wav/riff-chunks.ts';
import { ascii, chunk, concat, riff } from './riff-builder.ts';

async function walk(bytes: Uint8Array, until?: (c: { id: string }) => boolean) {
  const source = memoryByteSource(bytes);
  await readRiffHeader(source, 'x.wav');
  return walkRiffChunks(source, 'x.wav', { start: 12, end: bytes.length, until });
}

describe('RIFF chunk walking', () => {
  it('lists each chunk with its offsets and sizes', async () => {
    const bytes = riff([chunk('JUNK', new Uint8Array(4)), chunk('odd ', new Uint8Array(3)), chunk('data', new Uint8Array(2))]);
    const result = await walk(bytes);
    expect(result.stop).toBe('end');
    expect(result.chunks).toEqual([
      { id: 'JUNK', headerOffset: 12, bodyOffset: 20, declaredSize: 4, presentSize: 4 },
      { id: 'odd ', headerOffset: 24, bodyOffset: 32, declaredSize: 3, presentSize: 3 },
      { id: 'data', headerOffset: 36, bodyOffset: 44, declaredSize: 2, presentSize: 2 },
    ]);
  });

  it('records how much of an overrunning chunk is present and stops there', async () => {
    const bytes = riff([chunk('data', new Uint8Array(6), { declaredSize: 0xffffffff })]);
    const result = await walk(bytes);
    expect(result.chunks).toEqual([{ id: 'data', headerOffset: 12, bodyOffset: 20, declaredSize: 0xffffffff, presentSize: 6 }]);
  });

  it('stops at the chunk the caller asks for', async () => {
    const bytes = riff([chunk('fmt ', new Uint8Array(16)), chunk('data', new Uint8Array(2)), chunk('LIST', new Uint8Array(4))]);
    const result = await walk(bytes, (c) => c.id === 'data');
    expect(result.stop).toBe('until');
    expect(result.chunks.map((c) => c.id)).toEqual(['fmt ', 'data']);
  });

  it('stops at bytes that are not a chunk header, and says where', async () => {
    const bytes = concat(riff([chunk('JUNK', new Uint8Array(2))]), Uint8Array.of(0, 0, 0, 1, 4, 0, 0, 0));
    const result = await walk(bytes);
    expect(result).toMatchObject({ stop: 'garbage', garbageOffset: 22 });
    expect(result.chunks.map((c) => c.id)).toEqual(['JUNK']);
  });

  it('recovers from a missing pad byte after an odd chunk', async () => {
    const bytes = riff([chunk('odd ', new Uint8Array(3).fill(0x01), { pad: false }), chunk('data', new Uint8Array(2))]);
    const result = await walk(bytes);
    expect(result.chunks.map((c) => [c.id, c.headerOffset])).toEqual([['odd ', 12], ['data', 23]]);
  });

  it('ignores fewer than 8 trailing bytes', async () => {
    const bytes = concat(riff([chunk('data', new Uint8Array(2))]), ascii('abc'));
    expect((await walk(bytes)).chunks.map((c) => c.id)).toEqual(['data']);
  });
});

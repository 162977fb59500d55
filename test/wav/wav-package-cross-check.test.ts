/**
 * The `wav` package's Reader as an independent second opinion: it agrees
 * with our reader on well-formed files, and shows why the project walks
 * chunks itself (its Reader expects `fmt ` right after the RIFF header).
 */
import { Readable } from 'node:stream';
import { Reader, Writer, type Format } from 'wav';
import { describe, expect, it } from 'vitest';
import { synthesizeDtmf } from '../../src/dsp/dtmf-generator.ts';
import { decodeWav } from '../../src/wav/wav-reader.ts';
import { writeWav } from '../../src/wav/wav-writer.ts';
import { chunk, fmtBody, frameBytes, riff, TAG } from './riff-builder.ts';

interface PackageResult {
  format?: Format;
  data: Buffer;
  error?: Error;
}

function readWithPackage(bytes: Uint8Array): Promise<PackageResult> {
  return new Promise((resolve) => {
    const reader = new Reader();
    const parts: Buffer[] = [];
    let format: Format | undefined;
    reader.on('format', (f: Format) => (format = f));
    reader.on('data', (part: Buffer) => parts.push(part));
    reader.on('end', () => resolve({ format, data: Buffer.concat(parts) }));
    reader.on('error', (error: Error) => resolve({ format, data: Buffer.concat(parts), error }));
    Readable.from([Buffer.from(bytes)]).pipe(reader);
  });
}

function writeWithPackage(samples: Int16Array, sampleRate: number): Promise<Buffer> {
  return new Promise((resolve, reject) => {
    const writer = new Writer({ sampleRate, channels: 1, bitDepth: 16 });
    const parts: Buffer[] = [];
    let header: Buffer | undefined;
    writer.on('header', (h: Buffer) => (header = h));
    writer.on('data', (part: Buffer) => parts.push(part));
    writer.on('error', reject);
    writer.on('end', () => {
      const file = Buffer.concat(parts);
      // The Writer streams a placeholder header and emits the final one at the end.
      header!.copy(file, 0);
      resolve(file);
    });
    writer.end(Buffer.from(samples.buffer, samples.byteOffset, samples.byteLength));
  });
}

describe('the wav package as a cross-check', () => {
  const samples = synthesizeDtmf('19', { sampleRate: 16000, onMs: 30, offMs: 10 });

  it('writes 16-bit PCM byte for byte like the wav package Writer', async () => {
    expect(writeWav({ sampleRate: 16000, samples })).toEqual(await writeWithPackage(samples, 16000));
  });

  it('agrees with the wav package Reader on format and audio of a plain file', async () => {
    const bytes = writeWav({ sampleRate: 16000, samples });
    const theirs = await readWithPackage(bytes);
    expect(theirs.error).toBeUndefined();
    expect(theirs.format).toMatchObject({ audioFormat: 1, channels: 1, sampleRate: 16000, bitDepth: 16 });
    const ours = await decodeWav(bytes);
    expect(Buffer.from(ours.samples.buffer)).toEqual(theirs.data);
  });

  it('reads a file with a chunk before fmt that the wav package Reader cannot', async () => {
    const bytes = riff([
      chunk('JUNK', new Uint8Array(28)),
      chunk('fmt ', fmtBody({ tag: TAG.PCM, channels: 1, sampleRate: 8000, bitsPerSample: 16 })),
      chunk('data', frameBytes([[11], [-22], [33]], 's16')),
    ]);
    const theirs = await readWithPackage(bytes);
    expect(theirs.error?.message).toMatch(/bad "fmt id": expected "fmt ", got "JUNK"/);
    expect(theirs.format).toBeUndefined();
    const ours = await decodeWav(bytes);
    expect(Array.from(ours.samples)).toEqual([11, -22, 33]);
  });
});

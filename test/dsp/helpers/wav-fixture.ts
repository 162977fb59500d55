/**
 * Reads the 16-bit mono PCM of a small WAV fixture, walking the RIFF
 * chunks (independent of the product's WAV reader, so detector tests do
 * not depend on it).
 */
import { readFileSync } from 'node:fs';

export interface Fixture {
  sampleRate: number;
  samples: Int16Array;
}

export function readWavFixture(path: string): Fixture {
  const bytes = readFileSync(path);
  if (bytes.toString('ascii', 0, 4) !== 'RIFF' || bytes.toString('ascii', 8, 12) !== 'WAVE') {
    throw new Error(`${path}: not a RIFF/WAVE file`);
  }
  let sampleRate = 0;
  for (let at = 12; at + 8 <= bytes.length; ) {
    const id = bytes.toString('ascii', at, at + 4);
    const size = bytes.readUInt32LE(at + 4);
    const body = at + 8;
    if (id === 'fmt ') {
      if (bytes.readUInt16LE(body) !== 1 || bytes.readUInt16LE(body + 2) !== 1 || bytes.readUInt16LE(body + 14) !== 16) {
        throw new Error(`${path}: fixture must be 16-bit mono PCM`);
      }
      sampleRate = bytes.readUInt32LE(body + 4);
    } else if (id === 'data') {
      const samples = new Int16Array(size >> 1);
      for (let i = 0; i < samples.length; i++) samples[i] = bytes.readInt16LE(body + 2 * i);
      return { sampleRate, samples };
    }
    at = body + size + (size & 1);
  }
  throw new Error(`${path}: no data chunk`);
}

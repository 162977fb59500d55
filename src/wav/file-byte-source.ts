/**
 * A ByteSource over an open file. Small reads (chunk headers) are served
 * from a 64 KiB window so that walking many small chunks does not cost one
 * system call each; large reads (audio) go straight to the file.
 */
import { open, stat, type FileHandle } from 'node:fs/promises';
import { fileSystemError, AudioFileError } from './wav-errors.ts';
import type { ByteSource } from './riff-chunks.ts';

const WINDOW_BYTES = 64 * 1024;

export interface FileByteSource extends ByteSource {
  close(): Promise<void>;
}

class OpenFile implements FileByteSource {
  readonly size: number;
  readonly #handle: FileHandle;
  readonly #file: string;
  #window: Uint8Array = new Uint8Array(0);
  #windowStart = 0;

  constructor(handle: FileHandle, size: number, file: string) {
    this.#handle = handle;
    this.size = size;
    this.#file = file;
  }

  async read(position: number, length: number): Promise<Uint8Array> {
    const wanted = Math.max(0, Math.min(length, this.size - position));
    if (wanted === 0) return new Uint8Array(0);
    if (wanted > WINDOW_BYTES / 4) return this.#readFile(position, new Uint8Array(wanted));
    const inWindow = position >= this.#windowStart && position + wanted <= this.#windowStart + this.#window.length;
    if (!inWindow) {
      this.#window = await this.#readFile(position, new Uint8Array(Math.min(WINDOW_BYTES, this.size - position)));
      this.#windowStart = position;
    }
    const from = position - this.#windowStart;
    return this.#window.subarray(from, from + wanted);
  }

  /** Fills `into` from `position`, looping over short reads; shorter only at end of file. */
  async #readFile(position: number, into: Uint8Array): Promise<Uint8Array> {
    let filled = 0;
    try {
      while (filled < into.length) {
        const { bytesRead } = await this.#handle.read(into, filled, into.length - filled, position + filled);
        if (bytesRead === 0) break;
        filled += bytesRead;
      }
    } catch (error) {
      throw fileSystemError(this.#file, error, 'read');
    }
    return filled === into.length ? into : into.subarray(0, filled);
  }

  async close(): Promise<void> {
    await this.#handle.close().catch(() => undefined);
  }
}

/** Opens a regular file for random access; errors name the file. */
export async function openFileByteSource(file: string): Promise<FileByteSource> {
  // Checked before opening: opening a FIFO for reading would wait for a writer.
  let stats;
  try {
    stats = await stat(file);
  } catch (error) {
    throw fileSystemError(file, error, 'read');
  }
  if (stats.isDirectory()) throw new AudioFileError(file, 'is a directory, not a WAV file', 'EISDIR');
  if (!stats.isFile()) throw new AudioFileError(file, 'is not a regular file');
  let handle: FileHandle;
  try {
    handle = await open(file, 'r');
  } catch (error) {
    throw fileSystemError(file, error, 'read');
  }
  try {
    return new OpenFile(handle, (await handle.stat()).size, file);
  } catch (error) {
    await handle.close().catch(() => undefined);
    throw fileSystemError(file, error, 'read');
  }
}

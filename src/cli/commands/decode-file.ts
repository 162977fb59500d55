/**
 * Decodes one WAV file to its key presses, for `dialin-sim decode`, in the
 * main thread or in a worker. The outcome is plain data, so a worker can
 * post it back and the command prints every file the same way.
 */
import type { DigitEvent } from '../../dsp/dtmf-keys.ts';
import { createDigitDecoder } from '../../engines/create-digit-decoder.ts';
import type { EngineName } from '../../engines/digit-decoder.ts';
import { isDialinError } from '../../errors.ts';
import { WavParseError } from '../../wav/wav-errors.ts';
import { openWavSource } from '../../wav/wav-source.ts';

/**
 * Audio is read and fed to the decoder in blocks of this length. The
 * decoder's events do not depend on how its input is split (see
 * test/dsp/dtmf-detector-chunking.test.ts); large blocks keep reading and
 * iteration out of a whole-file decode's time.
 */
const BLOCK_MS = 10_000;

export interface DecodeSettings {
  engine: EngineName;
  /** 1-based. */
  channel: number;
}

export type FileOutcome =
  /** Decoded: the warnings (damaged but readable file) and the key presses. */
  | { readonly file: string; readonly warnings: readonly string[]; readonly events: readonly DigitEvent[] }
  /** Could not be decoded; `message` starts with the file name. */
  | { readonly file: string; readonly message: string };

/** Decodes `file`; a file the user can fix becomes an outcome, any other error (a bug) is thrown. */
export async function decodeFile(file: string, { engine, channel }: DecodeSettings): Promise<FileOutcome> {
  try {
    const source = await openWavSource(file, { channel, chunkMs: BLOCK_MS });
    try {
      // "No digits" would read as a verdict on audio that is not there.
      if (source.info.sampleCount === 0) throw new WavParseError(file, 'no-audio', 'no audio: the data chunk is empty');
      const decoder = createDigitDecoder(engine, source.sampleRate);
      const events: DigitEvent[] = [];
      // The next block is asked for before this one is decoded, so reading overlaps decoding.
      const blocks = source[Symbol.asyncIterator]();
      for (let next = blocks.next(), block = await next; !block.done; block = await next) {
        next = blocks.next();
        for (const event of decoder.push(block.value)) events.push(event);
      }
      for (const event of decoder.flush()) events.push(event);
      return { file, warnings: source.info.warnings, events };
    } finally {
      await source.close();
    }
  } catch (error) {
    if (!isDialinError(error)) throw error;
    return { file, message: error.message.startsWith(`${file}: `) ? error.message : `${file}: ${error.message}` };
  }
}

import { availableParallelism } from 'node:os';
import { ENGINE_NAMES, type EngineName } from '../../engines/digit-decoder.ts';
import { UsageError } from '../../errors.ts';
import { numberOption, parseCommandArgs } from '../args.ts';
import type { Command } from '../command.ts';
import { decodeFile, type DecodeSettings, type FileOutcome } from './decode-file.ts';

const usage = `usage: dialin-sim decode [--json] [--engine ENGINE] [--channel N] FILE...

Find the DTMF key presses in WAV files. Prints one line per file:
  calls/organizer.wav: 123456#
  calls/silence.wav: (no digits)

Reads integer PCM (8, 16, 24, 32 bit), float (32, 64 bit), G.711 µ-law and
A-law, and WAVE_FORMAT_EXTENSIBLE, at 8000 to 48000 Hz, any channel count.

Options:
  --json          one JSON object per key press per line instead:
                  {"file":"calls/a.wav","digit":"5","startMs":312.5,"endMs":412.5,"engine":"native"}
                  (times in ms from the start of the file)
  --engine NAME   ${ENGINE_NAMES.join(' or ')} (default native)
  --channel N     channel to decode, from 1 (default 1)

Several files are decoded at once, one worker thread per core; their lines
come out in the order the files are given.

A file that cannot be read is reported on stderr as
'dialin-sim decode: FILE: reason'; the other files are still decoded.
A file that is damaged but holds audio (cut short, sizes that do not add
up) is decoded as far as it goes, with a warning line on stderr. A file
whose data chunk is empty has no audio to decode, and is an error.

Exit status: 0 when every file was decoded, 1 when any could not be,
2 for a bad command line.`;

function roundMs(ms: number): number {
  return Math.round(ms * 1000) / 1000;
}

/**
 * Decodes every file and prints each one's lines in the order given. Several
 * files are decoded on a pool of worker threads, one per core (at most one
 * per file); one file, or one core, is decoded here.
 */
async function decodeAll(files: readonly string[], settings: DecodeSettings, print: (outcome: FileOutcome) => void): Promise<void> {
  const threads = Math.min(files.length, availableParallelism());
  if (threads > 1) {
    const { decodeInWorkers } = await import('./decode-pool.ts');
    return decodeInWorkers(files, settings, threads, print);
  }
  for (const file of files) print(await decodeFile(file, settings));
}

export const command: Command = {
  summary: 'find the DTMF digits in WAV files',
  usage,
  async run(args, io) {
    const { values, positionals } = parseCommandArgs(args, {
      json: { type: 'boolean', default: false },
      engine: { type: 'string', default: 'native', expects: ENGINE_NAMES.join(' or ') },
      channel: { type: 'string', expects: 'a channel number, from 1' },
    });
    if (positionals.length === 0) throw new UsageError("no WAV files given (see 'dialin-sim decode --help')");
    const engine = values.engine;
    if (!(ENGINE_NAMES as readonly string[]).includes(engine)) {
      throw new UsageError(`--engine must be ${ENGINE_NAMES.join(' or ')}, got '${engine}'`);
    }
    const channel = numberOption('channel', values.channel) ?? 1;
    if (!Number.isInteger(channel) || channel < 1) {
      throw new UsageError(`--channel expects a channel number from 1, got '${values.channel}'`);
    }

    let failures = 0;
    const print = (outcome: FileOutcome) => {
      const { file } = outcome;
      if ('message' in outcome) {
        io.err(`dialin-sim decode: ${outcome.message}`);
        failures++;
        return;
      }
      for (const warning of outcome.warnings) io.err(`dialin-sim decode: ${file}: warning: ${warning}`);
      if (values.json) {
        for (const { digit, startMs, endMs } of outcome.events) {
          io.out(JSON.stringify({ file, digit, startMs: roundMs(startMs), endMs: roundMs(endMs), engine }));
        }
      } else {
        io.out(`${file}: ${outcome.events.length === 0 ? '(no digits)' : outcome.events.map((e) => e.digit).join('')}`);
      }
    };
    await decodeAll(positionals, { engine: engine as EngineName, channel }, print);
    return failures > 0 ? 1 : 0;
  },
};

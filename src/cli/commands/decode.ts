import { WavParseError } from '../../wav/wav-errors.ts';
import { openWavSource } from '../../wav/wav-source.ts';
import type { DigitEvent } from '../../dsp/dtmf-keys.ts';
import { createDigitDecoder } from '../../engines/create-digit-decoder.ts';
import { ENGINE_NAMES, type EngineName } from '../../engines/digit-decoder.ts';
import { isDialinError, UsageError } from '../../errors.ts';
import { numberOption, parseCommandArgs } from '../args.ts';
import type { CliIo, Command } from '../command.ts';

/** Audio is fed to the decoder in telephony-sized frames, as a live call would be. */
const CHUNK_MS = 20;

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

/** Streams one file through a fresh decoder; warnings go to stderr as they are known. */
async function decodeFile(file: string, engine: EngineName, channel: number, io: CliIo): Promise<DigitEvent[]> {
  const source = await openWavSource(file, { channel, chunkMs: CHUNK_MS });
  try {
    // "No digits" would read as a verdict on audio that is not there.
    if (source.info.sampleCount === 0) throw new WavParseError(file, 'no-audio', 'no audio: the data chunk is empty');
    for (const warning of source.info.warnings) io.err(`dialin-sim decode: ${file}: warning: ${warning}`);
    const decoder = createDigitDecoder(engine, source.sampleRate);
    const events: DigitEvent[] = [];
    for await (const chunk of source) events.push(...decoder.push(chunk));
    events.push(...decoder.flush());
    return events;
  } finally {
    await source.close();
  }
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
    for (const file of positionals) {
      let events: DigitEvent[];
      try {
        events = await decodeFile(file, engine as EngineName, channel, io);
      } catch (error) {
        if (!isDialinError(error)) throw error;
        const message = error.message.startsWith(`${file}: `) ? error.message : `${file}: ${error.message}`;
        io.err(`dialin-sim decode: ${message}`);
        failures++;
        continue;
      }
      if (values.json) {
        for (const { digit, startMs, endMs } of events) {
          io.out(JSON.stringify({ file, digit, startMs: roundMs(startMs), endMs: roundMs(endMs), engine }));
        }
      } else {
        io.out(`${file}: ${events.length === 0 ? '(no digits)' : events.map((e) => e.digit).join('')}`);
      }
    }
    return failures > 0 ? 1 : 0;
  },
};

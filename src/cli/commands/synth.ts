import { DTMF_RECEPTION_SPEC } from '../../dsp/detector-constants.ts';
import { DEFAULT_SYNTH_OPTIONS, synthesizeDtmf, type DtmfSynthOptions } from '../../dsp/dtmf-generator.ts';
import { UsageError } from '../../errors.ts';
import { isWavWriteEncoding, WAV_WRITE_ENCODINGS, writeWavFile } from '../../wav/wav-writer.ts';
import { numberOption, parseCommandArgs } from '../args.ts';
import type { Command } from '../command.ts';

/** Twist (high minus low group level) a Q.24 receiver must accept. */
const Q24_TWIST_DB = {
  min: -DTMF_RECEPTION_SPEC.acceptReverseTwistDb,
  max: DTMF_RECEPTION_SPEC.acceptStandardTwistDb,
} as const;
/** ITU-T G.711 §1: the companding laws are specified for 8000 samples per second. */
const G711_SAMPLE_RATE = 8000;

const d = DEFAULT_SYNTH_OPTIONS;
const usage = `usage: dialin-sim synth DIGITS -o OUT.wav [options]

Write DTMF key presses (0-9 * # A-D) to a mono WAV file. Quote DIGITS in
the shell when it holds * or #: dialin-sim synth '123456#' -o pin.wav

Options:
  -o, --output FILE   the WAV file to write (required)
  --rate HZ           sample rate, 8000 to 48000 (default ${d.sampleRate})
  --encoding ENC      pcm16, mulaw or alaw (default pcm16); mulaw and alaw are
                      G.711, defined only at 8000 Hz, so they need --rate 8000
  --on MS             duration of each tone (default ${d.onMs})
  --off MS            silence after each tone (default ${d.offMs})
  --lead MS           silence before the first tone (default ${d.leadMs})
  --level DBM0        level of the low-group tone, at most +3 (default ${d.levelDbm0})
  --twist DB          high-group level minus low-group level (default ${d.twistDb});
                      outside ${Q24_TWIST_DB.min}..+${Q24_TWIST_DB.max} dB (ITU-T Q.24) it warns but writes
  --freq-error PCT    shift both tones by this percentage of nominal (default 0)
  --snr DB            add white noise at this signal-to-noise ratio (default none)
  --seed N            seed of the noise, for reproducible files (default ${d.seed})

Negative values may follow the option or be attached: --level -20, --twist=-6.
Prints one line saying what was written.`;

const NUMBER_OPTIONS = ['rate', 'on', 'off', 'lead', 'level', 'twist', 'freq-error', 'snr', 'seed'] as const;

export const command: Command = {
  summary: 'write DTMF key presses to a WAV file',
  usage,
  async run(args, io) {
    const { values, positionals } = parseCommandArgs(args, {
      output: { type: 'string', short: 'o', expects: 'a WAV file name' },
      encoding: { type: 'string', default: 'pcm16', expects: WAV_WRITE_ENCODINGS.join(', ') },
      rate: { type: 'string', expects: 'a sample rate in Hz' },
      on: { type: 'string', expects: 'a duration in ms' },
      off: { type: 'string', expects: 'a duration in ms' },
      lead: { type: 'string', expects: 'a duration in ms' },
      level: { type: 'string', expects: 'a level in dBm0' },
      twist: { type: 'string', expects: 'a level difference in dB' },
      'freq-error': { type: 'string', expects: 'a percentage' },
      snr: { type: 'string', expects: 'a ratio in dB' },
      seed: { type: 'string', expects: 'a whole number' },
    });
    if (positionals.length === 0) throw new UsageError("no DIGITS given (see 'dialin-sim synth --help')");
    if (positionals.length > 1) throw new UsageError(`one DIGITS argument expected, got ${positionals.length}: ${positionals.join(' ')}`);
    const digits = positionals[0]!;
    if (digits === '') throw new UsageError('DIGITS is empty');
    const output = values.output;
    if (!output) throw new UsageError('missing -o OUT.wav');
    const encoding = values.encoding;
    if (!isWavWriteEncoding(encoding)) {
      throw new UsageError(`--encoding must be ${WAV_WRITE_ENCODINGS.join(', ')}, got '${encoding}'`);
    }

    const number = (name: (typeof NUMBER_OPTIONS)[number]) => numberOption(name, values[name]);
    const options: Partial<DtmfSynthOptions> = {
      sampleRate: number('rate'),
      onMs: number('on'),
      offMs: number('off'),
      leadMs: number('lead'),
      levelDbm0: number('level'),
      twistDb: number('twist'),
      frequencyErrorPct: number('freq-error'),
      snrDb: number('snr'),
      seed: number('seed'),
    };
    for (const key of Object.keys(options) as (keyof DtmfSynthOptions)[]) if (options[key] === undefined) delete options[key];
    if (options.seed !== undefined && !Number.isSafeInteger(options.seed)) {
      throw new UsageError(`--seed expects a whole number, got '${values.seed}'`);
    }
    const sampleRate = options.sampleRate ?? d.sampleRate;
    if (encoding !== 'pcm16' && sampleRate !== G711_SAMPLE_RATE) {
      throw new UsageError(`--encoding ${encoding} is G.711, which is defined at ${G711_SAMPLE_RATE} Hz only; use --rate ${G711_SAMPLE_RATE} or --encoding pcm16`);
    }
    const twist = options.twistDb ?? d.twistDb;
    if (twist < Q24_TWIST_DB.min || twist > Q24_TWIST_DB.max) {
      io.err(`dialin-sim synth: warning: twist ${twist > 0 ? '+' : ''}${twist} dB is outside the ${Q24_TWIST_DB.min} to +${Q24_TWIST_DB.max} dB a Q.24 receiver must accept; writing it anyway`);
    }

    const samples = synthesizeDtmf(digits, options);
    const bytes = await writeWavFile(output, { sampleRate, encoding, samples });
    const durationMs = Math.round((samples.length * 1000) / sampleRate);
    io.out(`wrote ${output}: ${digits.length} key${digits.length === 1 ? '' : 's'}, ${durationMs} ms, ${sampleRate} Hz, ${encoding}, ${bytes} bytes`);
    return 0;
  },
};

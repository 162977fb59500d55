/**
 * Real telephony and streaming codecs, run on 8 kHz 16-bit mono PCM in a
 * temporary directory: SoX (G.711 mu-law, GSM 06.10, AMR-NB), opus-tools
 * and LAME. Each returns the decoded audio at 8 kHz, trimmed or padded to
 * the input's length once the codec's own delay is taken out.
 */
import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

export type Codec = 'g711' | 'gsm' | 'amr-nb-12.2' | 'opus-32' | 'opus-16' | 'opus-12' | 'mp3-32';

const RAW = ['-t', 'raw', '-r', '8000', '-e', 'signed', '-b', '16', '-c', '1'];

function run(command: string, args: string[]): void {
  execFileSync(command, args, { stdio: ['ignore', 'ignore', 'pipe'] });
}

/** Encodes and decodes `samples` through `codec`; the result has the input's length. */
export function throughCodec(samples: Int16Array, codec: Codec): Int16Array {
  const dir = mkdtempSync(join(tmpdir(), 'dialin-sim-codec-'));
  try {
    const input = join(dir, 'in.raw');
    const output = join(dir, 'out.raw');
    writeFileSync(input, samples);
    switch (codec) {
      case 'g711':
        run('sox', [...RAW, input, '-t', 'raw', '-e', 'u-law', '-b', '8', join(dir, 'mid.ul')]);
        run('sox', ['-t', 'raw', '-r', '8000', '-e', 'u-law', '-b', '8', '-c', '1', join(dir, 'mid.ul'), ...RAW, output]);
        break;
      case 'gsm':
        run('sox', [...RAW, input, join(dir, 'mid.gsm')]);
        run('sox', [join(dir, 'mid.gsm'), ...RAW, output]);
        break;
      case 'amr-nb-12.2':
        // SoX's AMR-NB compression level is the mode: 7 is 12.2 kbit/s.
        run('sox', [...RAW, input, '-C', '7', join(dir, 'mid.amr-nb')]);
        run('sox', [join(dir, 'mid.amr-nb'), ...RAW, output]);
        break;
      case 'opus-32':
      case 'opus-16':
      case 'opus-12': {
        const kbps = codec.slice(5);
        run('opusenc', ['--quiet', '--raw', '--raw-rate', '8000', '--raw-chan', '1', '--bitrate', kbps, input, join(dir, 'mid.opus')]);
        // opusdec removes the encoder's pre-skip itself.
        run('opusdec', ['--quiet', '--rate', '8000', join(dir, 'mid.opus'), join(dir, 'out.wav')]);
        run('sox', [join(dir, 'out.wav'), ...RAW, output]);
        break;
      }
      case 'mp3-32':
        run('lame', ['--quiet', '-r', '-s', '8', '--bitwidth', '16', '--signed', '--little-endian', '-m', 'm', '-b', '32', input, join(dir, 'mid.mp3')]);
        // LAME's decoder removes the encoder delay and padding (LAME tag).
        run('lame', ['--quiet', '--decode', join(dir, 'mid.mp3'), join(dir, 'out.wav')]);
        run('sox', [join(dir, 'out.wav'), ...RAW, output]);
        break;
    }
    const bytes = readFileSync(output);
    const decoded = new Int16Array(bytes.buffer, bytes.byteOffset, bytes.byteLength >> 1);
    const out = new Int16Array(samples.length);
    out.set(decoded.subarray(0, samples.length));
    return out;
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

/** Runs `samples` through a SoX effect chain (e.g. `['sinc', '300-3400']`) at 8 kHz. */
export function throughSoxEffect(samples: Int16Array, effects: string[]): Int16Array {
  const dir = mkdtempSync(join(tmpdir(), 'dialin-sim-sox-'));
  try {
    const input = join(dir, 'in.raw');
    const output = join(dir, 'out.raw');
    writeFileSync(input, samples);
    run('sox', ['-D', ...RAW, input, ...RAW, output, ...effects]);
    const bytes = readFileSync(output);
    const decoded = new Int16Array(bytes.buffer, bytes.byteOffset, bytes.byteLength >> 1);
    const out = new Int16Array(samples.length);
    out.set(decoded.subarray(0, samples.length));
    return out;
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

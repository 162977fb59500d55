import { mkdtemp, readFile, rm, stat } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { main } from '../../src/cli/main.ts';
import { synthesizeDtmf } from '../../src/dsp/dtmf-generator.ts';
import { amplitudeToDbm0 } from '../../src/dsp/levels.ts';
import { readWav } from '../../src/wav/wav-reader.ts';
import { captureIo } from './capture-io.ts';

/** Peak-based level of a sine-like stretch, in dBm0. */
function peakDbm0(samples: Int16Array): number {
  return amplitudeToDbm0(samples.reduce((max, v) => Math.max(max, Math.abs(v)), 0));
}

describe('dialin-sim synth', () => {
  let dir: string;
  beforeAll(async () => {
    dir = await mkdtemp(join(tmpdir(), 'dialin-synth-'));
  });
  afterAll(async () => {
    await rm(dir, { recursive: true, force: true });
  });

  it('writes the generator output as 16-bit PCM at 8000 Hz by default and says so in one line', async () => {
    const path = join(dir, 'default.wav');
    const { io, out, err } = captureIo();
    expect(await main(['synth', '123#', '-o', path], io)).toBe(0);
    const size = (await stat(path)).size;
    expect(out).toEqual([`wrote ${path}: 4 keys, 800 ms, 8000 Hz, pcm16, ${size} bytes`]);
    expect(err).toEqual([]);
    const audio = await readWav(path);
    expect(audio).toMatchObject({ sampleRate: 8000, encoding: 'pcm', bitsPerSample: 16, channels: 1 });
    expect(audio.samples).toEqual(synthesizeDtmf('123#'));
  });

  it('passes every timing, level and noise option to the generator', async () => {
    const path = join(dir, 'options.wav');
    const { io } = captureIo();
    const args = ['synth', 'A0', '-o', path, '--rate', '16000', '--on', '60', '--off', '40', '--lead', '25',
      '--level', '-20', '--twist', '-3', '--snr', '20', '--seed', '7', '--freq-error', '1.5'];
    expect(await main(args, io)).toBe(0);
    const expected = synthesizeDtmf('A0', {
      sampleRate: 16000, onMs: 60, offMs: 40, leadMs: 25, levelDbm0: -20, twistDb: -3, snrDb: 20, seed: 7, frequencyErrorPct: 1.5,
    });
    expect((await readWav(path)).samples).toEqual(expected);
  });

  it('accepts negative values attached or as the next argument', async () => {
    const a = join(dir, 'neg-a.wav');
    const b = join(dir, 'neg-b.wav');
    expect(await main(['synth', '5', '-o', a, '--level', '-20', '--twist', '-2'], captureIo().io)).toBe(0);
    expect(await main(['synth', '5', '-o', b, '--level=-20', '--twist=-2'], captureIo().io)).toBe(0);
    expect(await readFile(a)).toEqual(await readFile(b));
    const samples = (await readWav(a)).samples.subarray(0, 800);
    // Two tones at -20 and -22 dBm0 peak together at about -20 + 20log10(1 + 10^(-2/20)) dBm0.
    expect(peakDbm0(samples)).toBeCloseTo(-20 + 20 * Math.log10(1 + 10 ** (-2 / 20)), 0);
  });

  for (const encoding of ['mulaw', 'alaw'] as const) {
    it(`writes G.711 ${encoding} at 8000 Hz`, async () => {
      const path = join(dir, `${encoding}.wav`);
      const { io, out } = captureIo();
      expect(await main(['synth', '*D', '-o', path, '--encoding', encoding], io)).toBe(0);
      expect(out[0]).toMatch(new RegExp(`: 2 keys, 400 ms, 8000 Hz, ${encoding}, \\d+ bytes$`));
      const audio = await readWav(path);
      expect(audio).toMatchObject({ encoding, sampleRate: 8000, bitsPerSample: 8, sampleCount: 3200 });
    });
  }

  it('refuses G.711 at other rates, since G.711 is defined at 8000 Hz', async () => {
    const { io, err } = captureIo();
    expect(await main(['synth', '1', '-o', join(dir, 'x.wav'), '--encoding', 'mulaw', '--rate', '16000'], io)).toBe(2);
    expect(err).toEqual(['dialin-sim synth: --encoding mulaw is G.711, which is defined at 8000 Hz only; use --rate 8000 or --encoding pcm16']);
  });

  it('warns about twist outside the Q.24 range but writes the file', async () => {
    const path = join(dir, 'twist.wav');
    const { io, out, err } = captureIo();
    expect(await main(['synth', '9', '-o', path, '--twist', '+6'], io)).toBe(0);
    expect(err).toEqual(['dialin-sim synth: warning: twist +6 dB is outside the -8 to +4 dB a Q.24 receiver must accept; writing it anyway']);
    expect(out).toHaveLength(1);
    expect((await stat(path)).size).toBeGreaterThan(44);
  });

  it('names the bad character in DIGITS and writes nothing', async () => {
    const path = join(dir, 'bad.wav');
    const { io, err } = captureIo();
    expect(await main(['synth', '12x4', '-o', path], io)).toBe(1);
    expect(err).toEqual([`dialin-sim synth: 'x' at position 3 of "12x4" is not a DTMF key (0-9 * # A-D)`]);
    await expect(stat(path)).rejects.toMatchObject({ code: 'ENOENT' });
  });

  it('rejects bad command lines with exit code 2', async () => {
    const cases: [string[], RegExp][] = [
      [['synth', '1'], /missing -o OUT\.wav/],
      [['synth', '-o', join(dir, 'n.wav')], /no DIGITS given/],
      [['synth', '1', '2', '-o', join(dir, 'n.wav')], /one DIGITS argument expected, got 2/],
      [['synth', '', '-o', join(dir, 'n.wav')], /DIGITS is empty/],
      [['synth', '1', '-o', join(dir, 'n.wav'), '--encoding', 'gsm'], /--encoding must be pcm16, mulaw, alaw, got 'gsm'/],
      [['synth', '1', '-o', join(dir, 'n.wav'), '--rate', 'fast'], /--rate expects a number, got 'fast'/],
      [['synth', '1', '-o', join(dir, 'n.wav'), '--seed', '1.5'], /--seed expects a whole number/],
      [['synth', '1', '-o', join(dir, 'n.wav'), '--volume', '3'], /^dialin-sim synth: unknown option --volume$/],
      [['synth', '1', '-o', join(dir, 'n.wav'), '--level'], /^dialin-sim synth: --level needs a level in dBm0$/],
    ];
    for (const [argv, message] of cases) {
      const { io, err } = captureIo();
      expect(await main(argv, io), argv.join(' ')).toBe(2);
      expect(err).toHaveLength(1);
      expect(err[0]).toMatch(message);
    }
  });

  it('reports parameters the generator refuses with exit code 1', async () => {
    for (const [option, value, message] of [
      ['--rate', '96000', /sample rate must be a whole number of Hz from 8000 to 48000, got 96000/],
      ['--level', '6', /level must be at most \+3 dBm0, got 6/],
      ['--on', '-5', /onMs must be a duration of 0 ms or more/],
    ] as const) {
      const { io, err } = captureIo();
      expect(await main(['synth', '1', '-o', join(dir, 'p.wav'), option, value], io)).toBe(1);
      expect(err[0]).toMatch(message);
    }
  });

  it('names the output path when it cannot be written', async () => {
    const path = join(dir, 'missing-dir', 'out.wav');
    const { io, err } = captureIo();
    expect(await main(['synth', '1', '-o', path], io)).toBe(1);
    expect(err).toEqual([`dialin-sim synth: ${path}: cannot write: the directory does not exist`]);
  });

  it('prints its usage for --help', async () => {
    const { io, out } = captureIo();
    expect(await main(['synth', '--help'], io)).toBe(0);
    expect(out.join('\n')).toMatch(/^usage: dialin-sim synth DIGITS -o OUT\.wav \[options\]/);
    expect(out.join('\n')).toMatch(/--encoding ENC/);
  });
});

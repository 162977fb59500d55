import { execFile } from 'node:child_process';
import { mkdir, mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { main } from '../../src/cli/main.ts';
import { DTMF_KEYS } from '../../src/dsp/dtmf-keys.ts';
import { synthesizeDtmf } from '../../src/dsp/dtmf-generator.ts';
import { writeWavFile } from '../../src/wav/wav-writer.ts';
import { captureIo } from './capture-io.ts';

const ROOT = join(import.meta.dirname, '..', '..');
const FIXTURES = join(ROOT, 'test', 'fixtures', 'wav');
const fixture = (name: string) => join(FIXTURES, name);
const ALL_KEYS = DTMF_KEYS.join('');

describe('dialin-sim decode', () => {
  let dir: string;
  const file = (name: string) => join(dir, name);

  beforeAll(async () => {
    dir = await mkdtemp(join(tmpdir(), 'dialin-decode-'));
    await writeWavFile(file('organizer.wav'), { sampleRate: 8000, samples: synthesizeDtmf('123456#*24680#', { leadMs: 200 }) });
    await writeWavFile(file('guest.wav'), { sampleRate: 16000, samples: synthesizeDtmf('99', { sampleRate: 16000 }) });
    await writeWavFile(file('silence.wav'), { sampleRate: 8000, samples: new Int16Array(8000) });
    await writeWavFile(file('timed.wav'), {
      sampleRate: 8000,
      samples: synthesizeDtmf('5D', { leadMs: 300, onMs: 100, offMs: 200 }),
    });
    await mkdir(file('folder.wav'));
  });
  afterAll(async () => {
    await rm(dir, { recursive: true, force: true });
  });

  it('prints one line of digits per file, and (no digits) for a file without any', async () => {
    const { io, out, err } = captureIo();
    const code = await main(['decode', file('organizer.wav'), file('guest.wav'), file('silence.wav')], io);
    expect(out).toEqual([`${file('organizer.wav')}: 123456#*24680#`, `${file('guest.wav')}: 99`, `${file('silence.wav')}: (no digits)`]);
    expect(err).toEqual([]);
    expect(code).toBe(0);
  });

  it('reports unreadable files on stderr, decodes the others, and exits 1', async () => {
    const { io, out, err } = captureIo();
    const files = [file('missing.wav'), file('organizer.wav'), file('folder.wav'), fixture('not-riff-rejected.wav'),
      fixture('mp3-format-tag-rejected.wav'), fixture('truncated-in-fmt-rejected.wav'), file('guest.wav')];
    expect(await main(['decode', ...files], io)).toBe(1);
    expect(out).toEqual([`${file('organizer.wav')}: 123456#*24680#`, `${file('guest.wav')}: 99`]);
    expect(err).toEqual([
      `dialin-sim decode: ${file('missing.wav')}: no such file`,
      `dialin-sim decode: ${file('folder.wav')}: is a directory, not a WAV file`,
      `dialin-sim decode: ${fixture('not-riff-rejected.wav')}: not a WAV file (no RIFF header)`,
      expect.stringMatching(/^dialin-sim decode: .*mp3-format-tag-rejected\.wav: unsupported format tag 0x0055 \(MPEG Layer 3 \(MP3\)\)/),
      `dialin-sim decode: ${fixture('truncated-in-fmt-rejected.wav')}: file ends inside the fmt chunk (9 of 16 bytes present)`,
    ]);
  });

  it('prints the files in the order given although a long first file finishes last on its worker', async () => {
    const long = file('long-first.wav');
    await writeWavFile(long, { sampleRate: 8000, samples: synthesizeDtmf('0123456789', { leadMs: 600_000 }) });
    const files = [long, file('guest.wav'), file('missing.wav'), file('timed.wav'), file('silence.wav'), file('organizer.wav')];
    const oneByOne = { out: [] as string[], err: [] as string[] };
    for (const path of files) {
      const { io, out, err } = captureIo();
      await main(['decode', '--json', path], io);
      oneByOne.out.push(...out);
      oneByOne.err.push(...err);
    }
    const { io, out, err } = captureIo();
    expect(await main(['decode', '--json', ...files], io)).toBe(1);
    expect(out).toEqual(oneByOne.out);
    expect(err).toEqual(oneByOne.err);
    expect(out[0]).toContain('long-first.wav');
    expect(out.at(-1)).toContain('organizer.wav');
  });

  it('prints one JSON object per digit with file, digit, startMs and endMs', async () => {
    const { io, out } = captureIo();
    expect(await main(['decode', '--json', file('timed.wav'), file('guest.wav')], io)).toBe(0);
    const events = out.map((line) => JSON.parse(line) as Record<string, unknown>);
    expect(events.map((e) => Object.keys(e))).toEqual(Array(4).fill(['file', 'digit', 'startMs', 'endMs', 'engine']));
    expect(events.map((e) => [e.file, e.digit, e.engine])).toEqual([
      [file('timed.wav'), '5', 'native'], [file('timed.wav'), 'D', 'native'],
      [file('guest.wav'), '9', 'native'], [file('guest.wav'), '9', 'native'],
    ]);
    // Tones of timed.wav: 300-400 ms and 600-700 ms.
    const [five, d] = events as { startMs: number; endMs: number }[];
    expect(five!.startMs).toBeGreaterThanOrEqual(290);
    expect(five!.startMs).toBeLessThanOrEqual(320);
    expect(five!.endMs).toBeGreaterThanOrEqual(390);
    expect(five!.endMs).toBeLessThanOrEqual(420);
    expect(d!.startMs).toBeGreaterThanOrEqual(590);
    expect(d!.startMs).toBeLessThanOrEqual(620);
    expect(d!.endMs).toBeGreaterThanOrEqual(690);
    expect(d!.endMs).toBeLessThanOrEqual(720);
    for (const e of events) expect(typeof e.startMs === 'number' && typeof e.endMs === 'number').toBe(true);
  });

  it('prints nothing on stdout in JSON mode for a file without digits', async () => {
    const { io, out } = captureIo();
    expect(await main(['decode', '--json', file('silence.wav')], io)).toBe(0);
    expect(out).toEqual([]);
  });

  it('decodes a truncated file as far as it goes, with a warning', async () => {
    const path = fixture('truncated-data-digits-78-warns.wav');
    const { io, out, err } = captureIo();
    expect(await main(['decode', path], io)).toBe(0);
    expect(out).toEqual([`${path}: 78`]);
    expect(err).toEqual([`dialin-sim decode: ${path}: warning: data chunk declares 5920 bytes but the file holds only 4480 (truncated); decoding what is present`]);
  });

  it('reports an empty data chunk as an error and still decodes the next file', async () => {
    const path = fixture('empty-data-no-audio.wav');
    const good = fixture('junk-before-fmt-digits-42-decodes.wav');
    const { io, out, err } = captureIo();
    expect(await main(['decode', path, good], io)).toBe(1);
    expect(out).toEqual([`${good}: 42`]);
    expect(err).toEqual([`dialin-sim decode: ${path}: no audio: the data chunk is empty`]);
  });

  it('decodes the channel chosen with --channel and rejects one the file lacks', async () => {
    const path = fixture('sox-pcm24-extensible-stereo-16k-digits-47-and-9-decodes.wav');
    const left = captureIo();
    expect(await main(['decode', path], left.io)).toBe(0);
    expect(left.out).toEqual([`${path}: 47`]);
    const right = captureIo();
    expect(await main(['decode', '--channel', '2', path], right.io)).toBe(0);
    expect(right.out).toEqual([`${path}: 9`]);
    const mixed = captureIo();
    expect(await main(['decode', '--channel', '2', path, file('guest.wav')], mixed.io)).toBe(1);
    expect(mixed.out).toEqual([`${path}: 9`]);
    expect(mixed.err).toEqual([`dialin-sim decode: ${file('guest.wav')}: channel 2 requested but the file has 1 channel`]);
  });

  it('decodes files written by sox, an independent encoder, to the digits in their names', async () => {
    const names = [
      ['sox-alaw-8k-digits-159-decodes.wav', '159'],
      ['sox-mulaw-8k-digits-3A-decodes.wav', '3A'],
      ['sox-float32-11025-digits-0D-decodes.wav', '0D'],
      ['sox-pcm8-8k-digits-2-decodes.wav', '2'],
      ['junk-before-fmt-digits-42-decodes.wav', '42'],
    ] as const;
    const { io, out } = captureIo();
    expect(await main(['decode', ...names.map(([name]) => fixture(name))], io)).toBe(0);
    expect(out).toEqual(names.map(([name, digits]) => `${fixture(name)}: ${digits}`));
  });

  it('round-trips all 16 keys through synth and decode at every rate and encoding', async () => {
    const cases = [
      ...[8000, 11025, 16000, 22050, 32000, 44100, 48000].map((rate) => ({ rate, encoding: 'pcm16' })),
      { rate: 8000, encoding: 'mulaw' },
      { rate: 8000, encoding: 'alaw' },
    ];
    const paths: string[] = [];
    for (const { rate, encoding } of cases) {
      const path = file(`all-keys-${rate}-${encoding}.wav`);
      const { io } = captureIo();
      expect(await main(['synth', ALL_KEYS, '-o', path, '--rate', String(rate), '--encoding', encoding, '--snr', '30'], io)).toBe(0);
      paths.push(path);
    }
    const { io, out, err } = captureIo();
    expect(await main(['decode', ...paths], io)).toBe(0);
    expect(err).toEqual([]);
    expect(out).toEqual(paths.map((path) => `${path}: ${ALL_KEYS}`));
  });

  it('decodes with the dtmf-detection-stream engine too', async () => {
    const { io, out } = captureIo();
    expect(await main(['decode', '--engine', 'dtmf-detection-stream', file('organizer.wav')], io)).toBe(0);
    expect(out).toEqual([`${file('organizer.wav')}: 123456#*24680#`]);
  });

  it('rejects bad command lines with exit code 2', async () => {
    const cases: [string[], RegExp][] = [
      [['decode'], /no WAV files given/],
      [['decode', '--engine', 'goertzel', 'a.wav'], /--engine must be native or dtmf-detection-stream, got 'goertzel'/],
      [['decode', '--channel', '0', 'a.wav'], /--channel expects a channel number from 1, got '0'/],
      [['decode', '--channel', 'left', 'a.wav'], /--channel expects a number, got 'left'/],
      [['decode', '--verbose', 'a.wav'], /^dialin-sim decode: unknown option --verbose$/],
      [['decode', 'a.wav', '--channel'], /^dialin-sim decode: --channel needs a channel number, from 1$/],
    ];
    for (const [argv, message] of cases) {
      const { io, err } = captureIo();
      expect(await main(argv, io), argv.join(' ')).toBe(2);
      expect(err).toHaveLength(1);
      expect(err[0]).toMatch(message);
    }
  });

  it('prints its usage for --help', async () => {
    const { io, out } = captureIo();
    expect(await main(['decode', '--help'], io)).toBe(0);
    expect(out.join('\n')).toMatch(/^usage: dialin-sim decode \[--json\] \[--engine ENGINE\] \[--channel N\] FILE\.\.\./);
  });

  it('runs end to end as a process: good files decoded, a bad one reported, exit status 1', async () => {
    const run = promisify(execFile);
    const bad = file('missing.wav');
    const result = await run(process.execPath, [join(ROOT, 'bin', 'dialin-sim.js'), 'decode', file('organizer.wav'), bad, fixture('sox-mulaw-8k-digits-3A-decodes.wav')], { cwd: ROOT })
      .then((output) => ({ code: 0, ...output }))
      .catch((error: { code: number; stdout: string; stderr: string }) => error);
    expect(result.code).toBe(1);
    expect(result.stdout).toBe(`${file('organizer.wav')}: 123456#*24680#\n${fixture('sox-mulaw-8k-digits-3A-decodes.wav')}: 3A\n`);
    expect(result.stderr).toBe(`dialin-sim decode: ${bad}: no such file\n`);
  });

  it('runs synth then decode --json as processes', async () => {
    const run = promisify(execFile);
    const path = file('spawned.wav');
    const bin = join(ROOT, 'bin', 'dialin-sim.js');
    const synth = await run(process.execPath, [bin, 'synth', '#0*', '-o', path, '--rate', '48000', '--lead', '100'], { cwd: ROOT });
    expect(synth.stdout).toMatch(/^wrote .*spawned\.wav: 3 keys, 700 ms, 48000 Hz, pcm16, \d+ bytes\n$/);
    const decode = await run(process.execPath, [bin, 'decode', '--json', path], { cwd: ROOT });
    const digits = decode.stdout.trim().split('\n').map((line) => (JSON.parse(line) as { digit: string }).digit);
    expect(digits).toEqual(['#', '0', '*']);
    expect(decode.stderr).toBe('');
  });
});

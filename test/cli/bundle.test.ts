/**
 * The CLI's JavaScript build (scripts/build-cli.js, run by `npm install`):
 * built into a scratch folder, it runs the commands as the source does and
 * finds the files the source finds beside itself; bin/cli-bundle.js lets it
 * run only while it matches the source.
 */
import { spawn, spawnSync } from 'node:child_process';
import { mkdir, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { freshBundle } from '../../bin/cli-bundle.js';
import { buildCli } from '../../scripts/build-cli.js';
import { main } from '../../src/cli/main.ts';
import { writeWavFile } from '../../src/wav/wav-writer.ts';
import { synthesizeDtmf } from '../../src/dsp/dtmf-generator.ts';
import { captureIo } from './capture-io.ts';

const ROOT = join(import.meta.dirname, '..', '..');

describe('the built CLI', () => {
  let dir: string;
  let outDir: string;
  /** Runs the bundle in `outDir` as bin/dialin-sim.js would. */
  const launcher = () => join(outDir, 'launch.js');
  const runBundle = (argv: string[]) => spawnSync(process.execPath, [launcher(), ...argv], { cwd: ROOT, encoding: 'utf8' });

  beforeAll(async () => {
    dir = await mkdtemp(join(tmpdir(), 'dialin-bundle-'));
    // Inside the package, as dist/ is, so the bundle finds node_modules.
    await mkdir(join(ROOT, 'dist'), { recursive: true });
    outDir = await mkdtemp(join(ROOT, 'dist', 'test-'));
    await buildCli({ outDir });
    await writeFile(launcher(), "const { runMain } = await import('./cli.js');\nawait runMain(process.argv.slice(2));\n");
  }, 60_000);
  afterAll(async () => {
    await rm(dir, { recursive: true, force: true });
    await rm(outDir, { recursive: true, force: true });
  });

  it('prints the same help as the source', async () => {
    const { io, out } = captureIo();
    await main(['help'], io);
    const run = runBundle(['--help']);
    expect(run.stderr).toBe('');
    expect(run.stdout).toBe(`${out.join('\n')}\n`);
  });

  it('runs the bundled scenarios, with their recorded prompts, and passes them', () => {
    const run = runBundle(['test', 'scenarios']);
    expect(run.stderr).toBe('');
    expect(run.stdout).toMatch(/^\d+ scenarios: \d+ passed, 0 failed$/m);
    expect(run.status).toBe(0);
  });

  it('decodes several files on its worker threads, in the order given, as the source does one at a time', async () => {
    // A long file first, so the short ones finish before it.
    const files = ['long', 'a', 'b', 'c'].map((name) => join(dir, `${name}.wav`));
    await writeWavFile(files[0]!, { sampleRate: 8000, samples: synthesizeDtmf('1234567890'.repeat(20), { leadMs: 500 }) });
    await writeWavFile(files[1]!, { sampleRate: 8000, samples: synthesizeDtmf('*') });
    await writeWavFile(files[2]!, { sampleRate: 16000, samples: synthesizeDtmf('AB', { sampleRate: 16000 }) });
    await writeWavFile(files[3]!, { sampleRate: 8000, samples: synthesizeDtmf('#9') });
    const argv = [...files.slice(0, 2), join(dir, 'missing.wav'), ...files.slice(2)];
    const one = { out: [] as string[], err: [] as string[] };
    for (const file of argv) {
      const { io, out, err } = captureIo();
      await main(['decode', '--json', file], io);
      one.out.push(...out);
      one.err.push(...err);
    }
    const run = runBundle(['decode', '--json', ...argv]);
    expect(run.stdout.trimEnd().split('\n')).toEqual(one.out);
    expect(run.stderr.trimEnd().split('\n')).toEqual(one.err);
    expect(run.status).toBe(1);
  });

  it('serves the softphone page and compiles its client from the source folder', async () => {
    const server = spawn(process.execPath, [launcher(), 'serve', '--port', '0', '--sip-port', 'off', '--db', join(dir, 'serve.db')], { cwd: ROOT });
    try {
      const url = await new Promise<string>((resolve, reject) => {
        let out = '';
        server.stdout.on('data', (data: Buffer) => {
          out += data.toString();
          const found = /Softphone: (http:\/\/\S+?)\/ /.exec(out);
          if (found) resolve(found[1]!);
        });
        server.on('exit', (code) => reject(new Error(`serve exited with ${code}: ${out}`)));
      });
      const page = await fetch(`${url}/`);
      expect(page.status).toBe(200);
      const html = await page.text();
      expect(html).toBe(await readFile(join(ROOT, 'src', 'web', 'public', 'index.html'), 'utf8'));
      const script = /<script type="module" src="([^"]+)"/.exec(html)![1]!;
      const client = await fetch(new URL(script, `${url}/`));
      expect(client.status).toBe(200);
      expect(client.headers.get('content-type')).toMatch(/^text\/javascript/);
    } finally {
      server.kill('SIGTERM');
    }
  }, 30_000);

  it('is run only while every source file it was built from has its recorded size and mtime', async () => {
    const distUrl = pathToFileURL(`${outDir}/`);
    expect(freshBundle(distUrl)?.href).toBe(new URL('cli.js', distUrl).href);
    const stampFile = join(outDir, 'stamp.json');
    const stamp = JSON.parse(await readFile(stampFile, 'utf8')) as { inputs: Record<string, { size: number; mtimeMs: number }> };
    const [first] = Object.keys(stamp.inputs);
    const edited = (change: (input: { size: number; mtimeMs: number }) => void) => {
      const copy = structuredClone(stamp);
      change(copy.inputs[first!]!);
      return copy;
    };
    for (const changed of [
      edited((input) => (input.mtimeMs -= 1)), // the file was touched or edited since the build
      edited((input) => (input.size += 1)),
      { ...stamp, inputs: { ...stamp.inputs, 'src/no-such-file.ts': { size: 1, mtimeMs: 1 } } }, // a source was removed
    ]) {
      await writeFile(stampFile, JSON.stringify(changed));
      expect(freshBundle(distUrl)).toBeUndefined();
    }
    await rm(stampFile);
    expect(freshBundle(distUrl)).toBeUndefined();
  });
});

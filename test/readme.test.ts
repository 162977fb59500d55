/**
 * The README stays true: its set-up commands, its code examples (each must
 * equal the file the tests run), its state diagrams (what `dialin-sim graph`
 * prints today) and its list of commands.
 */
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, symlinkSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { main } from '../src/cli/main.ts';
import { captureIo } from './cli/capture-io.ts';

const ROOT = new URL('../', import.meta.url);
const readme = readFileSync(new URL('README.md', ROOT), 'utf8');
const packageJson = JSON.parse(readFileSync(new URL('package.json', ROOT), 'utf8')) as { scripts: Record<string, string> };

async function cli(...argv: string[]): Promise<string[]> {
  const { io, out, err } = captureIo();
  expect(await main(argv, io), err.join('\n')).toBe(0);
  return out;
}

describe('README', () => {
  it('opens with the two commands a new user runs: the main job and the tests', () => {
    const firstBlock = /^# dialin-sim\n\n```sh\n([\s\S]*?)```/.exec(readme)?.[1] ?? '';
    const commands = firstBlock.split('\n').map((line) => line.replace(/#.*/, '').trim()).filter(Boolean);
    expect(commands).toEqual(['npm install && npm start', 'npm test']);
    expect(packageJson.scripts['test']).toBe('vitest run');
  });

  it('has an `npm start` that runs the bundled scenarios and passes', () => {
    // Through npm itself: a package's own bin is not on the PATH of its scripts.
    const run = spawnSync('npm', ['start', '--silent'], { cwd: fileURLToPath(ROOT), encoding: 'utf8' });
    expect(run.status, run.stderr).toBe(0);
    expect(run.stdout).toMatch(/^\d+ scenarios: (\d+) passed, 0 failed$/m);
  });

  it('shows each example exactly as the file the tests run', () => {
    const examples = [...readme.matchAll(/<!-- example: (\S+) -->\n```(?:ts|js)\n([\s\S]*?)```/g)];
    expect(examples.map((match) => match[1])).toEqual([
      'test/scenario/library-usage.test.ts',
      'test/server/examples/native-call-example.ts',
      'test/server/sip/examples/jssip-call-example.js',
    ]);
    // Every example marker is checked: none can sit on a fence the pattern misses.
    expect(examples.length).toBe(readme.match(/<!-- example: /g)!.length);
    for (const [, path, code] of examples) expect(code, path).toBe(readFileSync(new URL(path!, ROOT), 'utf8'));
  });

  it('shows each bundled scenario it quotes exactly as the file npm start runs', () => {
    const quoted = [...readme.matchAll(/<!-- scenario: (\S+) -->\n```yaml\n([\s\S]*?)```/g)];
    expect(quoted.length).toBeGreaterThan(0);
    // Every YAML block is a quoted scenario: none can drift from the files unchecked.
    expect(quoted.length).toBe(readme.match(/^```yaml$/gm)!.length);
    for (const [, path, text] of quoted) expect(text, path).toBe(readFileSync(new URL(path!, ROOT), 'utf8'));
  });

  it("shows the CLI section's console session as the commands print it today", () => {
    runConsoleSession(/## CLI[\s\S]*?```console\n([\s\S]*?)```/);
  });

  it("shows the Scaling section's console session as serve prints it today", () => {
    runConsoleSession(/## Scaling[\s\S]*?```console\n([\s\S]*?)```/);
  }, 60_000);

  it("shows the PIN section's console session as the commands print it, but for the random PINs and the times", () => {
    // Each PIN keeps its length: the session shows that generated PINs have the tenant's pinLength.
    const shape = (line: string) =>
      line.replace(/(New PIN for \S+: |Your new PIN is: )(\d+)/, (_, before: string, pin: string) => before + '#'.repeat(pin.length)).replace(/\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z/g, 'TIME');
    runConsoleSession(/## PIN directory and policy[\s\S]*?```console\n([\s\S]*?)```/, shape);
    // Ten CLI processes in a row, each running src/ through tsx while the build is stale.
  }, 120_000);

  it('says how long the native client example is', () => {
    const lines = readFileSync(new URL('test/server/examples/native-call-example.ts', ROOT), 'utf8').trimEnd().split('\n');
    expect(readme).toContain(`A client in ${lines.length} lines`);
  });

  it('shows the state diagrams dialin-sim graph prints', async () => {
    const section = /<!-- graph: dialin-sim graph --format markdown -->\n([\s\S]*?)\n<!-- end graph -->/.exec(readme)?.[1];
    expect(section).toBe((await cli('graph', '--format', 'markdown')).join('\n'));
  });

  it('lists every command in its CLI table', async () => {
    const commands = (await cli('help')).map((line) => /^ {2}(\S+) /.exec(line)?.[1]).filter(Boolean);
    expect(commands.length).toBeGreaterThan(5);
    const table = readme.slice(readme.indexOf('## CLI'), readme.indexOf('## Scenarios'));
    for (const command of commands) expect(table, command).toMatch(new RegExp(`^\\| \`${command}[ \`]`, 'm'));
  });
});

/**
 * Runs the `$ ` commands of the README's console block that `section` finds,
 * one after another in a scratch folder that sees the bundled scenarios (so
 * relative paths read as in the README), and checks each prints the lines
 * under it: on stderr those that start with `dialin-sim `, the others on
 * stdout. A `# comment` after a command is the README's, not an argument;
 * `echo 'TEXT' | ` before one feeds it TEXT on standard input.
 */
function runConsoleSession(section: RegExp, shape: (line: string) => string = (line) => line): void {
  const session = section.exec(readme)?.[1] ?? '';
  const commands = session.split(/^\$ /m).filter(Boolean);
  expect(commands.length).toBeGreaterThan(2);
  const cwd = mkdtempSync(join(tmpdir(), 'dialin-readme-'));
  symlinkSync(fileURLToPath(new URL('scenarios', ROOT)), join(cwd, 'scenarios'));
  const bin = fileURLToPath(new URL('bin/dialin-sim.js', ROOT));
  for (const block of commands) {
    const [line, ...expected] = block.trimEnd().split('\n');
    const fed = /^echo '([^']*)' \| (.*)$/.exec(line!);
    const [command, pipe] = (fed ? fed[2]! : line!).replace(/\s+#\s.*$/, '').split(' | ');
    const argv = command!.replace(/^npx dialin-sim /, '').match(/'[^']*'|\S+/g)!.map((arg) => arg.replace(/^'(.*)'$/, '$1'));
    const run = spawnSync(process.execPath, [bin, ...argv], { cwd, encoding: 'utf8', input: fed ? `${fed[1]}\n` : '' });
    const lines = (text: string) => (text.trimEnd() === '' ? [] : text.trimEnd().split('\n'));
    let out = lines(run.stdout);
    if (pipe === 'head -1') out = out.slice(0, 1);
    const err = lines(run.stderr);
    expect(out.map(shape), line).toEqual(expected.filter((text) => !text.startsWith('dialin-sim ')).map(shape));
    expect(err.map(shape), line).toEqual(expected.filter((text) => text.startsWith('dialin-sim ')).map(shape));
  }
}

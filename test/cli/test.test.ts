import { cp, mkdir, mkdtemp, readFile, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { main } from '../../src/cli/main.ts';
import { parseXml } from '../scenario/helpers.ts';

async function cli(...argv: string[]): Promise<{ code: number; out: string[]; err: string[] }> {
  const out: string[] = [];
  const err: string[] = [];
  const code = await main(argv, { out: (line) => out.push(line), err: (line) => err.push(line) });
  return { code, out, err };
}

const NAMES = ['fast-keying-40ms', 'three-wrong-pins-hangs-up'];

async function suiteCopy(): Promise<string> {
  const dir = await mkdtemp(join(tmpdir(), 'dialin-test-'));
  for (const name of NAMES) {
    await cp(join('scenarios', `${name}.yaml`), join(dir, `${name}.yaml`));
    await cp(join('scenarios', `${name}.transcript`), join(dir, `${name}.transcript`));
  }
  return dir;
}

describe('dialin-sim test', () => {
  it('prints a line per scenario and a summary', async () => {
    const { code, out } = await cli('test', await suiteCopy());
    expect(code).toBe(0);
    expect(out[0]).toMatch(/^✓ fast-keying-40ms \(\d+ ms\)$/);
    expect(out[1]).toMatch(/^✓ three-wrong-pins-hangs-up \(\d+ ms\)$/);
    expect(out.at(-1)).toBe('2 scenarios: 2 passed, 0 failed');
  });

  it('runs the bundled folder by default', async () => {
    const { code, out } = await cli('test');
    expect(code).toBe(0);
    expect(out.at(-1)).toMatch(/^\d+ scenarios: (\d+) passed, 0 failed$/);
  });

  it('fails with a unified diff when a run no longer matches its golden transcript', async () => {
    const dir = await suiteCopy();
    const { code, out } = await cli('test', '--flow', 'maxPinAttempts=2', dir);
    expect(code).toBe(1);
    const text = out.join('\n');
    expect(text).toMatch(/✗ three-wrong-pins-hangs-up/);
    expect(text).toContain(`transcript differs from ${join(dir, 'three-wrong-pins-hangs-up.transcript')}`);
    expect(text).toMatch(/^ {6}@@ -\d+,\d+ \+\d+,\d+ @@$/m);
    expect(text).toMatch(/^ {6}-  0:06  guesser  prompt    invalid-pin$/m);
    expect(out.at(-1)).toBe('2 scenarios: 1 passed, 1 failed');
  });

  it('writes a JUnit report CI systems can read', async () => {
    const dir = await suiteCopy();
    const report = join(dir, 'junit.xml');
    await writeFile(join(dir, 'fast-keying-40ms.transcript'), 'edited\n');
    const { code } = await cli('test', '--junit', report, dir);
    expect(code).toBe(1);
    const root = parseXml(await readFile(report, 'utf8'));
    expect(root.attributes).toMatchObject({ tests: '2', failures: '1', errors: '0' });
    const cases = root.children[0]!.children;
    expect(cases.map((testCase) => testCase.attributes.name)).toEqual(NAMES);
    expect(cases[0]!.children[0]).toMatchObject({ name: 'failure', attributes: { type: 'transcript' } });
    expect(cases[0]!.children[0]!.text).toContain('+++ this run');
    expect(cases[1]!.children).toEqual([]);
  });

  it('reports a malformed scenario as an error and still runs the others', async () => {
    const dir = await suiteCopy();
    await writeFile(join(dir, 'broken.yaml'), 'name: broken\ncalls:\n  - id: c\n    steps: [ { press: "1" } ]\n');
    const report = join(dir, 'junit.xml');
    const { code, out } = await cli('test', '--junit', report, dir);
    expect(code).toBe(1);
    expect(out).toContain(`    ${join(dir, 'broken.yaml')}:1: missing field 'deployment'`);
    expect(out.at(-1)).toBe('3 scenarios: 2 passed, 1 failed');
    const root = parseXml(await readFile(report, 'utf8'));
    expect(root.attributes).toMatchObject({ tests: '3', failures: '0', errors: '1' });
  });

  it('lists every problem of a malformed scenario, each indented on its own line', async () => {
    const dir = await suiteCopy();
    await cp(join('scenarios', 'deployment.yaml'), join(dir, 'deployment.yaml'));
    await writeFile(join(dir, 'broken.yaml'), 'name: broken\ndeployment: ./deployment.yaml\ncalls:\n  - id: c\n    at: 30\n    steps:\n      - press: "1x"\n');
    const { code, out } = await cli('test', dir);
    expect(code).toBe(1);
    const file = join(dir, 'broken.yaml');
    const at = out.indexOf(`    ${file}:5: calls[0].at: '30' needs a unit: 30s or 30ms (a bare number means milliseconds only in fields whose name ends in Ms)`);
    expect(at).toBeGreaterThan(0);
    expect(out[at + 1]).toBe(`    ${file}:7: calls[0].steps[0].press: '1x' has 'x', not a DTMF key (0-9 * # A-D)`);
  });

  it('runs every YAML file but deployment files, so a misspelt calls: or a syntax error fails the suite', async () => {
    const dir = await suiteCopy();
    await cp(join('scenarios', 'deployment.yaml'), join(dir, 'deployment.yaml'));
    await writeFile(join(dir, 'misspelt.yaml'), 'name: misspelt\ndeployment: ./deployment.yaml\ncals:\n  - id: c\n    steps: []\n');
    await writeFile(join(dir, 'unclosed.yml'), 'name: "unclosed\ndeployment: ./deployment.yaml\ncalls:\n  - id: c\n    steps: []\n');
    const { code, out } = await cli('test', dir);
    expect(code).toBe(1);
    expect(out).toContain(`    ${join(dir, 'misspelt.yaml')}:3: unknown field 'cals' (did you mean 'calls'?); known fields: name, description, deployment, calls, expect, options`);
    expect(out).toContain(`    ${join(dir, 'unclosed.yml')}:1: not valid YAML: Missing closing "quote (opened on line 1, still open at the end of the file)`);
    expect(out.some((line) => /^. deployment /.test(line))).toBe(false);
    expect(out.at(-1)).toBe('4 scenarios: 2 passed, 2 failed');
  });

  it('writes golden transcripts with --update and hints at it when one is missing', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'dialin-update-'));
    await cp(join('scenarios', 'fast-keying-40ms.yaml'), join(dir, 'fast-keying-40ms.yaml'));
    const missing = await cli('test', dir);
    expect(missing.code).toBe(1);
    expect(missing.out).toContain(`    no golden transcript ${join(dir, 'fast-keying-40ms.transcript')}; run 'dialin-sim test --update' to create it (then read it)`);
    const updated = await cli('test', '--update', dir);
    expect(updated.code).toBe(0);
    expect(updated.out[0]).toMatch(/^✓ fast-keying-40ms \(\d+ ms\) transcript written$/);
    expect(updated.out.at(-1)).toBe('1 scenario: 1 passed, 0 failed, 1 transcript written');
    expect(await readFile(join(dir, 'fast-keying-40ms.transcript'), 'utf8')).toBe(await readFile(join('scenarios', 'fast-keying-40ms.transcript'), 'utf8'));
  });

  it('says so when a folder has no scenarios or does not exist', async () => {
    const empty = await mkdtemp(join(tmpdir(), 'dialin-empty-'));
    await mkdir(join(empty, 'sub'));
    await writeFile(join(empty, 'deployment.yaml'), 'users: []\n');
    expect(await cli('test', empty)).toMatchObject({ code: 1, err: [`dialin-sim test: no scenarios in ${empty} (every *.yaml or *.yml file is one, except deployment files)`] });
    expect(await cli('test', join(empty, 'nope'))).toMatchObject({ code: 1, err: [`dialin-sim test: ${join(empty, 'nope')}: no such folder`] });
    expect((await cli('test', 'a', 'b')).code).toBe(2);
  });
});

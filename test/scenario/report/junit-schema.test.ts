/**
 * The report `dialin-sim test --junit` writes is valid against the JUnit
 * schema CI systems read, checked by an independent validator (libxml2's
 * xmllint), not by the project's own reading of the format.
 */
import { spawnSync } from 'node:child_process';
import { cp, mkdtemp, readFile, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { main } from '../../../src/cli/main.ts';

const SCHEMA = fileURLToPath(new URL('../../fixtures/junit/junit-10.xsd', import.meta.url));

function validate(xmlFile: string): { ok: boolean; output: string } {
  const run = spawnSync('xmllint', ['--noout', '--schema', SCHEMA, xmlFile], { encoding: 'utf8' });
  if (run.error) throw new Error(`xmllint is needed (apt-get install libxml2-utils): ${run.error.message}`);
  return { ok: run.status === 0, output: run.stderr };
}

describe('JUnit report against the JUnit XML schema', () => {
  it('validates with a passing case, a failed one and a malformed scenario', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'dialin-junit-'));
    for (const name of ['fast-keying-40ms', 'three-wrong-pins-hangs-up']) {
      await cp(join('scenarios', `${name}.yaml`), join(dir, `${name}.yaml`));
      await cp(join('scenarios', `${name}.transcript`), join(dir, `${name}.transcript`));
    }
    await writeFile(join(dir, 'fast-keying-40ms.transcript'), 'a transcript that no longer matches <&>\n');
    await writeFile(join(dir, 'broken.yaml'), 'name: broken\ncalls:\n  - id: c\n    steps: [ { press: "1" } ]\n');
    const report = join(dir, 'junit.xml');
    expect(await main(['test', '--junit', report, dir], { out: () => {}, err: () => {} })).toBe(1);

    const result = validate(report);
    expect(result.output).toContain('validates');
    expect(result.ok).toBe(true);
    const xml = await readFile(report, 'utf8');
    expect(xml).toMatch(/<failure [^>]*type="transcript"/);
    expect(xml).toMatch(/<error [^>]*message="[^"]*broken\.yaml:1: /);
  });

  it('is a schema that rejects what CI systems would not read', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'dialin-junit-'));
    const bad = join(dir, 'bad.xml');
    await writeFile(bad, '<testsuites><testsuite name="s" tests="one"><testcase/></testsuite></testsuites>\n');
    const result = validate(bad);
    expect(result.ok).toBe(false);
    expect(result.output).toMatch(/tests.*one|'name' is required/);
  });
});

import { mkdtemp, readdir, readFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { main } from '../../src/cli/main.ts';
import { callMachine } from '../../src/flow/call-machine.ts';
import { catalogueMachine } from '../../src/scenario/coverage/machine-transitions.ts';
import { parseScenario } from '../../src/scenario/parse/parse-scenario.ts';

describe('dialin-sim paths', () => {
  it('generates scenarios that take every transition, runs them and reports coverage', async () => {
    const out: string[] = [];
    const err: string[] = [];
    const dir = await mkdtemp(join(tmpdir(), 'dialin-paths-'));
    const code = await main(['paths', '--out', dir], { out: (line) => out.push(line), err: (line) => err.push(line) });
    const catalogue = catalogueMachine(callMachine);
    expect(out[0]).toBe(`call machine: ${catalogue.states.length} states, ${catalogue.transitions.length} transitions`);
    const generated = Number(/^generated (\d+) scenarios from its graph/.exec(out[1]!)![1]);
    expect(out[2]).toBe(`  ✓ ${generated} passed, 0 failed`);
    const total = catalogue.transitions.length;
    expect(out.some((line) => line.startsWith('  generated (') && line.endsWith(`${total}/${total} 100%`))).toBe(true);
    expect(out.some((line) => line.startsWith('transitions no scenario takes'))).toBe(false);
    expect(code).toBe(0);
    const files = (await readdir(dir)).sort();
    expect(files).toHaveLength(generated);
    const spec = await parseScenario(await readFile(join(dir, files[0]!), 'utf8'), join(dir, files[0]!));
    expect(spec.calls[0]!.steps.length).toBeGreaterThan(2);
  }, 60_000);
});

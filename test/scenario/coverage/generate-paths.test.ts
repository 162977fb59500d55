import { describe, expect, it } from 'vitest';
import { callMachine } from '../../../src/flow/call-machine.ts';
import { generatePaths } from '../../../src/scenario/coverage/generate-paths.ts';
import { catalogueMachine } from '../../../src/scenario/coverage/machine-transitions.ts';
import { describePath, pathScenarioYaml } from '../../../src/scenario/coverage/path-scenario.ts';
import { worldDirectory } from '../../../src/scenario/coverage/paths-world.ts';
import { parseScenario } from '../../../src/scenario/parse/parse-scenario.ts';
import { runScenario } from '../../../src/scenario/run/run-scenario.ts';
import { formatRun } from '../../../src/scenario/report/timeline.ts';

describe('paths generated from the call machine graph', () => {
  const catalogue = catalogueMachine(callMachine);
  const generation = generatePaths(catalogue);

  it('take every transition of the call machine in the model', () => {
    expect(generation.unreachable).toEqual([]);
    const taken = new Set<object>();
    for (const path of generation.paths) for (const definition of path.transitions) taken.add(definition);
    const missed = catalogue.transitions.filter((transition) => !taken.has(transition.definition)).map((transition) => transition.key);
    expect(missed).toEqual([]);
    // A cover, not an enumeration: far fewer paths than transitions.
    expect(generation.paths.length).toBeLessThan(catalogue.transitions.length);
    for (const world of ['fresh', 'expired', 'strict', 'one-key-pins']) expect(generation.statesExplored[world]).toBeGreaterThan(100);
  });

  it('become scenarios that pass against the real flow, directory and decoder', async () => {
    const failures: string[] = [];
    for (const [index, path] of generation.paths.entries()) {
      const yaml = pathScenarioYaml(path, index);
      const result = await runScenario(await parseScenario(yaml, `path-${index + 1}.yaml`), { wrapDirectory: (directory) => worldDirectory(path.world, directory) });
      if (!result.passed) failures.push([yaml, ...formatRun(result, false)].join('\n'));
    }
    expect(failures).toEqual([]);
  }, 30_000);

  it('fail when the real flow departs from the model', async () => {
    // Run a path that keys a wrong PIN with one attempt fewer than the model assumes.
    const path = generation.paths.find((candidate) => describePath(candidate).includes('keys 9#') && candidate.world.name === 'fresh')!;
    expect(path).toBeDefined();
    const yaml = pathScenarioYaml(path, 0);
    const spec = await parseScenario(yaml, 'path.yaml');
    const result = await runScenario(spec, { wrapDirectory: (directory) => worldDirectory(path.world, directory), flow: { maxPinAttempts: 1 } });
    expect(result.passed).toBe(false);
  });

  it('write the model prediction after every input', () => {
    const yaml = pathScenarioYaml(generation.paths[0]!, 0);
    const steps = yaml.split('\n').filter((line) => line.startsWith('      - '));
    const inputs = steps.filter((line) => !line.startsWith('      - expect:'));
    expect(inputs.length).toBeGreaterThan(0);
    // Each input is followed by an expectation.
    steps.forEach((line, index) => {
      if (!line.startsWith('      - expect:')) expect(steps[index + 1]).toMatch(/^ {6}- expect: \{ state: /);
    });
  });
});

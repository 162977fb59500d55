/**
 * `dialin-sim paths`: generates scenarios from the call machine's graph,
 * runs them (keys as real audio through the decoder, against the real
 * SQLite directory with two injected failures), and measures the state and
 * transition coverage of the bundled scenarios and of the generated ones.
 *
 * Coverage of a run is measured by XState inspection of the Ivr's actors.
 * The model's own count is reported too: each generated scenario checks the
 * model's prediction after every input, so when it passes, the transitions
 * the model counts for it are the ones the flow took.
 */
import { readFile } from 'node:fs/promises';
import { callMachine } from '../../flow/call-machine.ts';
import { isDialinError } from '../../errors.ts';
import { parseScenario } from '../parse/parse-scenario.ts';
import { runScenario } from '../run/run-scenario.ts';
import { findScenarioFiles } from '../report/run-suite.ts';
import type { ScenarioResult } from '../scenario-result.ts';
import { CoverageRecorder } from './coverage-recorder.ts';
import { generatePaths } from './generate-paths.ts';
import { catalogueMachine, type MachineCatalogue } from './machine-transitions.ts';
import { pathScenarioYaml } from './path-scenario.ts';
import { worldDirectory } from './paths-world.ts';

export interface GeneratedRun {
  readonly file: string;
  readonly yaml: string;
  readonly result: ScenarioResult;
}

export interface PathsReport {
  readonly catalogue: MachineCatalogue;
  readonly statesExplored: Readonly<Record<string, number>>;
  readonly generated: readonly GeneratedRun[];
  /** Measured on the generated runs. */
  readonly generatedCoverage: CoverageRecorder;
  /** What the model says the generated paths take. */
  readonly modelCoverage: CoverageRecorder;
  /** Measured on the bundled scenarios. */
  readonly bundledCoverage: CoverageRecorder;
  readonly bundledFiles: readonly string[];
  readonly bundledFailures: readonly string[];
}

export interface PathsOptions {
  /** The folder of bundled scenarios to measure. */
  scenariosDir: string;
  /** Called as each generated scenario finishes. */
  onRun: ((run: GeneratedRun, index: number, total: number) => void) | undefined;
}

export async function runPaths(partial: Partial<PathsOptions> = {}): Promise<PathsReport> {
  const options: PathsOptions = { scenariosDir: 'scenarios', onRun: undefined, ...partial };
  const catalogue = catalogueMachine(callMachine);
  const generation = generatePaths(catalogue);
  const generatedCoverage = new CoverageRecorder(callMachine);
  const modelCoverage = new CoverageRecorder(callMachine);
  const generated: GeneratedRun[] = [];
  for (const [index, path] of generation.paths.entries()) {
    for (const definition of path.transitions) modelCoverage.transitions.add(definition);
    modelCoverage.addStates(path.start.call);
    for (const step of path.steps) modelCoverage.addStates(step.after.call);
    const file = `generated/path-${String(index + 1).padStart(3, '0')}-${path.world.name}.yaml`;
    const yaml = pathScenarioYaml(path, index);
    const spec = await parseScenario(yaml, file);
    const result = await runScenario(spec, { wrapDirectory: (directory) => worldDirectory(path.world, directory), inspect: generatedCoverage.inspect });
    const run = { file, yaml, result };
    generated.push(run);
    options.onRun?.(run, index, generation.paths.length);
  }
  const bundledCoverage = new CoverageRecorder(callMachine);
  const bundledFiles = await findScenarioFiles(options.scenariosDir);
  const bundledFailures: string[] = [];
  for (const file of bundledFiles) {
    try {
      const result = await runScenario(await parseScenario(await readFile(file, 'utf8'), file), { inspect: bundledCoverage.inspect });
      if (!result.passed) bundledFailures.push(file);
    } catch (error) {
      if (!isDialinError(error)) throw error;
      bundledFailures.push(`${file}: ${error.message}`);
    }
  }
  return {
    catalogue,
    statesExplored: generation.statesExplored,
    generated,
    generatedCoverage,
    modelCoverage,
    bundledCoverage,
    bundledFiles,
    bundledFailures,
  };
}

export interface CoverageFigures {
  readonly states: number;
  readonly statesTotal: number;
  readonly transitions: number;
  readonly transitionsTotal: number;
}

/**
 * States reached: those seen active, plus every source and target of a
 * taken transition and their ancestors (states passed through inside one
 * step, such as a directory lookup, never show in a settled snapshot).
 */
export function statesReached(catalogue: MachineCatalogue, coverage: CoverageRecorder): Set<string> {
  const reached = new Set(coverage.states);
  const addWithAncestors = (path: string) => {
    const parts = path.split('.');
    for (let i = 1; i <= parts.length; i++) reached.add(parts.slice(0, i).join('.'));
  };
  for (const transition of catalogue.transitions) {
    if (!coverage.transitions.has(transition.definition)) continue;
    if (transition.source !== '(root)') addWithAncestors(transition.source);
    for (const target of transition.targets) addWithAncestors(target);
  }
  return reached;
}

export function coverageFigures(catalogue: MachineCatalogue, coverage: CoverageRecorder): CoverageFigures {
  const reached = statesReached(catalogue, coverage);
  return {
    states: catalogue.states.filter((state) => reached.has(state)).length,
    statesTotal: catalogue.states.length,
    transitions: catalogue.transitions.filter((transition) => coverage.transitions.has(transition.definition)).length,
    transitionsTotal: catalogue.transitions.length,
  };
}

/** Keys of the catalogue's transitions a coverage did not take. */
export function missedTransitions(catalogue: MachineCatalogue, coverage: CoverageRecorder): string[] {
  return catalogue.transitions.filter((transition) => !coverage.transitions.has(transition.definition)).map((transition) => transition.key);
}

import { mkdir, writeFile } from 'node:fs/promises';
import { basename, join } from 'node:path';
import { DialinError, UsageError } from '../../errors.ts';
import { coverageFigures, missedTransitions, runPaths, type CoverageFigures } from '../../scenario/coverage/run-paths.ts';
import { CoverageRecorder } from '../../scenario/coverage/coverage-recorder.ts';
import { formatRun, paint } from '../../scenario/report/timeline.ts';
import { useColor } from '../../scenario/report/use-color.ts';
import { parseCommandArgs } from '../args.ts';
import type { CliIo, Command } from '../command.ts';

const usage = `usage: dialin-sim paths [--scenarios DIR] [--out DIR] [--verbose] [--color|--no-color]

Generates call scenarios from the call machine's graph that reach every
state and take every transition, runs them, and reports the state and
transition coverage of the bundled scenarios and of the generated ones.

How: @xstate/graph walks the call machine inside a model of one caller, its
conference and a small directory (four variants: fresh PINs, expired PINs,
lockout on the first wrong PIN, one-key PINs). Every edge of the walk gives
a candidate path; a greedy cover keeps the fewest that take every
transition. Each path becomes a scenario: keys are pressed as real audio
through the decoder, against the real directory (with injected failures for
the error transitions), and after each input the scenario expects what the
model predicts (state, prompt, digits heard), so a path passes only if the
real flow behaves as the model says. Coverage of real runs is measured by
XState inspection of the Ivr's actors.

Options:
  --scenarios DIR  bundled scenarios to measure (default scenarios)
  --out DIR        also write the generated scenarios there as YAML
  --verbose        list every transition the bundled scenarios miss
                   (default: the first 15)

Exit status: 0 when every generated scenario passes and together they take
every transition, 1 otherwise.`;

function percent(part: number, whole: number): string {
  return `${whole === 0 ? 100 : Math.floor((part * 100) / whole)}%`.padStart(4);
}

function row(label: string, figures: CoverageFigures): string {
  const states = `${figures.states}/${figures.statesTotal} ${percent(figures.states, figures.statesTotal)}`;
  const transitions = `${figures.transitions}/${figures.transitionsTotal} ${percent(figures.transitions, figures.transitionsTotal)}`;
  return `  ${label.padEnd(34)} ${states.padEnd(14)} ${transitions}`;
}

export const command: Command = {
  summary: 'generate scenarios from the call graph and report flow coverage',
  usage,
  async run(args: string[], io: CliIo): Promise<number> {
    const { values, positionals } = parseCommandArgs(args, {
      scenarios: { type: 'string', default: 'scenarios', expects: 'a folder name' },
      out: { type: 'string', expects: 'a folder name' },
      verbose: { type: 'boolean', default: false },
      color: { type: 'boolean' },
      'no-color': { type: 'boolean' },
    });
    if (positionals.length > 0) throw new UsageError(`paths takes no arguments, got '${positionals[0]}'`);
    const color = useColor(values.color, values['no-color']);
    const report = await runPaths({ scenariosDir: values.scenarios });
    const { catalogue } = report;
    const explored = Object.entries(report.statesExplored).map(([world, count]) => `${count} ${world}`).join(', ');
    io.out(`call machine: ${catalogue.states.length} states, ${catalogue.transitions.length} transitions`);
    io.out(`generated ${report.generated.length} scenarios from its graph (model states explored: ${explored})`);
    const failed = report.generated.filter((run) => !run.result.passed);
    io.out(`  ${failed.length === 0 ? paint('✓', 'green', color) : paint('✗', 'red', color)} ${report.generated.length - failed.length} passed, ${failed.length} failed`);
    for (const run of failed) {
      io.out('');
      io.out(paint(`${run.file}:`, 'red', color));
      for (const line of run.yaml.trimEnd().split('\n')) io.out(`    ${line}`);
      for (const line of formatRun(run.result, color)) io.out(`  ${line}`);
    }
    if (values.out !== undefined) {
      await mkdir(values.out, { recursive: true }).catch((error: Error) => {
        throw new DialinError('E_PATHS_OUT', `cannot create ${values.out}: ${error.message}`);
      });
      for (const run of report.generated) await writeFile(join(values.out, basename(run.file)), run.yaml);
      io.out(`  wrote ${report.generated.length} scenario files to ${values.out}`);
    }

    io.out('');
    io.out(`coverage${' '.repeat(29)}states${' '.repeat(9)}transitions`);
    const bundledLabel = `bundled (${values.scenarios}, ${report.bundledFiles.length} files)`;
    const combined = new CoverageRecorder(report.catalogue.machine);
    combined.merge(report.bundledCoverage);
    combined.merge(report.generatedCoverage);
    io.out(row(bundledLabel, coverageFigures(catalogue, report.bundledCoverage)));
    io.out(row('generated (measured)', coverageFigures(catalogue, report.generatedCoverage)));
    io.out(row('generated (model)', coverageFigures(catalogue, report.modelCoverage)));
    io.out(row('bundled + generated', coverageFigures(catalogue, combined)));
    if (report.bundledFailures.length > 0) io.out(paint(`  (${report.bundledFailures.length} bundled scenarios fail: run 'dialin-sim test ${values.scenarios}')`, 'yellow', color));

    const missed = missedTransitions(catalogue, report.bundledCoverage);
    if (missed.length > 0) {
      io.out('');
      io.out(`transitions the bundled scenarios do not take (${missed.length}):`);
      const shown = values.verbose ? missed : missed.slice(0, 15);
      for (const key of shown) io.out(`  ${key}`);
      if (shown.length < missed.length) io.out(`  … ${missed.length - shown.length} more (--verbose lists them all)`);
    }
    const notTaken = missedTransitions(catalogue, combined);
    if (notTaken.length > 0) {
      io.out('');
      io.out(paint(`transitions no scenario takes (${notTaken.length}):`, 'red', color));
      for (const key of notTaken) io.out(`  ${key}`);
    }
    return failed.length === 0 && notTaken.length === 0 ? 0 : 1;
  },
};

import { readFile } from 'node:fs/promises';
import { DialinError, UsageError } from '../../errors.ts';
import { createDigitDecoder } from '../../engines/create-digit-decoder.ts';
import { ENGINE_NAMES, type EngineName } from '../../engines/digit-decoder.ts';
import { parseFlowOverrides } from '../flow-overrides.ts';
import { parseScenario } from '../../scenario/parse/parse-scenario.ts';
import { runScenario } from '../../scenario/run/run-scenario.ts';
import { ScenarioError } from '../../scenario/parse/scenario-error.ts';
import type { ScenarioSpec } from '../../scenario/parse/scenario-schema.ts';
import { formatRun } from '../../scenario/report/timeline.ts';
import { writeRecordings } from '../../scenario/record/write-recordings.ts';
import { parseCommandArgs } from '../args.ts';
import type { CliIo, Command } from '../command.ts';
import { useColor } from '../../scenario/report/use-color.ts';

const usage = `usage: dialin-sim run [--json] [--record DIR] [--flow KEY=VALUE]... [--engine NAME] [--color|--no-color] FILE...

Runs call scenarios (YAML) on a simulated clock and prints each one's
timeline: simulated time, call, what happened (prompts, digits heard,
states, admissions, hang-ups) and every expectation with ✓ or ✗:

    0:44.380  amos   press     24680#  (heard 24680#)
    0:45.080  amos   pin       accepted
    0:46.700  amos   ✓ expect  state in-meeting

Every file is checked before any runs; a malformed one stops the command
with 'FILE:LINE: field: problem'.

Options:
  --json            the timeline as JSON lines, one event per line, with a
                    "scenario" field; then one {"type":"scenario-result"} line
                    per scenario with its expectations
  --record DIR      write each call as DIR/<scenario>/<call>.wav (stereo,
                    left: caller, right: IVR) and <call>.svg (a picture of
                    the call); stretches over 20 s where nothing happens are
                    shortened to their first and last 4 s
  --flow KEY=VALUE  override a flow option for this run (repeatable), e.g.
                    --flow maxPinAttempts=2 --flow interDigitTimeoutMs=3s
  --engine NAME     the DTMF decoder every call uses: ${ENGINE_NAMES.join(' or ')}
                    (default native)
  --color, --no-color
                    colours (default: when stdout is a terminal and NO_COLOR
                    is not set)

Exit status: 0 when every expectation holds, 1 when any fails or a
scenario cannot run, 2 for a bad command line.`;

export async function loadScenarios(files: readonly string[]): Promise<ScenarioSpec[]> {
  const specs: ScenarioSpec[] = [];
  for (const file of files) {
    const text = await readFile(file, 'utf8').catch((error: NodeJS.ErrnoException) => {
      throw new ScenarioError('E_SCENARIO_FILE', file, undefined, undefined, error.code === 'ENOENT' ? 'no such file' : `cannot read: ${error.message}`);
    });
    specs.push(await parseScenario(text, file));
  }
  return specs;
}

export function engineOption(value: string): EngineName {
  if (!(ENGINE_NAMES as readonly string[]).includes(value)) throw new UsageError(`--engine must be ${ENGINE_NAMES.join(' or ')}, got '${value}'`);
  return value as EngineName;
}

export const command: Command = {
  summary: 'run call scenarios and print their timelines',
  usage,
  async run(args: string[], io: CliIo): Promise<number> {
    const { values, positionals } = parseCommandArgs(args, {
      json: { type: 'boolean', default: false },
      record: { type: 'string', expects: 'a folder name' },
      flow: { type: 'string', multiple: true, default: [], expects: 'KEY=VALUE' },
      engine: { type: 'string', default: 'native', expects: ENGINE_NAMES.join(' or ') },
      color: { type: 'boolean' },
      'no-color': { type: 'boolean' },
    });
    if (positionals.length === 0) throw new UsageError("no scenario files given (see 'dialin-sim run --help')");
    if (values.record === '') throw new UsageError('--record needs a directory');
    const flow = parseFlowOverrides(values.flow);
    const engine = engineOption(values.engine);
    const color = useColor(values.color, values['no-color']);
    const specs = await loadScenarios(positionals);
    let failed = 0;
    for (const [index, spec] of specs.entries()) {
      const result = await runScenario(spec, { flow, record: values.record !== undefined, createDecoder: (rate) => createDigitDecoder(engine, rate) });
      if (!result.passed) failed++;
      if (values.json) {
        for (const event of result.timeline) io.out(JSON.stringify({ scenario: spec.name, ...event }));
        io.out(JSON.stringify({ type: 'scenario-result', scenario: spec.name, file: spec.file, passed: result.passed, simulatedMs: result.simulatedMs, expectations: result.expectations }));
      } else {
        if (index > 0) io.out('');
        for (const line of formatRun(result, color)) io.out(line);
      }
      if (values.record !== undefined) {
        const written = await writeRecordings(values.record, result).catch((error: Error) => {
          throw new DialinError('E_RECORDING', `cannot write recordings to ${values.record}: ${error.message}`);
        });
        if (!values.json) for (const path of written) io.out(`  recorded ${path}`);
      }
    }
    if (specs.length > 1 && !values.json) io.out(`\n${specs.length} scenarios: ${specs.length - failed} passed, ${failed} failed`);
    return failed > 0 ? 1 : 0;
  },
};

import { writeFile } from 'node:fs/promises';
import { DialinError, UsageError } from '../../errors.ts';
import { createDigitDecoder } from '../../engines/create-digit-decoder.ts';
import { ENGINE_NAMES } from '../../engines/digit-decoder.ts';
import { engineOption } from './run.ts';
import { formatClock } from '../../scenario/duration.ts';
import { parseFlowOverrides } from '../flow-overrides.ts';
import { formatJunit, type JunitCase } from '../../scenario/report/junit.ts';
import { runSuite, type SuiteCase } from '../../scenario/report/run-suite.ts';
import { formatTranscript } from '../../scenario/report/transcript.ts';
import { paint } from '../../scenario/report/timeline.ts';
import { useColor } from '../../scenario/report/use-color.ts';
import { parseCommandArgs } from '../args.ts';
import type { CliIo, Command } from '../command.ts';

const usage = `usage: dialin-sim test [--update] [--junit FILE] [--flow KEY=VALUE]... [--engine NAME] [--color|--no-color] [DIR]

The regression test of the call flows: runs every scenario in DIR (default
'scenarios'; every *.yaml or *.yml file except deployment files, which have
only tenant, policy, users and conferences at the top) and compares each
run with its golden transcript, <name>.transcript next to the scenario.
Prints a line per scenario as it finishes and a summary:

  ✓ organizer-pin-starts-meeting-admits-lobby (23 ms)
  ✗ three-wrong-pins-hangs-up (19 ms)
      transcript differs from scenarios/three-wrong-pins-hangs-up.transcript:
      --- ... (a unified diff)
  16 scenarios: 15 passed, 1 failed

A scenario fails when an expectation fails, when it cannot run (malformed
file: a YAML syntax error, a misspelt key), or when its transcript differs
from the golden one. A transcript holds the timeline without volatile
detail (no wall-clock times, times to the whole simulated second, digits as
heard per press).

Options:
  --update          (re)write the golden transcript of every scenario that
                    passes its expectations (failing ones are left alone)
  --junit FILE      also write a JUnit XML report for CI
  --flow KEY=VALUE  run with a flow option changed (repeatable), e.g.
                    --flow maxPinAttempts=2: shows which behaviours change
  --engine NAME     the DTMF decoder: ${ENGINE_NAMES.join(' or ')} (default native)
  --color, --no-color
                    colours (default: when stdout is a terminal and NO_COLOR
                    is not set)

Exit status: 0 when every scenario passes, 1 otherwise, 2 for a bad
command line.`;

function describeCase(testCase: SuiteCase, color: boolean): string[] {
  const time = paint(`(${Math.round(testCase.wallMs)} ms)`, 'dim', color);
  const mark = testCase.passed ? paint('✓', 'green', color) : paint('✗', 'red', color);
  const note = testCase.transcript === 'updated' ? paint(' transcript written', 'yellow', color) : '';
  const lines = [`${mark} ${testCase.name} ${time}${note}`];
  if (testCase.passed) return lines;
  const indent = (line: string) => `    ${line}`;
  // A malformed file's error has one line per problem.
  if (testCase.error !== undefined) return [...lines, ...testCase.error.split('\n').map((line) => indent(paint(line, 'red', color)))];
  const result = testCase.result!;
  for (const expectation of result.expectations.filter((item) => !item.passed)) {
    const who = expectation.call === undefined ? 'at the end' : expectation.call;
    lines.push(indent(paint(`✗ ${formatClock(expectation.atMs)} ${who}: ${expectation.expectation} — ${expectation.problem ?? 'not met'} (${testCase.file}:${expectation.line})`, 'red', color)));
  }
  if (testCase.transcript === 'missing') {
    lines.push(indent(`no golden transcript ${testCase.transcriptFile}; run 'dialin-sim test --update' to create it (then read it)`));
  } else if (testCase.transcript === 'kept' && !result.passed) {
    lines.push(indent('transcript not updated: the scenario fails its expectations'));
  } else if (testCase.transcript === 'differs') {
    lines.push(indent(`transcript differs from ${testCase.transcriptFile} (if the change is intended: dialin-sim test --update):`));
    for (const line of testCase.diff ?? []) {
      const colour = line.startsWith('+') ? 'green' : line.startsWith('-') ? 'red' : line.startsWith('@@') ? 'cyan' : 'dim';
      lines.push(indent(`  ${paint(line, colour, color)}`));
    }
  }
  return lines;
}

function junitCase(testCase: SuiteCase): JunitCase {
  const base = { name: testCase.name, classname: testCase.file, timeMs: testCase.wallMs };
  if (testCase.error !== undefined) {
    return { ...base, error: { message: testCase.error, type: testCase.errorCode ?? 'error', details: testCase.error } };
  }
  if (testCase.passed) return base;
  const result = testCase.result!;
  const failed = result.expectations.filter((item) => !item.passed);
  const messages = failed.map((item) => `${item.call ?? 'at the end'}: ${item.expectation} — ${item.problem ?? 'not met'} (line ${item.line})`);
  if (testCase.transcript === 'missing') messages.push(`no golden transcript ${testCase.transcriptFile}`);
  if (testCase.transcript === 'differs') messages.push(`transcript differs from ${testCase.transcriptFile}`);
  const details = [...messages, '', ...(testCase.diff ?? []), '', formatTranscript(result)].join('\n');
  return { ...base, failure: { message: messages[0] ?? 'failed', type: failed.length > 0 ? 'expectation' : 'transcript', details } };
}

export const command: Command = {
  summary: 'run every scenario in a folder against its golden transcript',
  usage,
  async run(args: string[], io: CliIo): Promise<number> {
    const { values, positionals } = parseCommandArgs(args, {
      update: { type: 'boolean', default: false },
      junit: { type: 'string', expects: 'a file name' },
      flow: { type: 'string', multiple: true, default: [], expects: 'KEY=VALUE' },
      engine: { type: 'string', default: 'native', expects: ENGINE_NAMES.join(' or ') },
      color: { type: 'boolean' },
      'no-color': { type: 'boolean' },
    });
    if (positionals.length > 1) throw new UsageError(`test takes one folder, got ${positionals.length}`);
    if (values.junit === '') throw new UsageError('--junit needs a file name');
    const dir = positionals[0] ?? 'scenarios';
    const flow = parseFlowOverrides(values.flow);
    const engine = engineOption(values.engine);
    const color = useColor(values.color, values['no-color']);
    const started = Date.now();
    const cases = await runSuite(dir, {
      update: values.update,
      flow,
      createDecoder: (rate) => createDigitDecoder(engine, rate),
      onCase: (testCase) => describeCase(testCase, color).forEach((line) => io.out(line)),
    });
    if (cases.length === 0) {
      io.err(`dialin-sim test: no scenarios in ${dir} (every *.yaml or *.yml file is one, except deployment files)`);
      return 1;
    }
    const failed = cases.filter((testCase) => !testCase.passed).length;
    const updated = cases.filter((testCase) => testCase.transcript === 'updated').length;
    const summary = `${cases.length} scenario${cases.length === 1 ? '' : 's'}: ${cases.length - failed} passed, ${failed} failed${values.update ? `, ${updated} transcript${updated === 1 ? '' : 's'} written` : ''}`;
    io.out(paint(summary, failed > 0 ? 'red' : 'green', color));
    if (values.junit !== undefined) {
      const xml = formatJunit([{ name: dir, cases: cases.map(junitCase), timestamp: new Date(started).toISOString() }]);
      await writeFile(values.junit, xml).catch((error: Error) => {
        throw new DialinError('E_JUNIT', `cannot write ${values.junit}: ${error.message}`);
      });
    }
    return failed > 0 ? 1 : 0;
  },
};

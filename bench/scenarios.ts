/**
 * Scenario runner benchmark: the bundled suite's wall time, and one
 * scenario with 1,000 callers waiting an hour of simulated time in the
 * lobby before the organizer starts the meeting and admits them all.
 * Targets: suite < 5 s, the 1,000-caller hour < 2 s.
 */
import { spawnSync } from 'node:child_process';
import { performance } from 'node:perf_hooks';
import { parseScenario } from '../src/scenario/parse-scenario.ts';
import { defaultPrompts, runScenario } from '../src/scenario/run-scenario.ts';
import { runSuite } from '../src/scenario/run-suite.ts';

const CALLERS = 1000;

/** 1,000 guests dial in over 100 s, wait in the lobby, and are admitted when the organizer keys the PIN an hour later. */
export function crowdScenarioYaml(callers = CALLERS): string {
  const guests = Array.from({ length: callers }, (_, i) => `  - id: guest-${i + 1}
    at: ${i * 100}ms
    steps:
      - press: { digits: "123456#", leadMs: 3000 }
      - press: { digits: "#", leadMs: 500 }
      - expect: { state: lobby }
      - expect: { admitted: true, within: 2h }`);
  return `name: ${callers} callers wait an hour for the organizer
deployment:
  users:
    - { id: amos, name: Amos Marble, email: amos@contoso.com, pin: "24680" }
  conferences:
    - { id: "123456", organizer: amos }
calls:
${guests.join('\n')}
  - id: amos
    at: 1h
    steps:
      - press: { digits: "123456#", leadMs: 3000 }
      - press: { digits: "*", leadMs: 500 }
      - expect: { prompt: enter-pin }
      - press: "24680#"
      - expect: { state: in-meeting }
expect:
  - { conference: "123456", started: true, lobby: [] }
`;
}

function median(values: number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.floor(sorted.length / 2)]!;
}

export interface ScenarioResults {
  /** Bundled scenarios run. */
  count: number;
  /** Medians, ms. */
  suiteMs: number;
  cliMs: number;
  crowdMs: number;
  /** Simulated time of the crowd scenario. */
  simulatedMs: number;
}

export const title = 'Scenario runner';

export async function measure(): Promise<ScenarioResults> {
  await defaultPrompts();
  const suiteTimes: number[] = [];
  let count = 0;
  for (let round = 0; round < 5; round++) {
    const started = performance.now();
    const cases = await runSuite('scenarios');
    suiteTimes.push(performance.now() - started);
    count = cases.length;
    const failed = cases.filter((testCase) => !testCase.passed);
    if (failed.length > 0) throw new Error(`bundled scenarios failed: ${failed.map((testCase) => testCase.name).join(', ')}`);
  }

  const spec = await parseScenario(crowdScenarioYaml(), 'bench/crowd.yaml');
  const crowdTimes: number[] = [];
  let simulatedMs = 0;
  for (let round = 0; round < 3; round++) {
    const result = await runScenario(spec);
    if (!result.passed) throw new Error('the 1,000-caller scenario failed');
    crowdTimes.push(result.wallMs);
    simulatedMs = result.simulatedMs;
  }
  // As a user runs it: a fresh process, TypeScript loaded through tsx.
  const cliTimes: number[] = [];
  for (let round = 0; round < 3; round++) {
    const started = performance.now();
    const run = spawnSync(process.execPath, ['bin/dialin-sim.js', 'test', 'scenarios'], { encoding: 'utf8' });
    cliTimes.push(performance.now() - started);
    if (run.status !== 0) throw new Error(`dialin-sim test scenarios failed:\n${run.stdout}${run.stderr}`);
  }
  return { count, suiteMs: median(suiteTimes), cliMs: median(cliTimes), crowdMs: median(crowdTimes), simulatedMs };
}

export function render(results: ScenarioResults): string[] {
  const { count, suiteMs, cliMs, crowdMs } = results;
  const hours = (results.simulatedMs / 3_600_000).toFixed(2);
  const verdict = (ms: number, limit: number) => `< ${limit / 1000} s: ${ms < limit ? 'met' : 'MISSED'}`;
  return [
    '| run | wall time (median) | target |',
    '| --- | --- | --- |',
    `| bundled suite: ${count} scenarios with golden transcripts, in process (median of 5) | ${Math.round(suiteMs)} ms | ${verdict(suiteMs, 5000)} |`,
    `| the same as \`dialin-sim test scenarios\` in a fresh process (median of 3) | ${Math.round(cliMs)} ms | ${verdict(cliMs, 5000)} |`,
    `| ${CALLERS} callers, ${hours} h simulated, lobby then admission (median of 3) | ${Math.round(crowdMs)} ms | ${verdict(crowdMs, 2000)} |`,
  ];
}

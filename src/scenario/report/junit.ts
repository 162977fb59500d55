/**
 * JUnit XML, the report format CI systems read (Jenkins, GitLab, GitHub
 * actions that annotate tests): `testsuites` > `testsuite` > `testcase`,
 * with a `failure` (an expectation not met) or `error` (the scenario could
 * not run) inside a failed case. Attribute names and nesting follow the
 * Ant JUnit schema that those tools share.
 */

export interface JunitCase {
  readonly name: string;
  /** Grouping shown by CI tools; the scenario file. */
  readonly classname: string;
  readonly timeMs: number;
  /** An expectation that was not met. */
  readonly failure?: { readonly message: string; readonly type: string; readonly details: string };
  /** The scenario could not run (malformed file, broken deployment). */
  readonly error?: { readonly message: string; readonly type: string; readonly details: string };
}

export interface JunitSuite {
  readonly name: string;
  readonly cases: readonly JunitCase[];
  /** ISO 8601 start time, when known. */
  readonly timestamp?: string;
}

/** Characters XML 1.0 does not allow at all (control characters other than tab, LF, CR). */
const INVALID_XML = /[\u0000-\u0008\u000b\u000c\u000e-\u001f\ufffe\uffff]/g;
/** ANSI colour sequences must never reach a report. */
const ANSI_SEQUENCE = /\u001b\[[0-9;]*m/g;

export function escapeXml(text: string): string {
  return text
    .replace(ANSI_SEQUENCE, '')
    .replace(INVALID_XML, '\ufffd')
    .replace(/&/g, '&amp;')
    .replace(/</g, '&lt;')
    .replace(/>/g, '&gt;')
    .replace(/"/g, '&quot;')
    .replace(/'/g, '&apos;');
}

function seconds(ms: number): string {
  return (ms / 1000).toFixed(3);
}

function element(name: string, attributes: Record<string, string | number>, body?: string): string {
  const attrs = Object.entries(attributes)
    .map(([key, value]) => ` ${key}="${escapeXml(String(value))}"`)
    .join('');
  return body === undefined ? `<${name}${attrs}/>` : `<${name}${attrs}>${body}</${name}>`;
}

function caseXml(testCase: JunitCase): string {
  const inner: string[] = [];
  for (const kind of ['failure', 'error'] as const) {
    const problem = testCase[kind];
    if (problem) inner.push(`      ${element(kind, { message: problem.message, type: problem.type }, escapeXml(problem.details))}`);
  }
  const attributes = { name: testCase.name, classname: testCase.classname, time: seconds(testCase.timeMs) };
  return inner.length === 0 ? `    ${element('testcase', attributes)}` : `    ${element('testcase', attributes, `\n${inner.join('\n')}\n    `)}`;
}

export function formatJunit(suites: readonly JunitSuite[]): string {
  const count = (cases: readonly JunitCase[], kind: 'failure' | 'error') => cases.filter((testCase) => testCase[kind] !== undefined).length;
  const all = suites.flatMap((suite) => suite.cases);
  const total = (cases: readonly JunitCase[]) => cases.reduce((sum, testCase) => sum + testCase.timeMs, 0);
  const lines = [
    '<?xml version="1.0" encoding="UTF-8"?>',
    `<testsuites name="dialin-sim" tests="${all.length}" failures="${count(all, 'failure')}" errors="${count(all, 'error')}" time="${seconds(total(all))}">`,
  ];
  for (const suite of suites) {
    const attributes: Record<string, string | number> = {
      name: suite.name,
      tests: suite.cases.length,
      failures: count(suite.cases, 'failure'),
      errors: count(suite.cases, 'error'),
      skipped: 0,
      time: seconds(total(suite.cases)),
    };
    if (suite.timestamp !== undefined) attributes.timestamp = suite.timestamp;
    const open = element('testsuite', attributes).replace(/\/>$/, '>');
    lines.push(`  ${open}`, ...suite.cases.map(caseXml), '  </testsuite>');
  }
  lines.push('</testsuites>');
  return lines.join('\n') + '\n';
}

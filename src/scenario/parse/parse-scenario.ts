/**
 * Scenario YAML → a validated ScenarioSpec. Every problem is found before
 * anything runs and reported as `file:line: path: problem` (ScenarioError).
 * Files the scenario names (a deployment file, `play` recordings) are read
 * through `ScenarioFiles`, relative to the scenario file.
 */
import { dirname, isAbsolute, join } from 'node:path';
import { isMap, isScalar, isSeq } from 'yaml';
import { looksLikeDeployment } from '../../directory/deployment.ts';
import { DEFAULT_FLOW_OPTIONS, resolveFlowOptions, type FlowOptions } from '../../flow/flow-options.ts';
import { isDialinError } from '../../errors.ts';
import { checkConference, checkUser, dtmfString, duration, mapKeys, type ParseContext } from './parse-context.ts';
import { parseCallExpectation, parseFinal } from './parse-expectations.ts';
import { DEFAULT_SCENARIO_OPTIONS, DEFAULT_PRESS, type CallSpec, type FinalExpectation, type PressSpec, type ScenarioDeployment, type ScenarioOptions, type ScenarioSpec, type StepSpec } from './scenario-schema.ts';
import { ScenarioError } from './scenario-error.ts';
import { nodeScenarioFiles, type ScenarioFiles } from './scenario-files.ts';
import { asNumber, asText, describeNode, isEmpty, mapFields, nearest, seqItems, StopParsing, YamlSource, type Field } from './yaml-source.ts';

export { DEFAULT_WITHIN_MS } from './parse-expectations.ts';

export interface ParseScenarioOptions {
  /** How referenced files are read; the file system by default. */
  files?: ScenarioFiles;
}

const TOP_FIELDS = ['name', 'description', 'deployment', 'calls', 'expect', 'options'] as const;
const CALL_FIELDS = ['id', 'from', 'at', 'steps'] as const;
const STEP_NAMES = ['press', 'play', 'wait', 'hangup', 'app-join', 'end-meeting', 'expect'] as const;
/** Each step as written, for a step name given without its value. */
const STEP_EXAMPLES: Record<(typeof STEP_NAMES)[number], string> = {
  press: 'press: "1234#"',
  play: 'play: keys.wav',
  wait: 'wait: 10s',
  hangup: 'hangup: {}',
  'app-join': 'app-join: USER',
  'end-meeting': 'end-meeting: {}',
  expect: 'expect: { state: lobby }',
};
const PRESS_FIELDS = ['digits', 'onMs', 'offMs', 'leadMs', 'levelDbm0', 'twistDb', 'snrDb', 'frequencyErrorPct', 'seed'] as const;
const OPTION_FIELDS = ['sampleRate', 'start', 'flow'] as const;
const SAMPLE_RATES = [8000, 16000, 48000];

/**
 * Parses and validates a scenario; `file` is used in messages and to find
 * referenced files. Every problem found (up to MAX_REPORTED_PROBLEMS) is
 * reported in one ScenarioError, one `file:line: path: problem` a line.
 */
export async function parseScenario(text: string, file: string, options: ParseScenarioOptions = {}): Promise<ScenarioSpec> {
  const files = options.files ?? nodeScenarioFiles;
  const src = new YamlSource(file, text);
  if (isEmpty(src.root)) throw new ScenarioError('E_SCENARIO_YAML', file, 1, undefined, 'the file is empty; a scenario needs name, deployment and calls');
  if (looksLikeDeployment(src.root)) {
    const problem = 'this is a deployment file (tenant, policy, users, conferences), not a scenario; a scenario uses it with `deployment: ./FILE.yaml`';
    throw new ScenarioError('E_SCENARIO_YAML', file, 1, undefined, problem);
  }
  try {
    const spec = await parseParts(src, files);
    src.finish();
    return spec!;
  } catch (error) {
    if (error instanceof StopParsing) throw error.error;
    throw error;
  }
}

/** The scenario, or undefined when a part failed (its problems are recorded in `src`). */
async function parseParts(src: YamlSource, files: ScenarioFiles): Promise<ScenarioSpec | undefined> {
  const file = src.file;
  const top = src.attempt(() => mapFields(src, { node: src.root, path: '', line: 1 }, TOP_FIELDS, ['name', 'deployment', 'calls'], 'a scenario (a mapping with name, deployment and calls)'));
  if (top === undefined) return undefined;
  const name = src.attempt(() => {
    const text = asText(src, top.name!).trim();
    if (text === '') src.fail('E_SCENARIO_VALUE', top.name!.node, 'name', 'must not be empty', top.name!.line);
    return text;
  });
  const description = top.description ? src.attempt(() => asText(src, top.description!)) : undefined;
  const scenarioOptions = (top.options ? src.attempt(() => parseOptions(src, top.options!)) : undefined) ?? DEFAULT_SCENARIO_OPTIONS;
  const deployment = await src.attemptAsync(() => parseDeployment(src, top.deployment!, files));
  // Without a deployment, users and conferences cannot be checked; the other problems still can.
  const context: ParseContext = { src, files, deployment, sampleRate: scenarioOptions.sampleRate, callIds: new Set() };

  const callFields = src.attempt(() => seqItems(src, top.calls!)) ?? [];
  if (top.calls && isSeq(top.calls.node) && callFields.length === 0) src.report(new ScenarioError('E_SCENARIO_VALUE', file, src.lineOf(top.calls.node, top.calls.line), 'calls', 'a scenario needs at least one call'));
  const calls: (CallSpec | undefined)[] = [];
  for (const field of callFields) calls.push(await src.attemptAsync(() => parseCall(context, field)));
  const finalFields = top.expect ? (src.attempt(() => seqItems(src, top.expect!)) ?? []) : [];
  const finals = finalFields.map((field) => src.attempt(() => parseFinal(context, field)));
  if (src.failed || name === undefined || deployment === undefined) return undefined;
  return { name, description, file, deployment, calls: calls as CallSpec[], expect: finals as FinalExpectation[], options: scenarioOptions };
}

function baseDir(src: YamlSource): string {
  return dirname(src.file);
}

function resolvePath(src: YamlSource, relative: string): string {
  return isAbsolute(relative) ? relative : join(baseDir(src), relative);
}

async function parseDeployment(src: YamlSource, field: Field, files: ScenarioFiles): Promise<ScenarioDeployment> {
  if (isScalar(field.node) && typeof field.node.value === 'string') {
    const path = resolvePath(src, field.node.value);
    let text: string;
    try {
      text = await files.readText(path);
    } catch (error) {
      src.fail('E_SCENARIO_FILE', field.node, field.path, `cannot read deployment file ${path}: ${(error as Error).message}`);
    }
    return files.loadDeployment(text, path);
  }
  if (!isEmpty(field.node) && !isScalar(field.node)) {
    // The inline mapping is cut out of the scenario and padded to its own
    // lines and column, so the deployment loader's line numbers are the
    // scenario file's.
    const node = field.node!;
    const [start, , end] = node.range!;
    const line = src.lineOf(node);
    const padded = '\n'.repeat(line - 1) + ' '.repeat(src.columnOf(node) - 1) + src.text.slice(start, end);
    return files.loadDeployment(padded, src.file);
  }
  return src.fail('E_SCENARIO_VALUE', field.node, field.path, `expected an inline deployment or the path of a deployment file, got ${describeNode(field.node)}`, field.line);
}

function parseOptions(src: YamlSource, field: Field): ScenarioOptions {
  const fields = mapFields(src, field, OPTION_FIELDS);
  let sampleRate = DEFAULT_SCENARIO_OPTIONS.sampleRate;
  if (fields.sampleRate) {
    sampleRate = asNumber(src, fields.sampleRate, { min: 8000, max: 48000, integer: true, unit: 'Hz' });
    if (!SAMPLE_RATES.includes(sampleRate)) src.fail('E_SCENARIO_VALUE', fields.sampleRate.node, fields.sampleRate.path, `sample rate must be one of ${SAMPLE_RATES.join(', ')} Hz, got ${sampleRate}`);
  }
  let startEpochMs = DEFAULT_SCENARIO_OPTIONS.startEpochMs;
  if (fields.start) {
    const text = asText(src, fields.start, 'a date such as 2025-01-06T09:00:00Z');
    startEpochMs = Date.parse(text);
    if (!/^\d{4}-\d{2}-\d{2}/.test(text) || Number.isNaN(startEpochMs)) src.fail('E_SCENARIO_VALUE', fields.start.node, fields.start.path, `'${text}' is not a date such as 2025-01-06T09:00:00Z`);
  }
  const flow: Record<string, number> = {};
  if (fields.flow) {
    const known = Object.keys(DEFAULT_FLOW_OPTIONS);
    const flowFields = mapFields(src, fields.flow, known);
    for (const [key, value] of Object.entries(flowFields) as [string, Field][]) {
      const parsed = src.attempt(() => (key.endsWith('Ms') ? duration(src, value) : asNumber(src, value, { min: 0, max: 1e9 })));
      if (parsed !== undefined) flow[key] = parsed;
    }
    // How the options go together is only worth checking once each one reads well.
    const allRead = Object.keys(flow).length === Object.keys(flowFields).length;
    try {
      if (allRead) resolveFlowOptions(flow as Partial<FlowOptions>);
    } catch (error) {
      if (isDialinError(error)) src.fail('E_SCENARIO_VALUE', fields.flow.node, fields.flow.path, error.message);
      throw error;
    }
  }
  return { sampleRate, startEpochMs, flow };
}

async function parseCall(context: ParseContext, field: Field): Promise<CallSpec> {
  const { src } = context;
  const fields = mapFields(src, field, CALL_FIELDS, ['id', 'steps'], 'a call (a mapping with id and steps)');
  const id = src.attempt(() => {
    const text = asText(src, fields.id!).trim();
    if (!/^[A-Za-z0-9][A-Za-z0-9._@-]{0,63}$/.test(text)) {
      src.fail('E_SCENARIO_VALUE', fields.id!.node, fields.id!.path, `'${text}' is not a call id (letters, digits, . _ @ -; up to 64)`);
    }
    if (context.callIds.has(text)) src.fail('E_SCENARIO_DUPLICATE', fields.id!.node, fields.id!.path, `call id '${text}' is used twice; each call needs its own id`);
    context.callIds.add(text);
    return text;
  });
  const from = fields.from ? src.attempt(() => asText(src, fields.from!)) : undefined;
  const atMs = fields.at ? src.attempt(() => duration(src, fields.at!)) : 0;
  const steps: (StepSpec | undefined)[] = [];
  for (const step of src.attempt(() => seqItems(src, fields.steps!)) ?? []) steps.push(await src.attemptAsync(() => parseStep(context, step)));
  // The parts' problems are recorded; the call is only used when there were none.
  return { id: id!, from, atMs: atMs!, steps: steps as StepSpec[], source: { line: field.line, path: field.path } };
}

async function parseStep(context: ParseContext, field: Field): Promise<StepSpec> {
  const { src } = context;
  if (isScalar(field.node) && typeof field.node.value === 'string') {
    const word = field.node.value;
    if ((STEP_NAMES as readonly string[]).includes(word)) {
      src.fail('E_SCENARIO_VALUE', field.node, field.path, `'${word}' needs a colon and a value: write '${STEP_EXAMPLES[word as keyof typeof STEP_EXAMPLES]}'`);
    }
    const hint = nearest(word, STEP_NAMES);
    src.fail('E_SCENARIO_UNKNOWN_STEP', field.node, field.path, `unknown step '${word}'${hint ? ` (did you mean '${hint}:'?)` : ''}; steps are ${STEP_NAMES.join(', ')}`);
  }
  const keys = mapKeys(src, field);
  const unknown = keys.find((key) => !(STEP_NAMES as readonly string[]).includes(key));
  if (unknown !== undefined) {
    const hint = nearest(unknown, STEP_NAMES);
    src.fail('E_SCENARIO_UNKNOWN_STEP', field.node, field.path, `unknown step '${unknown}'${hint ? ` (did you mean '${hint}'?)` : ''}; steps are ${STEP_NAMES.join(', ')}`);
  }
  if (keys.length !== 1) {
    src.fail('E_SCENARIO_VALUE', field.node, field.path, keys.length === 0 ? 'an empty step' : `a step does one thing, got ${keys.join(' and ')} (write them as separate steps)`);
  }
  const fields = mapFields(src, field, STEP_NAMES);
  const kind = keys[0] as (typeof STEP_NAMES)[number];
  const value = fields[kind]!;
  const source = { line: field.line, path: value.path };
  switch (kind) {
    case 'press':
      return { kind, press: parsePress(src, value), source };
    case 'play': {
      const file = asText(src, value, 'the path of a WAV file');
      const path = resolvePath(src, file);
      const samples = await context.files
        .readRecording(path, context.sampleRate)
        .catch((error: unknown) => src.fail('E_SCENARIO_FILE', value.node, value.path, `cannot play ${path}: ${(error as Error).message}`));
      return { kind, file, samples, source };
    }
    case 'wait':
      return { kind, ms: duration(src, value), source };
    case 'hangup':
      if (!isEmptyValue(value.node)) src.fail('E_SCENARIO_VALUE', value.node, value.path, `hangup takes no options; write 'hangup: {}'`);
      return { kind, source };
    case 'app-join':
      return { kind, ...parseAppJoin(context, value), source };
    case 'end-meeting':
      return { kind, conference: parseEndMeeting(context, value), source };
    case 'expect':
      return { kind, expect: parseCallExpectation(src, value), source };
  }
}

/** Nothing, or an empty mapping (`hangup: {}`). */
function isEmptyValue(node: Field['node']): boolean {
  return isEmpty(node) || (isMap(node) && node.items.length === 0);
}

/** `end-meeting: {}` (the call's conference), `end-meeting: ID` or `end-meeting: { conference: ID }`. */
function parseEndMeeting(context: ParseContext, field: Field): string | undefined {
  if (isEmptyValue(field.node)) return undefined;
  if (isScalar(field.node)) return checkConference(context, field);
  const f = mapFields(context.src, field, ['conference'], [], 'a conference id, or { conference }');
  return f.conference ? checkConference(context, f.conference) : undefined;
}

function parsePress(src: YamlSource, field: Field): PressSpec {
  if (isScalar(field.node)) return { ...DEFAULT_PRESS, digits: dtmfString(src, field, false) };
  const f = mapFields(src, field, PRESS_FIELDS, ['digits'], 'keys to press, as "1234#" or { digits: "1234#", onMs: 60, ... }');
  const num = (name: keyof typeof f, range: Parameters<typeof asNumber>[2], fallback: number) => (f[name] ? asNumber(src, f[name], range) : fallback);
  // Tone and gap lengths are durations: `leadMs: 3s` as well as `leadMs: 3000`.
  const ms = (name: 'onMs' | 'offMs' | 'leadMs', range: { min: number; max: number }) => (f[name] ? duration(src, f[name], range) : DEFAULT_PRESS[name]);
  return {
    digits: dtmfString(src, f.digits!, false),
    onMs: ms('onMs', { min: 1, max: 10_000 }),
    offMs: ms('offMs', { min: 0, max: 60_000 }),
    leadMs: ms('leadMs', { min: 0, max: 600_000 }),
    levelDbm0: num('levelDbm0', { min: -60, max: 3, unit: 'dBm0' }, DEFAULT_PRESS.levelDbm0),
    twistDb: num('twistDb', { min: -40, max: 40, unit: 'dB' }, DEFAULT_PRESS.twistDb),
    snrDb: f.snrDb ? asNumber(src, f.snrDb, { min: -20, max: 120, unit: 'dB' }) : undefined,
    frequencyErrorPct: num('frequencyErrorPct', { min: -10, max: 10, unit: '%' }, DEFAULT_PRESS.frequencyErrorPct),
    seed: num('seed', { min: 0, max: 2 ** 31 - 1, integer: true }, DEFAULT_PRESS.seed),
  };
}

function parseAppJoin(context: ParseContext, field: Field): { user: string; conference: string | undefined } {
  const { src } = context;
  let userField = field;
  let conference: string | undefined;
  if (!isScalar(field.node)) {
    const f = mapFields(src, field, ['user', 'conference'], ['user'], 'a user id, or { user, conference }');
    userField = f.user!;
    if (f.conference) conference = checkConference(context, f.conference);
  }
  return { user: checkUser(context, userField), conference };
}


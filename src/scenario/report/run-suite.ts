/**
 * `dialin-sim test`: every scenario in a folder, each compared with its
 * golden transcript. Every *.yaml or *.yml file there is a scenario except a
 * deployment file (one shared by several scenarios), recognised by its
 * top-level keys: only tenant, policy, users and conferences. Anything else,
 * a YAML syntax error or a misspelt `calls:` included, is a scenario that
 * fails with its file and line: discovery never hides a broken scenario.
 */
import { readdir, readFile, writeFile } from 'node:fs/promises';
import { basename, join } from 'node:path';
import { performance } from 'node:perf_hooks';
import { parseDocument } from 'yaml';
import { isDialinError } from '../../errors.ts';
import type { DigitDecoder } from '../../engines/digit-decoder.ts';
import { looksLikeDeployment } from '../../directory/deployment.ts';
import type { FlowOptions } from '../../flow/flow-options.ts';
import { parseScenario } from '../parse/parse-scenario.ts';
import { runScenario } from '../run/run-scenario.ts';
import { ScenarioError } from '../parse/scenario-error.ts';
import type { ScenarioResult } from '../scenario-result.ts';
import { compareTranscript, formatTranscript, transcriptPathFor } from './transcript.ts';

/** A file that parses to a deployment: a non-empty mapping of deployment fields only. */
function isDeploymentText(text: string): boolean {
  const document = parseDocument(text, { prettyErrors: false });
  return document.errors.length === 0 && looksLikeDeployment(document.contents);
}

/** Scenario files in `dir` (every YAML file but deployment files), sorted by name. */
export async function findScenarioFiles(dir: string): Promise<string[]> {
  let names: string[];
  try {
    names = await readdir(dir);
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    throw new ScenarioError('E_SCENARIO_FILE', dir, undefined, undefined, code === 'ENOENT' ? 'no such folder' : code === 'ENOTDIR' ? 'not a folder' : `cannot read: ${(error as Error).message}`);
  }
  const files: string[] = [];
  for (const name of names.filter((entry) => /\.ya?ml$/i.test(entry)).sort()) {
    const path = join(dir, name);
    // An unreadable file is kept: running it reports why.
    const text = await readFile(path, 'utf8').catch(() => undefined);
    if (text === undefined || !isDeploymentText(text)) files.push(path);
  }
  return files;
}

export type TranscriptStatus =
  /** The run matches its golden transcript. */
  | 'match'
  /** It does not; see `diff`. */
  | 'differs'
  /** There is no golden transcript yet. */
  | 'missing'
  /** --update wrote a new or changed transcript. */
  | 'updated'
  /** --update found the transcript already right. */
  | 'unchanged'
  /** --update left it alone because the scenario failed or could not run. */
  | 'kept';

export interface SuiteCase {
  readonly file: string;
  /** The file name without extension: `three-wrong-pins-hangs-up`. */
  readonly name: string;
  readonly passed: boolean;
  readonly wallMs: number;
  readonly result?: ScenarioResult;
  /** Why the scenario could not run or be checked (malformed file, broken deployment, unreadable golden transcript). */
  readonly error?: string;
  readonly errorCode?: string;
  readonly transcript: TranscriptStatus;
  readonly transcriptFile: string;
  /** Unified diff from the golden transcript, when it differs. */
  readonly diff?: readonly string[];
}

export interface SuiteOptions {
  /** Rewrite golden transcripts instead of comparing with them. */
  update: boolean;
  /** Flow options applied to every scenario. */
  flow: Partial<FlowOptions>;
  /** Called as each scenario finishes. */
  onCase: ((testCase: SuiteCase) => void) | undefined;
  /** The decoder of every call (runScenario's default when undefined). */
  createDecoder: ((sampleRate: number) => DigitDecoder) | undefined;
}

export async function runSuite(dir: string, partial: Partial<SuiteOptions> = {}): Promise<SuiteCase[]> {
  const options: SuiteOptions = { update: false, flow: {}, onCase: undefined, createDecoder: undefined, ...partial };
  const cases: SuiteCase[] = [];
  for (const file of await findScenarioFiles(dir)) {
    const testCase = await runCase(file, options);
    cases.push(testCase);
    options.onCase?.(testCase);
  }
  return cases;
}

async function runCase(file: string, options: SuiteOptions): Promise<SuiteCase> {
  const started = performance.now();
  const name = basename(file).replace(/\.ya?ml$/i, '');
  const transcriptFile = transcriptPathFor(file);
  let result: ScenarioResult;
  try {
    const text = await readFile(file, 'utf8').catch((error: Error) => {
      throw new ScenarioError('E_SCENARIO_FILE', file, undefined, undefined, `cannot read: ${error.message}`);
    });
    const spec = await parseScenario(text, file);
    result = await runScenario(spec, { flow: options.flow, ...(options.createDecoder ? { createDecoder: options.createDecoder } : {}) });
  } catch (error) {
    if (!isDialinError(error)) throw error;
    return { file, name, passed: false, wallMs: performance.now() - started, error: error.message, errorCode: error.code, transcript: 'kept', transcriptFile };
  }
  const wallMs = () => performance.now() - started;
  let golden: string | undefined;
  try {
    golden = await readGolden(transcriptFile);
  } catch (error) {
    if (!isDialinError(error)) throw error;
    return { file, name, passed: false, wallMs: wallMs(), result, error: error.message, errorCode: error.code, transcript: 'kept', transcriptFile };
  }
  const actual = formatTranscript(result);
  if (options.update) {
    if (!result.passed) return { file, name, passed: false, wallMs: wallMs(), result, transcript: 'kept', transcriptFile };
    if (golden !== undefined && compareTranscript(golden, actual, transcriptFile).equal) {
      return { file, name, passed: true, wallMs: wallMs(), result, transcript: 'unchanged', transcriptFile };
    }
    await writeFile(transcriptFile, actual);
    return { file, name, passed: true, wallMs: wallMs(), result, transcript: 'updated', transcriptFile };
  }
  if (golden === undefined) return { file, name, passed: false, wallMs: wallMs(), result, transcript: 'missing', transcriptFile };
  const comparison = compareTranscript(golden, actual, transcriptFile);
  const transcript = comparison.equal ? 'match' : 'differs';
  return {
    file,
    name,
    passed: result.passed && comparison.equal,
    wallMs: wallMs(),
    result,
    transcript,
    transcriptFile,
    ...(comparison.equal ? {} : { diff: comparison.diff }),
  };
}

/** The golden transcript, or undefined when there is none yet; any other failure to read it is an error. */
async function readGolden(transcriptFile: string): Promise<string | undefined> {
  try {
    return await readFile(transcriptFile, 'utf8');
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return undefined;
    throw new ScenarioError('E_SCENARIO_FILE', transcriptFile, undefined, undefined, `cannot read the golden transcript: ${(error as Error).message}`);
  }
}

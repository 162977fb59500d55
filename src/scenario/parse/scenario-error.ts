/**
 * A scenario that cannot run as written. The message always starts with
 * `file:line:` and names the field, so an editor can jump to it:
 * `scenarios/x.yaml:14: calls[1].steps[3].press: '5x' has 'x', not a DTMF key (0-9 * # A-D)`.
 * A file with several problems is reported as one ScenarioError whose
 * message has one such line per problem (at most MAX_REPORTED_PROBLEMS).
 */
import { DialinError } from '../../errors.ts';

export const SCENARIO_ERROR_CODES = [
  /** Not YAML, or not a scenario at all. */
  'E_SCENARIO_YAML',
  /** A field the scenario format does not have. */
  'E_SCENARIO_UNKNOWN_FIELD',
  /** A step other than press, play, wait, hangup, app-join, expect. */
  'E_SCENARIO_UNKNOWN_STEP',
  /** A required field is missing. */
  'E_SCENARIO_MISSING',
  /** A value of the wrong type or out of range. */
  'E_SCENARIO_VALUE',
  /** A prompt or call state the flow does not have. */
  'E_SCENARIO_NAME',
  /** A call id used twice. */
  'E_SCENARIO_DUPLICATE',
  /** A key that is not a DTMF key. */
  'E_SCENARIO_DIGIT',
  /** Not a duration like 500ms, 10s, 2m. */
  'E_SCENARIO_DURATION',
  /** A user, conference or call the scenario does not define. */
  'E_SCENARIO_REFERENCE',
  /** A file the scenario names cannot be read (deployment, recording). */
  'E_SCENARIO_FILE',
  /** The deployment the scenario names is invalid. */
  'E_SCENARIO_DEPLOYMENT',
] as const;
export type ScenarioErrorCode = (typeof SCENARIO_ERROR_CODES)[number];

/** Problems listed for one file; a file with more is worth fixing before reading the rest. */
export const MAX_REPORTED_PROBLEMS = 20;

export class ScenarioError extends DialinError {
  declare readonly code: ScenarioErrorCode;
  readonly file: string;
  /** 1-based line, when the problem has one. */
  readonly line: number | undefined;
  /** The field path (`calls[1].steps[3].press`), when the problem has one. */
  readonly path: string | undefined;
  /** The problem alone, without file, line or path. */
  readonly problem: string;
  /** Every problem found in the file, this one first (just this one when it was the only one). */
  readonly problems: readonly ScenarioError[];

  constructor(code: ScenarioErrorCode, file: string, line: number | undefined, path: string | undefined, problem: string, options?: ErrorOptions) {
    const where = `${file}${line === undefined ? '' : `:${line}`}`;
    super(code, `${where}: ${path === undefined || path === '' ? '' : `${path}: `}${problem}`, options);
    this.file = file;
    this.line = line;
    this.path = path;
    this.problem = problem;
    this.problems = [this];
  }

  /** One error for several problems of a file: the first one's fields, every message on its own line. */
  static combine(errors: readonly ScenarioError[]): ScenarioError {
    const [first, ...rest] = errors;
    if (first === undefined) throw new Error('internal: no scenario errors to combine');
    if (rest.length === 0) return first;
    const combined = new ScenarioError(first.code, first.file, first.line, first.path, first.problem);
    combined.message = errors.map((error) => error.message).join('\n');
    (combined as { problems: readonly ScenarioError[] }).problems = errors;
    return combined;
  }
}

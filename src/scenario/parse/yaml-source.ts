/**
 * Reading a YAML document field by field with the line of every node, so
 * that each problem is reported as `file:line: path: problem`. Scalars are
 * read as written: `press: 0123` stays "0123" and `from: +15550001` stays
 * "+15550001", although YAML would make numbers of them.
 */
import { isMap, isScalar, isSeq, LineCounter, parseDocument, type Node, type Pair, type YAMLMap, type YAMLSeq } from 'yaml';
import { MAX_REPORTED_PROBLEMS, ScenarioError, type ScenarioErrorCode } from './scenario-error.ts';
import { placeSyntaxError } from '../../yaml/yaml-syntax-error.ts';

export class YamlSource {
  readonly file: string;
  readonly text: string;
  readonly root: Node | null;
  readonly #lines = new LineCounter();
  /** Problems found so far; parsing goes on past them so that a file reports all of them at once. */
  readonly #problems: ScenarioError[] = [];

  constructor(file: string, text: string) {
    this.file = file;
    this.text = text;
    const document = parseDocument(text, { lineCounter: this.#lines, prettyErrors: false, uniqueKeys: true });
    const error = document.errors[0];
    if (error) {
      const place = placeSyntaxError(text, error, this.#lines);
      throw new ScenarioError('E_SCENARIO_YAML', file, place.line, undefined, `not valid YAML: ${place.problem}`);
    }
    this.root = document.contents;
  }

  /** 1-based line of a node (the line of `fallback` when the node is missing). */
  lineOf(node: Node | null | undefined, fallback = 1): number {
    const offset = node?.range?.[0];
    return offset === undefined ? fallback : this.#lines.linePos(offset).line;
  }

  /** Column (1-based) where a node starts. */
  columnOf(node: Node): number {
    return this.#lines.linePos(node.range?.[0] ?? 0).col;
  }

  fail(code: ScenarioErrorCode, node: Node | null | undefined, path: string, problem: string, fallbackLine?: number): never {
    throw new ScenarioError(code, this.file, this.lineOf(node, fallbackLine), path, problem);
  }

  /** Records a problem and goes on; `finish` reports it with the others. */
  report(problem: ScenarioError): void {
    this.#record(problem);
  }

  /**
   * Runs one independent part of the parse (a call, a step, a field): a
   * problem in it is recorded and the parse goes on with the next part.
   * Undefined when the part failed.
   */
  attempt<T>(part: () => T): T | undefined {
    try {
      return part();
    } catch (error) {
      this.#catch(error);
      return undefined;
    }
  }

  /** `attempt` for a part that reads files. */
  async attemptAsync<T>(part: () => Promise<T>): Promise<T | undefined> {
    try {
      return await part();
    } catch (error) {
      this.#catch(error);
      return undefined;
    }
  }

  /** Whether any problem has been found so far. */
  get failed(): boolean {
    return this.#problems.length > 0;
  }

  /** Throws every problem found, in line order, as one ScenarioError. */
  finish(): void {
    if (this.#problems.length > 0) throw this.#combined();
  }

  #combined(): ScenarioError {
    return ScenarioError.combine([...this.#problems].sort((a, b) => (a.line ?? 0) - (b.line ?? 0)));
  }

  #catch(error: unknown): void {
    if (!(error instanceof ScenarioError)) throw error;
    for (const problem of error.problems) this.#record(problem);
  }

  #record(problem: ScenarioError): void {
    this.#problems.push(problem);
    // Enough to fix first; the rest of the file is not read.
    if (this.#problems.length >= MAX_REPORTED_PROBLEMS) throw new StopParsing(this.#combined());
  }

  /** The source text of a node, for scalars YAML would turn into numbers. */
  rawText(node: Node): string {
    const range = node.range;
    return range ? this.text.slice(range[0], range[1]) : String((node as { value?: unknown }).value);
  }
}

/** Thrown through every `attempt` once MAX_REPORTED_PROBLEMS have been found; parseScenario unwraps it. */
export class StopParsing extends Error {
  readonly error: ScenarioError;

  constructor(error: ScenarioError) {
    super(error.message);
    this.error = error;
  }
}

/** A node with its field path and the line to blame when it is missing. */
export interface Field {
  readonly node: Node | null;
  readonly path: string;
  /** Line of the key, used when the value is empty. */
  readonly line: number;
}

export function describeNode(node: Node | null): string {
  if (node === null || (isScalar(node) && node.value === null)) return 'nothing';
  if (isMap(node)) return 'a mapping';
  if (isSeq(node)) return 'a list';
  if (isScalar(node)) return typeof node.value === 'string' ? `'${node.value}'` : String(node.value);
  return 'an unsupported node';
}

export function asMap(src: YamlSource, field: Field, what = 'a mapping'): YAMLMap<Node, Node | null> {
  if (!isMap(field.node)) src.fail('E_SCENARIO_VALUE', field.node, field.path, `expected ${what}, got ${describeNode(field.node)}`, field.line);
  return field.node as YAMLMap<Node, Node | null>;
}

export function asSeq(src: YamlSource, field: Field, what = 'a list'): YAMLSeq<Node | null> {
  if (!isSeq(field.node)) src.fail('E_SCENARIO_VALUE', field.node, field.path, `expected ${what}, got ${describeNode(field.node)}`, field.line);
  return field.node as YAMLSeq<Node | null>;
}

/** The items of a list as fields `path[i]`. */
export function seqItems(src: YamlSource, field: Field): Field[] {
  return asSeq(src, field).items.map((node, index) => ({
    node,
    path: `${field.path}[${index}]`,
    line: src.lineOf(node, field.line),
  }));
}

export function isEmpty(node: Node | null): boolean {
  return node === null || (isScalar(node) && node.value === null);
}

/** A scalar as the text written (numbers and booleans included). */
export function asText(src: YamlSource, field: Field, what = 'a string'): string {
  const node = field.node;
  if (!isScalar(node) || node.value === null) {
    src.fail('E_SCENARIO_VALUE', node, field.path, `expected ${what}, got ${describeNode(node)}`, field.line);
  }
  return typeof node.value === 'string' ? node.value : src.rawText(node);
}

export function asNumber(src: YamlSource, field: Field, range: { min: number; max: number; integer?: boolean; unit?: string }): number {
  const node = field.node;
  if (!isScalar(node) || typeof node.value !== 'number' || !Number.isFinite(node.value)) {
    src.fail('E_SCENARIO_VALUE', node, field.path, `expected a number, got ${describeNode(node)}`, field.line);
  }
  const value = node.value;
  const unit = range.unit ? ` ${range.unit}` : '';
  if (range.integer && !Number.isInteger(value)) {
    src.fail('E_SCENARIO_VALUE', node, field.path, `expected a whole number, got ${value}`);
  }
  if (value < range.min || value > range.max) {
    src.fail('E_SCENARIO_VALUE', node, field.path, `${value}${unit} is out of range (${range.min} to ${range.max}${unit})`);
  }
  return value;
}

export function asBoolean(src: YamlSource, field: Field): boolean {
  const node = field.node;
  if (!isScalar(node) || typeof node.value !== 'boolean') {
    src.fail('E_SCENARIO_VALUE', node, field.path, `expected true or false, got ${describeNode(node)}`, field.line);
  }
  return node.value;
}

/**
 * The fields of a mapping by name. Unknown keys are refused with the line
 * of the key and the nearest known name; missing required keys are refused
 * with the line of the mapping.
 */
export function mapFields<K extends string>(
  src: YamlSource,
  field: Field,
  known: readonly K[],
  required: readonly K[] = [],
  what = 'a mapping',
): Partial<Record<K, Field>> {
  const map = asMap(src, field, what);
  const out: Partial<Record<K, Field>> = {};
  /** Unknown keys, by the known name they look like a typo of. */
  const typos = new Map<string, ScenarioError>();
  for (const pair of map.items as Pair<Node, Node | null>[]) {
    const key = isScalar(pair.key) ? String(pair.key.value) : src.rawText(pair.key);
    if (!(known as readonly string[]).includes(key)) {
      const hint = nearest(key, known);
      const problem = `unknown field '${key}'${hint ? ` (did you mean '${hint}'?)` : ''}; known fields: ${known.join(', ')}`;
      const error = new ScenarioError('E_SCENARIO_UNKNOWN_FIELD', src.file, src.lineOf(pair.key, field.line), field.path, problem);
      if (hint !== undefined && (required as readonly string[]).includes(hint) && !typos.has(hint)) typos.set(hint, error);
      else src.report(error);
      continue;
    }
    const keyLine = src.lineOf(pair.key, field.line);
    out[key as K] = { node: pair.value, path: joinPath(field.path, key), line: keyLine };
  }
  for (const [hint, error] of typos) if (out[hint as K] !== undefined) src.report(error);
  for (const name of required) {
    if (out[name] !== undefined) continue;
    // A misspelt required field is one problem, not two (unknown 'cals', missing 'calls').
    const typo = typos.get(name);
    if (typo !== undefined) throw typo;
    src.fail('E_SCENARIO_MISSING', map, field.path, `missing field '${name}'`, field.line);
  }
  return out;
}

export function joinPath(base: string, key: string): string {
  return base === '' ? key : `${base}.${key}`;
}

/** The candidate closest to `word` by edit distance, if it is close enough to be a likely typo. */
export function nearest(word: string, candidates: readonly string[]): string | undefined {
  let best: string | undefined;
  let bestDistance = Infinity;
  for (const candidate of candidates) {
    const distance = editDistance(word.toLowerCase(), candidate.toLowerCase());
    if (distance < bestDistance) {
      best = candidate;
      bestDistance = distance;
    }
  }
  return bestDistance <= Math.max(1, Math.floor(word.length / 3)) ? best : undefined;
}

function editDistance(a: string, b: string): number {
  let previous = Array.from({ length: b.length + 1 }, (_, i) => i);
  for (let i = 1; i <= a.length; i++) {
    const current = [i];
    for (let j = 1; j <= b.length; j++) {
      current[j] = Math.min(previous[j]! + 1, current[j - 1]! + 1, previous[j - 1]! + (a[i - 1] === b[j - 1] ? 0 : 1));
    }
    previous = current;
  }
  return previous[b.length]!;
}

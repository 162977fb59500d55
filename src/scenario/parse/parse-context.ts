/**
 * The parts of scenario parsing shared by steps and expectations: the
 * parse context, references to the deployment, durations and DTMF keys.
 */
import { isMap, isScalar, type Node } from 'yaml';
import { isDtmfKey } from '../../dsp/dtmf-keys.ts';
import { formatDuration, parseDurationField } from '../duration.ts';
import type { ScenarioFiles } from './scenario-files.ts';
import type { ScenarioDeployment } from './scenario-schema.ts';
import { asText, describeNode, nearest, type Field, type YamlSource } from './yaml-source.ts';

export interface ParseContext {
  readonly src: YamlSource;
  readonly files: ScenarioFiles;
  /** Undefined when the deployment failed to load: references to it are then taken as written. */
  readonly deployment: ScenarioDeployment | undefined;
  readonly sampleRate: number;
  readonly callIds: Set<string>;
}

/** A duration field; its name (the end of its path) decides whether a bare number is ms (parseDurationField). */
export function duration(src: YamlSource, field: Field, range?: { min: number; max: number }): number {
  const text = asText(src, field, 'a duration such as 500ms, 10s or 2m');
  const name = /[A-Za-z-]+$/.exec(field.path)?.[0] ?? '';
  const parsed = parseDurationField(name, text);
  if ('problem' in parsed) src.fail('E_SCENARIO_DURATION', field.node, field.path, parsed.problem, field.line);
  if (range && (parsed.ms < range.min || parsed.ms > range.max)) {
    src.fail('E_SCENARIO_VALUE', field.node, field.path, `${formatDuration(parsed.ms)} is out of range (${formatDuration(range.min)} to ${formatDuration(range.max)})`, field.line);
  }
  return parsed.ms;
}

export function mapKeys(src: YamlSource, field: Field): string[] {
  const map = field.node;
  if (!isMap(map)) return src.fail('E_SCENARIO_VALUE', map, field.path, `expected a mapping, got ${describeNode(map)}`, field.line);
  return map.items.map((pair) => (isScalar(pair.key) ? String(pair.key.value) : src.rawText(pair.key as Node)));
}

export function dtmfString(src: YamlSource, field: Field, allowEmpty: boolean): string {
  const digits = asText(src, field, 'DTMF keys such as "1234#"');
  if (digits === '' && !allowEmpty) src.fail('E_SCENARIO_DIGIT', field.node, field.path, 'no keys to press');
  for (const char of digits) {
    if (!isDtmfKey(char)) {
      const hint = /^[a-d]$/.test(char) ? ` (keys A-D are upper-case)` : '';
      src.fail('E_SCENARIO_DIGIT', field.node, field.path, `'${digits}' has '${char}', not a DTMF key (0-9 * # A-D)${hint}`);
    }
  }
  return digits;
}

export function checkUser(context: ParseContext, field: Field): string {
  const user = asText(context.src, field, 'a user id');
  const users = context.deployment?.ids.users;
  if (users !== undefined && !users.has(user)) {
    const hint = nearest(user, [...users]);
    context.src.fail('E_SCENARIO_REFERENCE', field.node, field.path, `unknown user '${user}'${hint ? ` (did you mean '${hint}'?)` : ''}; the deployment has ${listOrNone([...users])}`, field.line);
  }
  return user;
}

export function checkConference(context: ParseContext, field: Field): string {
  const conference = asText(context.src, field, 'a conference id');
  const conferences = context.deployment?.ids.conferences;
  if (conferences !== undefined && !conferences.has(conference)) {
    context.src.fail('E_SCENARIO_REFERENCE', field.node, field.path, `unknown conference '${conference}'; the deployment has ${listOrNone([...conferences.keys()])}`, field.line);
  }
  return conference;
}

export function listOrNone(items: readonly string[]): string {
  return items.length === 0 ? 'none' : items.join(', ');
}


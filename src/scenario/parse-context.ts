/**
 * The parts of scenario parsing shared by steps and expectations: the
 * parse context, references to the deployment, durations and DTMF keys.
 */
import { isMap, isScalar, type Node } from 'yaml';
import { isDtmfKey } from '../dsp/dtmf-keys.ts';
import { parseDuration } from './duration.ts';
import type { ScenarioFiles } from './scenario-files.ts';
import type { ScenarioDeployment } from './scenario-schema.ts';
import { asText, describeNode, nearest, type Field, type YamlSource } from './yaml-source.ts';

export interface ParseContext {
  readonly src: YamlSource;
  readonly files: ScenarioFiles;
  readonly deployment: ScenarioDeployment;
  readonly sampleRate: number;
  readonly callIds: Set<string>;
}

export function duration(src: YamlSource, field: Field): number {
  const text = asText(src, field, 'a duration such as 500ms, 10s or 2m');
  const parsed = parseDuration(text);
  if ('problem' in parsed) src.fail('E_SCENARIO_DURATION', field.node, field.path, parsed.problem, field.line);
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
  if (!context.deployment.ids.users.has(user)) {
    const hint = nearest(user, [...context.deployment.ids.users]);
    context.src.fail('E_SCENARIO_REFERENCE', field.node, field.path, `unknown user '${user}'${hint ? ` (did you mean '${hint}'?)` : ''}; the deployment has ${listOrNone([...context.deployment.ids.users])}`, field.line);
  }
  return user;
}

export function checkConference(context: ParseContext, field: Field): string {
  const conference = asText(context.src, field, 'a conference id');
  if (!context.deployment.ids.conferences.has(conference)) {
    context.src.fail('E_SCENARIO_REFERENCE', field.node, field.path, `unknown conference '${conference}'; the deployment has ${listOrNone([...context.deployment.ids.conferences.keys()])}`, field.line);
  }
  return conference;
}

export function listOrNone(items: readonly string[]): string {
  return items.length === 0 ? 'none' : items.join(', ');
}


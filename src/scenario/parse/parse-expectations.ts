/**
 * Expectations in scenario files: a call's `expect` steps (prompt, rule,
 * state, hears, digits, admitted, within) and the final `expect` list
 * (conferences, users, the outbox, calls).
 */
import { isScalar } from 'yaml';
import type { LockKind } from '../../directory/lockout-rules.ts';
import { PIN_RULES, type PinRule } from '../../directory/pin-policy.ts';
import { CALL_STATES, PROMPTS, isCallStateName, isPromptName, type CallStateName, type PromptName } from '../../flow/names.ts';
import { checkConference, checkUser, dtmfString, duration, mapKeys, type ParseContext } from './parse-context.ts';
import type { CallExpectation, FinalExpectation, Hearing } from './scenario-schema.ts';
import { asBoolean, asNumber, asText, mapFields, nearest, seqItems, type Field, type YamlSource } from './yaml-source.ts';

/** Default deadline of a call's `expect`. */
export const DEFAULT_WITHIN_MS = 15_000;

const EXPECT_FIELDS = ['prompt', 'rule', 'state', 'hears', 'digits', 'admitted', 'within'] as const;

/** A name from `names`, or a failure that suggests the nearest one. */
function knownName<T extends string>(src: YamlSource, field: Field, kind: string, names: readonly T[], isName: (name: string) => name is T): T {
  const name = asText(src, field, `a ${kind === 'prompt' ? 'prompt name' : 'call state'}`);
  if (!isName(name)) {
    const hint = nearest(name, names);
    src.fail('E_SCENARIO_NAME', field.node, field.path, `unknown ${kind} '${name}'${hint ? ` (did you mean '${hint}'?)` : ''}; ${kind}s are ${names.join(', ')}`, field.line);
  }
  return name;
}

export function promptName(src: YamlSource, field: Field): PromptName {
  return knownName(src, field, 'prompt', PROMPTS, isPromptName);
}

export function stateName(src: YamlSource, field: Field): CallStateName {
  return knownName(src, field, 'state', CALL_STATES, isCallStateName);
}

const HEARINGS: readonly Hearing[] = ['silence', ...PROMPTS];

function hearingName(src: YamlSource, field: Field): Hearing {
  const name = asText(src, field, 'silence or a prompt name');
  if (!(HEARINGS as readonly string[]).includes(name)) {
    const hint = nearest(name, HEARINGS);
    src.fail('E_SCENARIO_NAME', field.node, field.path, `unknown sound '${name}'${hint ? ` (did you mean '${hint}'?)` : ''}; hears takes ${HEARINGS.join(', ')}`, field.line);
  }
  return name as Hearing;
}

const LOCK_KINDS: readonly LockKind[] = ['local', 'global', 'admin'];

/** `locked: false`, or why the PIN is locked: local (1 hour), global (too many failures), admin. */
function lockName(src: YamlSource, field: Field): false | LockKind {
  if (isScalar(field.node) && field.node.value === false) return false;
  const name = asText(src, field, 'false, local, global or admin');
  if (!(LOCK_KINDS as readonly string[]).includes(name)) {
    src.fail('E_SCENARIO_VALUE', field.node, field.path, `'${name}' is not a lock; locked takes false, local (1 hour after too many failures in 30 min), global (too many failures, until unlocked) or admin (pin lock)`, field.line);
  }
  return name as LockKind;
}

function ruleName(src: YamlSource, field: Field): PinRule {
  const name = asText(src, field, 'a PIN policy rule');
  if (!(PIN_RULES as readonly string[]).includes(name)) {
    const hint = nearest(name, PIN_RULES);
    src.fail('E_SCENARIO_NAME', field.node, field.path, `unknown rule '${name}'${hint ? ` (did you mean '${hint}'?)` : ''}; rules are ${PIN_RULES.join(', ')}`, field.line);
  }
  return name as PinRule;
}

export function parseCallExpectation(src: YamlSource, field: Field): CallExpectation {
  const f = mapFields(src, field, EXPECT_FIELDS, [], 'a mapping such as { prompt: enter-pin } or { state: lobby, within: 2s }');
  const expectation: { -readonly [K in keyof CallExpectation]: CallExpectation[K] } = {
    withinMs: f.within ? duration(src, f.within) : DEFAULT_WITHIN_MS,
  };
  if (f.prompt) expectation.prompt = promptName(src, f.prompt);
  if (f.rule) {
    expectation.rule = ruleName(src, f.rule);
    if (expectation.prompt !== undefined && expectation.prompt !== 'pin-policy-rejected') {
      src.fail('E_SCENARIO_VALUE', f.rule.node, f.rule.path, `a rule says why a new PIN was refused; it goes with prompt: pin-policy-rejected, not ${expectation.prompt}`, f.rule.line);
    }
  }
  if (f.state) expectation.state = stateName(src, f.state);
  if (f.hears) expectation.hears = hearingName(src, f.hears);
  if (f.digits) expectation.digits = dtmfString(src, f.digits, true);
  if (f.admitted) {
    expectation.admitted = asBoolean(src, f.admitted);
    if (!expectation.admitted) src.fail('E_SCENARIO_VALUE', f.admitted.node, f.admitted.path, `'admitted: false' cannot be waited for; expect the state the call should be in instead`);
  }
  if (!f.prompt && !f.rule && !f.state && !f.hears && !f.digits && !f.admitted) {
    src.fail('E_SCENARIO_MISSING', field.node, field.path, 'an expect needs at least one of prompt, rule, state, hears, digits, admitted', field.line);
  }
  return expectation;
}

export function parseFinal(context: ParseContext, field: Field): FinalExpectation {
  const { src } = context;
  const keys = mapKeys(src, field);
  const source = { line: field.line, path: field.path };
  const participantList = (list: Field): string[] =>
    seqItems(src, list).map((item) => {
      const id = asText(src, item, 'a call id or user id');
      if (!context.callIds.has(id) && context.deployment !== undefined && !context.deployment.ids.users.has(id)) {
        src.fail('E_SCENARIO_REFERENCE', item.node, item.path, `'${id}' is neither a call id of this scenario nor a user of the deployment`, item.line);
      }
      return id;
    });
  if (keys.includes('conference')) {
    const f = mapFields(src, field, ['conference', 'started', 'participants', 'lobby'], ['conference']);
    return {
      kind: 'conference',
      conference: checkConference(context, f.conference!),
      ...(f.started ? { started: asBoolean(src, f.started) } : {}),
      ...(f.participants ? { participants: participantList(f.participants) } : {}),
      ...(f.lobby ? { lobby: participantList(f.lobby) } : {}),
      source,
    };
  }
  if (keys.includes('user')) {
    const f = mapFields(src, field, ['user', 'lockedOut', 'locked', 'failures', 'globalFailures', 'pinExpired'], ['user']);
    const count = (item: Field) => asNumber(src, item, { min: 0, max: 1e6, integer: true });
    return {
      kind: 'user',
      user: checkUser(context, f.user!),
      ...(f.lockedOut ? { lockedOut: asBoolean(src, f.lockedOut) } : {}),
      ...(f.locked ? { locked: lockName(src, f.locked) } : {}),
      ...(f.failures ? { failures: count(f.failures) } : {}),
      ...(f.globalFailures ? { globalFailures: count(f.globalFailures) } : {}),
      ...(f.pinExpired ? { pinExpired: asBoolean(src, f.pinExpired) } : {}),
      source,
    };
  }
  if (keys.includes('outbox')) {
    const outboxField = mapFields(src, field, ['outbox']).outbox!;
    const f = mapFields(src, outboxField, ['to', 'count'], ['count']);
    return {
      kind: 'outbox',
      to: f.to ? asText(src, f.to, 'an email address') : undefined,
      count: asNumber(src, f.count!, { min: 0, max: 1e6, integer: true }),
      source,
    };
  }
  if (keys.includes('call')) {
    const f = mapFields(src, field, ['call', 'state'], ['call', 'state']);
    const call = asText(src, f.call!, 'a call id');
    if (!context.callIds.has(call)) src.fail('E_SCENARIO_REFERENCE', f.call!.node, f.call!.path, `unknown call '${call}'; calls are ${[...context.callIds].join(', ')}`);
    return { kind: 'call', call, state: stateName(src, f.state!), source };
  }
  return src.fail('E_SCENARIO_VALUE', field.node, field.path, `a final expect names a conference, user, outbox or call, got ${keys.length ? keys.join(', ') : 'nothing'}`, field.line);
}

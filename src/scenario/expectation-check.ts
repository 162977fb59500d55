/**
 * Whether a call's expectation holds, judged on the call's events since the
 * last met expectation (its mark). Expectations consume events in order:
 * the check finds the shortest run of new events after which every
 * condition holds, and the next expectation starts after that run. So two
 * `expect: { prompt: invalid-pin }` in a row need two invalid-pin prompts,
 * while `state` also accepts the state the call is already in.
 */
import type { CallStateName, PromptName } from '../flow/names.ts';
import type { CallExpectation } from './scenario-schema.ts';
import type { TimelineEvent } from './scenario-result.ts';

/** What the check needs of a call (SimCall provides it). */
export interface ExpectationSubject {
  readonly events: readonly TimelineEvent[];
  readonly stateAfter: readonly (CallStateName | undefined)[];
  readonly playingAfter: readonly (PromptName | undefined)[];
  readonly mark: number;
}

export interface ExpectationCheck {
  readonly met: boolean;
  /** Events used up: the next expectation looks from here. */
  readonly consumed: number;
  /** When not met: what happened instead, in words. */
  readonly problem: string;
}

export function checkExpectation(call: ExpectationSubject, expectation: CallExpectation): ExpectationCheck {
  const since = call.mark;
  const count = call.events.length;
  const stateAt = (k: number) => (k === 0 ? undefined : call.stateAfter[k - 1]);
  const hearingAt = (k: number) => (k === 0 ? undefined : call.playingAfter[k - 1]) ?? 'silence';
  let promptSeen = false;
  let admittedSeen = false;
  let stateSeen = false;
  let digits = '';
  for (let k = since; k <= count; k++) {
    if (k > since) {
      const event = call.events[k - 1]!;
      if (event.type === 'prompt-started' && event.prompt === expectation.prompt) promptSeen = true;
      if (event.type === 'admitted' || event.type === 'meeting-started') admittedSeen = true;
      if (event.type === 'digit-heard') digits += event.digit;
    }
    if (stateAt(k) === expectation.state) stateSeen = true;
    const holds =
      (expectation.prompt === undefined || promptSeen) &&
      (expectation.state === undefined || stateSeen) &&
      (expectation.hears === undefined || hearingAt(k) === expectation.hears) &&
      (expectation.digits === undefined || digits === expectation.digits) &&
      (expectation.admitted === undefined || admittedSeen === expectation.admitted);
    if (holds) return { met: true, consumed: k, problem: '' };
  }
  return { met: false, consumed: since, problem: describeMiss(call, expectation, digits) };
}

function describeMiss(call: ExpectationSubject, expectation: CallExpectation, digits: string): string {
  const recent = call.events.slice(call.mark);
  const state = call.stateAfter.at(-1);
  const parts = [state === undefined ? 'the call had not started' : state === 'disconnected' ? 'the call had ended' : `call was in ${state}`];
  const prompts = recent.flatMap((event) => (event.type === 'prompt-started' ? [event.prompt] : []));
  parts.push(prompts.length === 0 ? 'no new prompts' : `saw prompts: ${prompts.join(', ')}`);
  if (expectation.state !== undefined) {
    const states = recent.flatMap((event) => (event.type === 'state-entered' ? [event.state] : []));
    if (states.length > 0) parts.push(`entered: ${states.join(', ')}`);
  }
  if (expectation.digits !== undefined) parts.push(digits === '' ? 'heard no digits' : `heard digits: ${digits}`);
  if (expectation.hears !== undefined) parts.push(`hears ${call.playingAfter.at(-1) ?? 'silence'}`);
  if (expectation.admitted !== undefined) parts.push(expectation.admitted ? 'not admitted' : 'was admitted');
  return parts.join('; ');
}

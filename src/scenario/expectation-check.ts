/**
 * Whether a call's expectation holds. Only what happened after the call's
 * previous met expectation (its mark) counts, and each condition is judged
 * the way a person listening to the call would judge it:
 *
 * - `prompt`, `admitted`: it happened since the mark.
 * - `state`: the call entered that state since the mark (a press between two
 *   expects can pass through it), or has been in it since before the mark.
 * - `hears`: what the caller hears when the step starts, or starts hearing
 *   while the step waits; what played before the step does not count.
 * - `digits`: every digit heard since the mark, exactly, counting those
 *   heard before the step started (the keys of the press before it); still
 *   growing while the step waits for the last key of a press.
 *
 * Expectations consume events in order: the check finds the shortest run of
 * new events after which every condition holds, and the next expectation
 * starts after that run. So two `expect: { prompt: invalid-pin }` in a row
 * need two invalid-pin prompts.
 *
 * An expectation is met at the moment its condition became true: at the
 * event that completed the run (the prompt started, the last digit was
 * heard, the state was entered), even when that was before the step
 * started, or when the step started if it was judged then (`hears`, a state
 * the call was already in). What happened after that moment counts for the
 * next expectation: a `digits` expect does not swallow the prompt that the
 * last digit started.
 */
import type { CallStateName, PromptName } from '../flow/names.ts';
import { formatClock } from './duration.ts';
import type { CallExpectation } from './scenario-schema.ts';
import type { TimelineEvent } from './scenario-result.ts';

/** What the check needs of a call (SimCall provides it). */
export interface ExpectationSubject {
  readonly events: readonly TimelineEvent[];
  readonly stateAfter: readonly (CallStateName | undefined)[];
  readonly playingAfter: readonly (PromptName | undefined)[];
  readonly mark: number;
  /** When the call hung up, scenario ms; undefined while it is up. */
  readonly endedAtMs: number | undefined;
}

export interface ExpectationCheck {
  readonly met: boolean;
  /** Events used up: the next expectation looks from here. */
  readonly consumed: number;
  /** When not met: it never can be (the call is over, or other digits were heard). */
  readonly impossible: boolean;
  /** When not met: what happened instead, in words. */
  readonly problem: string;
  /** When met: the moment it became true, scenario ms. */
  readonly metAtMs: number;
  /** When met at one of the call's events (not at the step's start): that event. */
  readonly metBy: TimelineEvent | undefined;
}

/**
 * Checks `expectation` against `call`; `stepStart` is the number of the
 * call's events when the expect step started, `stepStartMs` its time.
 */
export function checkExpectation(call: ExpectationSubject, expectation: CallExpectation, stepStart: number, stepStartMs: number): ExpectationCheck {
  const since = call.mark;
  const from = Math.max(since, stepStart);
  const count = call.events.length;
  const stateAt = (k: number) => (k === 0 ? undefined : call.stateAfter[k - 1]);
  const hearingAt = (k: number) => (k === 0 ? undefined : call.playingAfter[k - 1]) ?? 'silence';
  // Digits heard before the step started count, but only if no other key followed them before it did.
  const digitsAtStepStart = digitsOf(call.events, since, from);
  // A state entered since the mark holds from its entry; one the call was in all along, from the step's start.
  const inStateAllAlong = stateAt(from) === expectation.state && !call.events.slice(since, from).some((event) => event.type === 'state-entered' && event.state === expectation.state);
  let promptSeen = false;
  let admittedSeen = false;
  let stateEntered = false;
  let digits = '';
  for (let k = since; k <= count; k++) {
    if (k > since) {
      const event = call.events[k - 1]!;
      if (event.type === 'prompt-started' && event.prompt === expectation.prompt) promptSeen = true;
      if (event.type === 'admitted' || event.type === 'meeting-started') admittedSeen = true;
      if (event.type === 'digit-heard') digits += event.digit;
      if (event.type === 'state-entered' && event.state === expectation.state) stateEntered = true;
    }
    const holds =
      (expectation.prompt === undefined || promptSeen) &&
      (expectation.state === undefined || inStateAllAlong || stateEntered) &&
      (expectation.hears === undefined || (k >= from && hearingAt(k) === expectation.hears)) &&
      (expectation.digits === undefined || (digits === expectation.digits && (k >= from || digitsAtStepStart === digits))) &&
      (expectation.admitted === undefined || admittedSeen === expectation.admitted);
    if (holds) {
      const judgedAtStepStart = expectation.hears !== undefined || (expectation.state !== undefined && !stateEntered);
      // Judged at the step's start, it cannot have become true at an event before it.
      const metBy = k > since && (!judgedAtStepStart || k > from) ? call.events[k - 1] : undefined;
      return { met: true, consumed: k, impossible: false, problem: '', metAtMs: metBy?.atMs ?? stepStartMs, metBy };
    }
  }
  // Digits only accumulate, and an ended call has no more events.
  const impossible = call.endedAtMs !== undefined || (expectation.digits !== undefined && !expectation.digits.startsWith(digits));
  return { met: false, consumed: since, impossible, problem: describeMiss(call, expectation, digits, from), metAtMs: stepStartMs, metBy: undefined };
}

function digitsOf(events: readonly TimelineEvent[], from: number, to: number): string {
  let digits = '';
  for (let k = from; k < to; k++) {
    const event = events[k]!;
    if (event.type === 'digit-heard') digits += event.digit;
  }
  return digits;
}

function describeMiss(call: ExpectationSubject, expectation: CallExpectation, digits: string, stepStart: number): string {
  const recent = call.events.slice(call.mark);
  const state = call.stateAfter.at(-1);
  const parts = [
    call.endedAtMs !== undefined ? `the call ended at ${formatClock(call.endedAtMs)}` : state === undefined ? 'the call had not started' : `call was in ${state}`,
  ];
  const prompts = recent.flatMap((event) => (event.type === 'prompt-started' ? [event.prompt] : []));
  parts.push(prompts.length === 0 ? 'no new prompts' : `saw prompts: ${prompts.join(', ')}`);
  if (expectation.state !== undefined) {
    const states = recent.flatMap((event) => (event.type === 'state-entered' ? [event.state] : []));
    if (states.length > 0) parts.push(`entered: ${states.join(', ')}`);
  }
  if (expectation.digits !== undefined) parts.push(digits === '' ? 'heard no digits' : `heard digits: ${digits}`);
  if (expectation.hears !== undefined) {
    const now = call.playingAfter.at(-1) ?? 'silence';
    const before = call.events
      .slice(call.mark, stepStart)
      .findLast((event) => event.type === 'prompt-stopped' && event.prompt === expectation.hears);
    parts.push(before === undefined ? `hears ${now}` : `hears ${now} (${expectation.hears} stopped at ${formatClock(before.atMs)}, before this expect)`);
  }
  if (expectation.admitted !== undefined) parts.push(expectation.admitted ? 'not admitted' : 'was admitted');
  return parts.join('; ');
}

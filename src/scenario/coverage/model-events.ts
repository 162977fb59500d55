/**
 * What can happen next to the modelled call, as the traversal's `events`,
 * and the key under which the traversal recognises a model state it has
 * seen before.
 */
import type { DtmfKey } from '../../dsp/dtmf-keys.ts';
import { callStateName } from '../../flow/call-state-name.ts';
import { LOOPED_PROMPTS } from '../../flow/names.ts';
import type { ModelEvent, ModelSnapshot } from './call-model.ts';
import { WORLD } from './paths-world.ts';

/**
 * Which keys are worth pressing now: toward each interesting entry (a
 * conference ID, the right PIN, a new PIN), the filler key for wrong and
 * over-long entries, `*`, and `#` where it ends an entry that matters.
 */
function keysFor(snapshot: ModelSnapshot): DtmfKey[] {
  const { call } = snapshot;
  const state = callStateName(call);
  const entry = call.context.entry;
  const toward = (targets: readonly string[]) =>
    targets.flatMap((target) => (target.startsWith(entry) && target.length > entry.length ? [target[entry.length] as DtmfKey] : []));
  const onlyFiller = /^9*$/.test(entry);
  let numeric: DtmfKey[] = [];
  let pound = true;
  if (state === 'greeting' || state === 'collecting-conference-id') {
    numeric = entry === '' ? [WORLD.needsLeader, WORLD.anonymous, WORLD.unknown, WORLD.lookupFails, WORLD.pinCheckFails] : [WORLD.filler];
    pound = entry.length <= 1;
  } else if (state === 'collecting-pin') {
    numeric = [...toward([snapshot.pin.pin]), ...(onlyFiller ? [WORLD.filler] : [])];
    pound = entry === '' || entry === snapshot.pin.pin || entry === WORLD.filler;
  } else if (state === 'changing-pin') {
    const newPin = call.context.newPin;
    if (newPin !== undefined) {
      numeric = [...toward([newPin]), ...(entry === '' ? [WORLD.filler] : [])];
      pound = entry === '' || entry === newPin || entry === WORLD.filler;
    } else {
      const targets = [WORLD.goodNewPin, WORLD.commonNewPin, WORLD.failingNewPin];
      numeric = [...toward(targets), ...(onlyFiller ? [WORLD.filler] : [])];
      pound = entry === '' || (targets as readonly string[]).includes(entry) || entry === WORLD.filler;
    }
  }
  return [...new Set<DtmfKey>([...numeric, '*', ...(pound ? (['#'] as const) : [])])];
}

/** The inputs that can happen next, as the traversal's `events`. */
export function modelEvents(snapshot: ModelSnapshot): ModelEvent[] {
  if (snapshot.status !== 'active') return [];
  const { call } = snapshot;
  const state = callStateName(call);
  const events: ModelEvent[] = [];
  for (const digit of keysFor(snapshot)) {
    if (call.can({ type: 'DIGIT', digit })) events.push({ type: 'DIGIT', digit });
  }
  const playing = call.context.playing;
  if (playing !== undefined && !LOOPED_PROMPTS.has(playing)) {
    events.push({ type: 'PROMPT_FINISHED', prompt: playing });
  } else if (snapshot.timers.length > 0) {
    // Only the shortest pending delay can fire first.
    const next = [...snapshot.timers].sort((a, b) => a.delayMs - b.delayMs)[0]!;
    events.push({ type: 'TIMER', event: next.event.type, delayMs: next.delayMs });
  }
  if (state === 'greeting') events.push({ type: 'HANGUP' });
  // The organizer joins from the app: before the caller dials (the meeting is
  // running when the caller arrives), or while the caller waits for a leader.
  const conference = call.context.conference;
  const beforeDialling = state === 'greeting';
  const waiting = conference !== undefined && conference.id === WORLD.needsLeader && (state === 'leader-question' || state === 'lobby' || state === 'collecting-pin');
  if (snapshot.started === undefined && (beforeDialling || waiting)) events.push({ type: 'APP_JOIN' });
  if (snapshot.started !== undefined && snapshot.member) events.push({ type: 'END_MEETING' });
  return events;
}

/** The traversal's state key: the machine state and everything that still matters for its future. */
export function serializeModel(snapshot: ModelSnapshot): string {
  const { call } = snapshot;
  const context = call.context;
  const state = callStateName(call);
  return JSON.stringify([
    call.value,
    call.status,
    context.playing,
    context.entry,
    state === 'collecting-conference-id' || state === 'greeting' ? context.conferenceIdFailures : 0,
    context.pinFailures,
    context.pinNoInputs,
    state === 'changing-pin' ? [context.pinChangeFailures, context.newPin] : 0,
    context.pinOrigin,
    context.queued,
    context.conference?.id,
    snapshot.pin,
    snapshot.started,
    snapshot.member,
    snapshot.appMember,
    snapshot.lobby,
    snapshot.timers.map((timer) => timer.id),
  ]);
}

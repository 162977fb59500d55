import { describe, expect, it } from 'vitest';
import { createActor, fromPromise, SimulatedClock } from 'xstate';
import { callMachine } from '../../src/flow/call-machine.ts';
import { callStateName } from '../../src/flow/call-state-name.ts';
import type { CallEmitted } from '../../src/flow/call-types.ts';
import type { LookupConferenceInput, VerifyPinInput } from '../../src/flow/directory-actors.ts';
import type { ConferenceInfo, PinVerification } from '../../src/flow/directory-port.ts';
import { DEFAULT_FLOW_OPTIONS, resolveFlowOptions } from '../../src/flow/flow-options.ts';
import { standardDirectory } from './fake-directory.ts';
import { settle } from './ivr-harness.ts';

const CONFERENCE: ConferenceInfo = { id: '42', organizerId: 'dana', allowAnonymousStart: false };

/** A call actor with provided directory actors; the test plays the conference and the media layer. */
function startCall(machine = callMachine, options = DEFAULT_FLOW_OPTIONS) {
  const clock = new SimulatedClock();
  const emitted: CallEmitted[] = [];
  const actor = createActor(machine, {
    clock,
    input: { callId: 'c1', directory: standardDirectory(), options, maxPinDigits: 6 },
  });
  actor.on('*', (event) => emitted.push(event));
  actor.start();
  const finish = () => {
    const playing = actor.getSnapshot().context.playing;
    if (playing === undefined) throw new Error('nothing playing');
    actor.send({ type: 'PROMPT_FINISHED', prompt: playing });
  };
  const keys = (digits: string) => {
    for (const digit of digits) actor.send({ type: 'DIGIT', digit: digit as never });
  };
  return { actor, clock, emitted, finish, keys, state: () => callStateName(actor.getSnapshot()) };
}

const withDirectory = (verification: PinVerification) =>
  callMachine.provide({
    actors: {
      lookupConference: fromPromise<ConferenceInfo | undefined, LookupConferenceInput>(async () => CONFERENCE),
      verifyPin: fromPromise<PinVerification, VerifyPinInput>(async () => verification),
    },
  });

describe('call machine', () => {
  it('asks its conference to admit it once the provided lookup finds the conference', async () => {
    const call = startCall(withDirectory({ outcome: 'accepted', userId: 'dana', mustChange: false }));
    call.finish();
    call.finish();
    call.keys('42#');
    await settle();
    expect(call.emitted).toContainEqual({
      type: 'to-conference',
      conferenceId: '42',
      message: { type: 'ARRIVE', allowAnonymousStart: false },
    });
    call.actor.send({ type: 'NOT_STARTED' });
    expect(call.state()).toBe('leader-question');
  });

  it('asks to start the meeting after an accepted PIN and enters the meeting after meeting-started', async () => {
    const call = startCall(withDirectory({ outcome: 'accepted', userId: 'dana', mustChange: false }));
    call.keys('42#');
    await settle();
    call.actor.send({ type: 'NOT_STARTED' });
    call.keys('*123456');
    await settle();
    expect(call.emitted).toContainEqual({
      type: 'to-conference',
      conferenceId: '42',
      message: { type: 'LEADER_START', userId: 'dana' },
    });
    call.actor.send({ type: 'START_CONFIRMED' });
    expect(call.emitted.at(-1)).toEqual({ type: 'play', prompt: 'meeting-started', loop: false });
    call.finish();
    expect(call.state()).toBe('in-meeting');
  });

  it('goes to locked-out for a locked organizer', async () => {
    const call = startCall(withDirectory({ outcome: 'locked', userId: 'dana' }));
    call.keys('42#');
    await settle();
    call.actor.send({ type: 'NOT_STARTED' });
    call.keys('*1#');
    await settle();
    expect(call.state()).toBe('locked-out');
    call.finish();
    expect(call.actor.getSnapshot().status).toBe('done');
    expect(call.emitted.at(-1)).toEqual({ type: 'hangup', reason: 'locked-out' });
  });

  it('treats a rejected directory promise as a system error', async () => {
    const machine = callMachine.provide({
      actors: { lookupConference: fromPromise<ConferenceInfo | undefined, LookupConferenceInput>(() =>
        Promise.reject(new Error('db down')),
      ) },
    });
    const call = startCall(machine);
    call.keys('42#');
    await settle();
    expect(call.emitted.at(-1)).toEqual({ type: 'play', prompt: 'goodbye', loop: false });
    call.finish();
    expect(call.emitted.at(-1)).toEqual({ type: 'hangup', reason: 'system-error' });
  });

  it('reads its delays from the options in its input', () => {
    const call = startCall(callMachine, resolveFlowOptions({ firstDigitTimeoutMs: 1_234 }));
    call.finish();
    call.finish();
    call.clock.increment(1_233);
    expect(call.emitted.filter((e) => e.type === 'play')).toHaveLength(2);
    call.clock.increment(1);
    expect(call.emitted.filter((e) => e.type === 'play')).toHaveLength(3);
  });

  it('lets a named delay be replaced with provide()', () => {
    const call = startCall(callMachine.provide({ delays: { firstDigitTimeout: 50 } }));
    call.finish();
    call.finish();
    call.clock.increment(50);
    expect(call.emitted.filter((e) => e.type === 'play')).toHaveLength(3);
  });

  it('reports only top-level state names', () => {
    const call = startCall();
    expect(call.actor.getSnapshot().value).toBe('greeting');
    call.finish();
    expect(call.actor.getSnapshot().value).toEqual({ 'collecting-conference-id': 'prompting' });
    expect(call.state()).toBe('collecting-conference-id');
  });

  it('stops with no pending delay when hung up', () => {
    const call = startCall();
    call.finish();
    call.finish(); // first-digit timer running
    call.actor.send({ type: 'HANGUP' });
    expect(call.actor.getSnapshot().status).toBe('done');
    const count = call.emitted.length;
    call.clock.increment(60_000);
    expect(call.emitted).toHaveLength(count);
  });
});

import { createActor, SimulatedClock } from 'xstate';
import { describe, expect, it } from 'vitest';
import { callMachine } from '../../../src/flow/call-machine.ts';
import type { DirectoryPort } from '../../../src/flow/directory-port.ts';
import { resolveFlowOptions } from '../../../src/flow/flow-options.ts';
import { CoverageRecorder } from '../../../src/scenario/coverage/coverage-recorder.ts';
import { catalogueMachine } from '../../../src/scenario/coverage/machine-transitions.ts';

describe('the call machine catalogue', () => {
  const catalogue = catalogueMachine(callMachine);

  it('lists every state and every transition candidate with a unique readable key', () => {
    expect(catalogue.states).toContain('collecting-pin.entering');
    expect(catalogue.states).toContain('lobby.holding');
    expect(new Set(catalogue.transitions.map((transition) => transition.key)).size).toBe(catalogue.transitions.length);
    const keys = catalogue.transitions.map((transition) => transition.key);
    expect(keys).toContain('greeting: DIGIT [isNumericKey] → collecting-conference-id.entering');
    expect(keys).toContain('collecting-conference-id.entering: after interDigitTimeout → collecting-conference-id.timedOut');
    expect(keys).toContain('collecting-conference-id.lookingUp: lookupConference error → collecting-conference-id.goodbye');
    expect(keys).toContain('changing-pin.comparing: always [newPinsMatch] → changing-pin.saving');
    expect(keys).toContain('(root): HANGUP → disconnected');
  });

  it('matches the transitions a running actor reports by identity', () => {
    const directory: DirectoryPort = {
      findConference: () => new Promise(() => {}),
      verifyLeaderPin: () => new Promise(() => {}),
      changePin: () => new Promise(() => {}),
      pinEntryLimits: () => ({ maxPinDigits: 24 }),
    };
    const recorder = new CoverageRecorder(callMachine);
    const actor = createActor(callMachine, {
      input: { callId: 'c', directory, options: resolveFlowOptions({}), maxPinDigits: 24 },
      clock: new SimulatedClock(),
      inspect: recorder.inspect,
    });
    actor.start();
    actor.send({ type: 'DIGIT', digit: '*' });
    actor.send({ type: 'DIGIT', digit: '1' });
    actor.send({ type: 'DIGIT', digit: '#' });
    actor.stop();
    const taken = catalogue.transitions.filter((transition) => recorder.transitions.has(transition.definition)).map((transition) => transition.key);
    expect(taken).toEqual([
      'greeting: DIGIT [isStar] → collecting-conference-id',
      'collecting-conference-id.prompting: DIGIT [isNumericKey] → collecting-conference-id.entering',
      'collecting-conference-id.entering: DIGIT [isPound] → collecting-conference-id.lookingUp',
    ]);
    expect(recorder.states.has('collecting-conference-id.lookingUp')).toBe(true);
    expect(recorder.events).toBeGreaterThan(0);
  });
});

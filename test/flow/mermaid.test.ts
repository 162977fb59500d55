import { describe, expect, it } from 'vitest';
import { setup } from 'xstate';
import { callMachine } from '../../src/flow/call-machine.ts';
import { conferenceMachine } from '../../src/flow/conference-machine.ts';
import { machineToMermaid } from '../../src/flow/mermaid.ts';
import { CALL_STATES } from '../../src/flow/names.ts';

describe('machineToMermaid', () => {
  it('draws a small machine: states, initial, guarded and delayed transitions, final', () => {
    const machine = setup({ guards: { ready: () => true }, delays: { wait: 100 } }).createMachine({
      initial: 'idle',
      states: {
        idle: { on: { GO: { guard: 'ready', target: 'busy' } } },
        busy: { after: { wait: 'done' } },
        done: { type: 'final' },
      },
    });
    expect(machineToMermaid(machine).split('\n')).toEqual([
      'stateDiagram-v2',
      '  [*] --> idle',
      '  state "idle" as idle',
      '  state "busy" as busy',
      '  state "done" as done',
      '  done --> [*]',
      '  idle --> busy : GO [ready]',
      '  busy --> done : after wait',
    ]);
  });

  it('draws edges between nested states of different composites between their sibling ancestors', () => {
    const machine = setup({}).createMachine({
      initial: 'a',
      states: {
        a: { initial: 'a1', states: { a1: { on: { NEXT: '#m.b.b2' } } } },
        b: { initial: 'b1', states: { b1: {}, b2: {} } },
      },
      id: 'm',
    });
    const text = machineToMermaid(machine);
    expect(text).toContain('  a --> b : NEXT');
    expect(text).toContain('    [*] --> b__b1');
  });

  it('shows every top-level call state and the directory actors of the call machine', () => {
    const text = machineToMermaid(callMachine);
    for (const state of CALL_STATES) expect(text).toContain(`state "${state}" as ${state.replace(/-/g, '_')}`);
    expect(text).toContain('verifying_pin --> locked_out : verifyPin done [pinLockedOut]');
    expect(text).toContain('leader_question --> lobby : after leaderQuestionTimeout');
    expect(text).toContain('note right of disconnected : HANGUP from any state');
  });

  it('draws the conference machine', () => {
    const text = machineToMermaid(conferenceMachine);
    expect(text).toContain('not_started --> started : LEADER_START');
    expect(text).toContain('started --> not_started : END');
  });
});

/**
 * Records which states and transitions of a machine real runs take, from
 * XState's inspection events: every `@xstate.microstep` lists the
 * transition definitions it took (the same objects the catalogue is keyed
 * by) and the snapshot it led to. Hand `inspect` to the Ivr through
 * runScenario's `inspect` option.
 */
import type { AnyStateMachine, AnyStateNode, InspectionEvent } from 'xstate';

export class CoverageRecorder {
  readonly machine: AnyStateMachine;
  readonly transitions = new Set<object>();
  /** State node paths (`collecting-pin.entering`) that were active at some point. */
  readonly states = new Set<string>();
  /** Inspection events of this machine seen at all: zero means the hook never reached its actors. */
  events = 0;

  constructor(machine: AnyStateMachine) {
    this.machine = machine;
  }

  readonly inspect = (event: InspectionEvent): void => {
    if ((event.actorRef as { logic?: unknown }).logic !== this.machine) return;
    this.events++;
    if (event.type === '@xstate.microstep') for (const transition of event._transitions) this.transitions.add(transition);
    if (event.type === '@xstate.microstep' || event.type === '@xstate.snapshot') this.addStates(event.snapshot);
  };

  /** Adds the active states of a machine snapshot. */
  addStates(snapshot: unknown): void {
    const nodes = (snapshot as { _nodes?: readonly AnyStateNode[] })._nodes ?? [];
    for (const node of nodes) if (node.path.length > 0) this.states.add(node.path.join('.'));
  }

  merge(other: CoverageRecorder): void {
    for (const transition of other.transitions) this.transitions.add(transition);
    for (const state of other.states) this.states.add(state);
  }
}

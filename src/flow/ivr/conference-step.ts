/**
 * One conference transition as a pure function over plain data: the state
 * before (as a shared store keeps it), one event, and what the conference
 * machine makes of it (the state after and what it emitted). A registry
 * that keeps conferences outside this process (on Redis) runs the same
 * machine through this, so both registries share one set of rules.
 */
import { createActor } from 'xstate';
import { conferenceMachine, type ConferenceEmitted, type ConferenceEvent } from '../conference-machine.ts';

/** A conference as data: what the machine's snapshot holds, in arrival and join order. */
export interface ConferenceState {
  readonly started: boolean;
  readonly leader?: string;
  readonly lobby: readonly string[];
  readonly participants: readonly string[];
}

export const EMPTY_CONFERENCE: ConferenceState = { started: false, lobby: [], participants: [] };

export interface ConferenceStep {
  readonly state: ConferenceState;
  readonly emitted: readonly ConferenceEmitted[];
}

export function stepConference(conferenceId: string, before: ConferenceState, event: ConferenceEvent): ConferenceStep {
  const snapshot = conferenceMachine.resolveState({
    value: before.started ? 'started' : 'not-started',
    context: {
      conferenceId,
      lobby: new Map(before.lobby.map((id) => [id, true as const])),
      participants: new Map(before.participants.map((id) => [id, true as const])),
      leader: before.leader,
    },
  });
  const actor = createActor(conferenceMachine, { snapshot, input: { conferenceId } });
  const emitted: ConferenceEmitted[] = [];
  actor.on('*', (e) => void emitted.push(e));
  actor.start();
  actor.send(event);
  const after = actor.getSnapshot();
  actor.stop();
  const { context } = after;
  const started = after.value === 'started';
  return {
    state: {
      started,
      ...(started && context.leader !== undefined ? { leader: context.leader } : {}),
      lobby: [...context.lobby.keys()],
      participants: [...context.participants.keys()],
    },
    emitted,
  };
}

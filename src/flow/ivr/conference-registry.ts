/**
 * Where the Ivr keeps its conferences' state. The Ivr talks to it only
 * through ConferenceRegistry, so the state can live elsewhere behind the
 * same interface (on Redis, shared by several servers: src/server/cluster,
 * where `send` commits asynchronously and the news comes back later, which
 * the call machine, waiting for its replies as events, is built for); the
 * in-memory registry here, one XState conference actor per conference
 * created on first use, is the default.
 */
import { createActor, type ActorRefFrom } from 'xstate';
import { conferenceMachine, type ConferenceEmitted, type ConferenceEvent } from '../conference-machine.ts';
import type { ConferenceSnapshot } from '../ivr-events.ts';
import type { SharedActorOptions } from './actor-options.ts';

export interface ConferenceRegistry {
  /** Sends `event` to the conference, creating it (not started, empty) if it has none yet. */
  send(conferenceId: string, event: ConferenceEvent): void;
  /** The conference as it is now; undefined when it has never been used. */
  snapshot(conferenceId: string): ConferenceSnapshot | undefined;
  /** Every conference used so far, in order of first use. */
  snapshots(): ConferenceSnapshot[];
  /** Stops every conference (no more events) and forgets them. */
  stop(): void;
}

/** Receives what each conference emits: in memory synchronously, while the event that caused it is handled. */
export type ConferenceListener = (conferenceId: string, event: ConferenceEmitted) => void;

type ConferenceActor = ActorRefFrom<typeof conferenceMachine>;

export class InMemoryConferences implements ConferenceRegistry {
  private readonly actors = new Map<string, ConferenceActor>();
  private readonly actorOptions: SharedActorOptions;
  private readonly onEmitted: ConferenceListener;

  constructor(actorOptions: SharedActorOptions, onEmitted: ConferenceListener) {
    this.actorOptions = actorOptions;
    this.onEmitted = onEmitted;
  }

  send(conferenceId: string, event: ConferenceEvent): void {
    this.actor(conferenceId).send(event);
  }

  snapshot(conferenceId: string): ConferenceSnapshot | undefined {
    const actor = this.actors.get(conferenceId);
    return actor ? snapshotOf(conferenceId, actor) : undefined;
  }

  snapshots(): ConferenceSnapshot[] {
    return [...this.actors].map(([id, actor]) => snapshotOf(id, actor));
  }

  stop(): void {
    for (const actor of this.actors.values()) actor.stop();
    this.actors.clear();
  }

  private actor(conferenceId: string): ConferenceActor {
    let actor = this.actors.get(conferenceId);
    if (actor) return actor;
    actor = createActor(conferenceMachine, { ...this.actorOptions, input: { conferenceId } });
    actor.on('*', (event) => this.onEmitted(conferenceId, event));
    this.actors.set(conferenceId, actor);
    actor.start();
    return actor;
  }
}

function snapshotOf(id: string, actor: ConferenceActor): ConferenceSnapshot {
  const snapshot = actor.getSnapshot();
  const { context } = snapshot;
  const started = snapshot.value === 'started';
  return {
    id,
    started,
    ...(started && context.leader !== undefined ? { leader: context.leader } : {}),
    lobby: [...context.lobby.keys()],
    participants: [...context.participants.keys()],
  };
}

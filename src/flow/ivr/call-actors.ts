/**
 * The Ivr's calls: one XState call actor per answered call, from startCall
 * until the machine hangs up. The actor's requests to its conference go to
 * the conference registry with the call as participant; everything else it
 * emits is published with its call id. Keys pressed during a directory
 * lookup are held in the type-ahead buffer.
 */
import { createActor, type ActorRefFrom } from 'xstate';
import type { DtmfKey } from '../../dsp/dtmf-keys.ts';
import { callMachine } from '../call-machine.ts';
import type { CallEmitted, CallEvent, CallToConference } from '../call-types.ts';
import type { ConferenceEvent } from '../conference-machine.ts';
import type { DirectoryPort } from '../directory-port.ts';
import { FlowInputError, FlowOptionsError } from '../flow-errors.ts';
import type { FlowOptions } from '../flow-options.ts';
import type { IvrEvent } from '../ivr-events.ts';
import type { SharedActorOptions } from './actor-options.ts';
import type { ConferenceRegistry } from './conference-registry.ts';
import { APP_PREFIX } from './participant-ids.ts';
import { TypeAhead } from './type-ahead.ts';

export type CallActor = ActorRefFrom<typeof callMachine>;

export interface CallActorsConfig {
  readonly directory: DirectoryPort;
  readonly options: FlowOptions;
  readonly actorOptions: SharedActorOptions;
  readonly conferences: ConferenceRegistry;
  readonly publish: (event: IvrEvent) => void;
}

/** A call's request as its conference receives it: with the call as participant. */
function toConference(callId: string, message: CallToConference): ConferenceEvent {
  switch (message.type) {
    case 'ARRIVE':
      return { type: 'ARRIVE', participantId: callId, allowAnonymousStart: message.allowAnonymousStart };
    case 'LEADER_START':
      return { type: 'LEADER_START', participantId: callId, userId: message.userId, how: 'leader-pin' };
    default:
      return { type: message.type, participantId: callId };
  }
}

export class CallActors {
  private readonly config: CallActorsConfig;
  private readonly calls = new Map<string, CallActor>();
  private readonly typeAhead = new TypeAhead();

  constructor(config: CallActorsConfig) {
    this.config = config;
  }

  /** Answers a call. Throws FlowInputError for a bad or duplicate id. */
  start(callId: string, from: string | undefined): void {
    if (typeof callId !== 'string' || callId.length === 0) throw new FlowInputError('callId must be a non-empty string');
    if (callId.startsWith(APP_PREFIX)) throw new FlowInputError(`callId '${callId}' uses the reserved prefix '${APP_PREFIX}'`);
    if (this.calls.has(callId)) throw new FlowInputError(`call '${callId}' is already in progress`);
    const { directory, options, actorOptions, publish } = this.config;
    const actor = createActor(callMachine, {
      ...actorOptions,
      input: { callId, directory, options, maxPinDigits: this.maxPinDigits() },
    });
    actor.on('*', (event) => this.onEmitted(callId, event));
    actor.subscribe(() => this.typeAhead.replay(callId, actor));
    this.calls.set(callId, actor);
    publish(from === undefined ? { type: 'call-started', callId } : { type: 'call-started', callId, from });
    actor.start();
  }

  get(callId: string): CallActor | undefined {
    return this.calls.get(callId);
  }

  send(callId: string, event: CallEvent): void {
    this.calls.get(callId)?.send(event);
  }

  /** A key for the call: held while it is in a `type-ahead` state, else sent now. */
  digit(actor: CallActor, callId: string, digit: DtmfKey): void {
    if (actor.getSnapshot().hasTag('type-ahead')) this.typeAhead.keep(callId, digit);
    else actor.send({ type: 'DIGIT', digit });
  }

  /** Live call ids, in the order they were answered. */
  ids(): string[] {
    return [...this.calls.keys()];
  }

  /** Stops every call actor (no events) and forgets them. */
  stop(): void {
    for (const actor of this.calls.values()) actor.stop();
    this.calls.clear();
    this.typeAhead.clear();
  }

  private onEmitted(callId: string, event: CallEmitted): void {
    switch (event.type) {
      case 'to-conference':
        return this.config.conferences.send(event.conferenceId, toConference(callId, event.message));
      case 'hangup':
        this.calls.delete(callId);
        this.typeAhead.forget(callId);
        return this.config.publish({ type: 'hung-up', callId, reason: event.reason });
      default:
        return this.config.publish({ ...event, callId });
    }
  }

  private maxPinDigits(): number {
    const limit = this.config.directory.pinEntryLimits().maxPinDigits;
    if (!Number.isInteger(limit) || limit < 1) {
      throw new FlowOptionsError(`directory pinEntryLimits().maxPinDigits must be an integer >= 1, got ${String(limit)}`);
    }
    return limit;
  }
}

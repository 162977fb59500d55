/**
 * The Ivr drives every call and conference actor of one deployment. It
 * turns API calls (keys, prompt reports, hang-ups, app joins) into machine
 * events, routes the calls' conference requests and the conferences'
 * replies, and publishes one IvrEvent stream. It owns no timers: delays run
 * on the XState clock given here (SimulatedClock in tests and scenarios,
 * the real clock by default).
 *
 *   startCall/digit/promptFinished/hangup ─► call actor ─┬─► play/stop/state… ─► subscribers
 *                                              ▲          └─► to-conference ─┐
 *                                              └── ADMIT/QUEUED/… ◄── conference actor
 */
import { createActor, type ActorOptions, type ActorRefFrom, type AnyActorLogic } from 'xstate';
import { isDtmfKey, type DtmfKey } from '../dsp/dtmf-keys.ts';
import { callMachine } from './call-machine.ts';
import { callStateName } from './call-state-name.ts';
import type { CallEmitted, CallEvent } from './call-types.ts';
import { conferenceMachine, type ConferenceEmitted, type ConferenceEvent } from './conference-machine.ts';
import type { DirectoryPort } from './directory-port.ts';
import { FlowInputError, FlowOptionsError } from './flow-errors.ts';
import { resolveFlowOptions, type FlowOptions } from './flow-options.ts';
import type { AppJoinResult, ConferenceSnapshot, IvrEvent } from './ivr-events.ts';
import { isPromptName, type CallStateName, type PromptName } from './names.ts';

/** XState's clock interface (setTimeout/clearTimeout); SimulatedClock implements it. */
export type IvrClock = NonNullable<ActorOptions<AnyActorLogic>['clock']>;

export interface IvrConfig {
  readonly directory: DirectoryPort;
  /** Overrides of DEFAULT_FLOW_OPTIONS; validated here (FlowOptionsError). */
  readonly options?: Partial<FlowOptions>;
  /** XState clock for every delay; the real clock when absent. */
  readonly clock?: IvrClock;
  /** XState inspector for every call and conference actor (state coverage, tracing). */
  readonly inspect?: ActorOptions<AnyActorLogic>['inspect'];
  /**
   * Called when a subscriber throws. The default rethrows it as an
   * unhandled promise rejection, so a faulty subscriber is loud but cannot
   * leave a machine half-way through a transition.
   */
  readonly onListenerError?: (error: unknown, event: IvrEvent) => void;
}

export type IvrListener = (event: IvrEvent) => void;

export interface Ivr {
  /** The resolved options every call runs with. */
  readonly options: FlowOptions;
  /** Answers a call: `greeting` and `play welcome`. Throws FlowInputError for a bad or duplicate id. */
  startCall(call: { readonly callId: string; readonly from?: string }): void;
  /**
   * A key from the decoder or a platform DTMF event; while the call is in a
   * `type-ahead` state it is kept and replayed later. False when the call is
   * unknown (e.g. already over).
   */
  digit(callId: string, digit: DtmfKey): boolean;
  /** The media layer finished playing `prompt`. False when the call is unknown. */
  promptFinished(callId: string, prompt: PromptName): boolean;
  /** The caller hung up. False when the call is unknown. */
  hangup(callId: string): boolean;
  /** The organizer joins from the app (no audio call); starts the meeting if needed. Rejects on directory errors. */
  appJoin(userId: string, conferenceId: string): Promise<AppJoinResult>;
  /** An app participant leaves. False when not in the meeting. */
  appLeave(userId: string, conferenceId: string): boolean;
  /** The organizer ends the meeting: participants hear goodbye. False when it is not running. */
  endMeeting(conferenceId: string): boolean;
  subscribe(listener: IvrListener): () => void;
  callState(callId: string): CallStateName | undefined;
  /** Live call ids, in the order they were answered. */
  callIds(): string[];
  conferences(): ConferenceSnapshot[];
  conference(conferenceId: string): ConferenceSnapshot | undefined;
  /** Stops every actor (no events), forgets every listener; later calls are refused. */
  stop(): void;
}

type CallActor = ActorRefFrom<typeof callMachine>;
type ConferenceActor = ActorRefFrom<typeof conferenceMachine>;

const APP_PREFIX = 'app:';
/** Type-ahead kept per call: a `#`, `*`, the longest PIN and its `#` fit easily. */
const MAX_TYPE_AHEAD_KEYS = 32;

export function createIvr(config: IvrConfig): Ivr {
  const options = resolveFlowOptions(config.options);
  const directory = config.directory;
  const actorOptions = {
    ...(config.clock === undefined ? {} : { clock: config.clock }),
    ...(config.inspect === undefined ? {} : { inspect: config.inspect }),
  };
  const calls = new Map<string, CallActor>();
  const conferenceActors = new Map<string, ConferenceActor>();
  /** Keys each call received in a `type-ahead` state, oldest first. */
  const typeAhead = new Map<string, DtmfKey[]>();
  const listeners = new Set<IvrListener>();
  const onListenerError = config.onListenerError ?? ((error: unknown) => void Promise.reject(error));
  let stopped = false;

  function publish(event: IvrEvent): void {
    for (const listener of listeners) {
      try {
        listener(event);
      } catch (error) {
        onListenerError(error, event);
      }
    }
  }

  const callIdOf = (participantId: string) => (participantId.startsWith(APP_PREFIX) ? undefined : participantId);
  const withCallId = (participantId: string) => {
    const callId = callIdOf(participantId);
    return callId === undefined ? {} : { callId };
  };

  function sendToCall(participantId: string, event: CallEvent): void {
    calls.get(participantId)?.send(event);
  }

  function conferenceActor(conferenceId: string): ConferenceActor {
    let actor = conferenceActors.get(conferenceId);
    if (actor) return actor;
    actor = createActor(conferenceMachine, { ...actorOptions, input: { conferenceId } });
    actor.on('*', (event) => onConferenceEmitted(conferenceId, event));
    conferenceActors.set(conferenceId, actor);
    actor.start();
    return actor;
  }

  function onConferenceEmitted(conferenceId: string, event: ConferenceEmitted): void {
    switch (event.type) {
      case 'must-ask-leader':
        return sendToCall(event.participantId, { type: 'NOT_STARTED' });
      case 'queued':
        publish({ type: 'lobby-entered', callId: event.participantId, conferenceId, position: event.position });
        return sendToCall(event.participantId, { type: 'QUEUED', position: event.position });
      case 'meeting-started':
        publish({
          type: 'meeting-started',
          conferenceId,
          by: event.by,
          how: event.how,
          ...withCallId(event.by),
          ...(event.userId === undefined ? {} : { userId: event.userId }),
        });
        return sendToCall(event.by, { type: 'START_CONFIRMED' });
      case 'admitted':
        publish({
          type: 'admitted',
          conferenceId,
          participantId: event.participantId,
          ...withCallId(event.participantId),
          fromLobby: event.fromLobby,
        });
        return sendToCall(event.participantId, { type: 'ADMIT' });
      case 'left':
        return publish({
          type: 'participant-left',
          conferenceId,
          participantId: event.participantId,
          ...withCallId(event.participantId),
          from: event.from,
        });
      case 'meeting-ended':
        return publish({ type: 'meeting-ended', conferenceId, reason: event.reason });
      case 'dismissed':
        return sendToCall(event.participantId, { type: 'MEETING_ENDED' });
    }
  }

  function onCallEmitted(callId: string, event: CallEmitted): void {
    switch (event.type) {
      case 'to-conference': {
        const conference = conferenceActor(event.conferenceId);
        const message = event.message;
        const routed: ConferenceEvent =
          message.type === 'ARRIVE'
            ? { type: 'ARRIVE', participantId: callId, allowAnonymousStart: message.allowAnonymousStart }
            : message.type === 'LEADER_START'
              ? { type: 'LEADER_START', participantId: callId, userId: message.userId, how: 'leader-pin' }
              : { type: message.type, participantId: callId };
        return conference.send(routed);
      }
      case 'hangup':
        calls.delete(callId);
        typeAhead.delete(callId);
        return publish({ type: 'hung-up', callId, reason: event.reason });
      default:
        return publish({ ...event, callId });
    }
  }

  /**
   * Replays a call's type-ahead once it has left the `type-ahead` states.
   * Keys kept while an unknown conference ID was looked up are dropped, as
   * FreeSWITCH flushes DTMF after a failed entry: they were meant for the
   * leader question and PIN prompt, not for the next ID attempt. A key
   * pressed once `invalid-conference-id` plays is not type-ahead: the call
   * machine takes it as the first key of the next entry (Asterisk keeps a
   * key pressed during an error prompt), as it does during `invalid-pin`.
   */
  function replayTypeAhead(callId: string, actor: CallActor): void {
    const keys = typeAhead.get(callId);
    if (keys === undefined) return;
    const snapshot = actor.getSnapshot();
    if (snapshot.hasTag('type-ahead')) return;
    typeAhead.delete(callId);
    if (snapshot.status !== 'active' || snapshot.context.conference === undefined) return;
    // Queued behind the event being processed, so the keys arrive in order.
    for (const digit of keys) actor.send({ type: 'DIGIT', digit });
  }

  function maxPinDigits(): number {
    const limit = directory.pinEntryLimits().maxPinDigits;
    if (!Number.isInteger(limit) || limit < 1) {
      throw new FlowOptionsError(`directory pinEntryLimits().maxPinDigits must be an integer >= 1, got ${String(limit)}`);
    }
    return limit;
  }

  function liveCall(callId: string): CallActor | undefined {
    return stopped ? undefined : calls.get(callId);
  }

  function snapshotOf(id: string, actor: ConferenceActor): ConferenceSnapshot {
    const { context } = actor.getSnapshot();
    const started = actor.getSnapshot().value === 'started';
    return {
      id,
      started,
      ...(started && context.leader !== undefined ? { leader: context.leader } : {}),
      lobby: [...context.lobby.keys()],
      participants: [...context.participants.keys()],
    };
  }

  return {
    options,

    startCall({ callId, from }) {
      if (stopped) throw new FlowInputError('the IVR has stopped');
      if (typeof callId !== 'string' || callId.length === 0) throw new FlowInputError('callId must be a non-empty string');
      if (callId.startsWith(APP_PREFIX)) throw new FlowInputError(`callId '${callId}' uses the reserved prefix '${APP_PREFIX}'`);
      if (calls.has(callId)) throw new FlowInputError(`call '${callId}' is already in progress`);
      const actor = createActor(callMachine, {
        ...actorOptions,
        input: { callId, directory, options, maxPinDigits: maxPinDigits() },
      });
      actor.on('*', (event) => onCallEmitted(callId, event));
      actor.subscribe(() => replayTypeAhead(callId, actor));
      calls.set(callId, actor);
      publish(from === undefined ? { type: 'call-started', callId } : { type: 'call-started', callId, from });
      actor.start();
    },

    digit(callId, digit) {
      if (!isDtmfKey(digit)) throw new FlowInputError(`'${String(digit)}' is not a DTMF key`);
      const actor = liveCall(callId);
      if (!actor) return false;
      publish({ type: 'digit', callId, digit });
      if (actor.getSnapshot().hasTag('type-ahead')) {
        const keys = typeAhead.get(callId) ?? [];
        if (keys.length < MAX_TYPE_AHEAD_KEYS) keys.push(digit);
        typeAhead.set(callId, keys);
        return true;
      }
      actor.send({ type: 'DIGIT', digit });
      return true;
    },

    promptFinished(callId, prompt) {
      if (!isPromptName(prompt)) throw new FlowInputError(`'${String(prompt)}' is not a prompt name`);
      const actor = liveCall(callId);
      if (!actor) return false;
      publish({ type: 'prompt-finished', callId, prompt });
      actor.send({ type: 'PROMPT_FINISHED', prompt });
      return true;
    },

    hangup(callId) {
      const actor = liveCall(callId);
      if (!actor) return false;
      actor.send({ type: 'HANGUP' });
      return true;
    },

    async appJoin(userId, conferenceId) {
      if (typeof userId !== 'string' || userId.length === 0) throw new FlowInputError('userId must be a non-empty string');
      if (stopped) throw new FlowInputError('the IVR has stopped');
      const info = await directory.findConference(conferenceId);
      if (info === undefined) return { ok: false, reason: 'unknown-conference' };
      if (info.organizerId !== userId) return { ok: false, reason: 'not-organizer' };
      if (stopped) throw new FlowInputError('the IVR has stopped');
      const participantId = `${APP_PREFIX}${userId}`;
      const conference = conferenceActor(conferenceId);
      const before = conference.getSnapshot();
      if (before.context.participants.has(participantId)) {
        return { ok: true, participantId, startedMeeting: false, alreadyJoined: true };
      }
      conference.send({ type: 'LEADER_START', participantId, userId, how: 'app' });
      return { ok: true, participantId, startedMeeting: before.value !== 'started', alreadyJoined: false };
    },

    appLeave(userId, conferenceId) {
      const conference = stopped ? undefined : conferenceActors.get(conferenceId);
      const participantId = `${APP_PREFIX}${userId}`;
      if (!conference?.getSnapshot().context.participants.has(participantId)) return false;
      conference.send({ type: 'LEAVE', participantId });
      return true;
    },

    endMeeting(conferenceId) {
      const conference = stopped ? undefined : conferenceActors.get(conferenceId);
      if (!conference || conference.getSnapshot().value !== 'started') return false;
      conference.send({ type: 'END' });
      return true;
    },

    subscribe(listener) {
      listeners.add(listener);
      return () => void listeners.delete(listener);
    },

    callState(callId) {
      const actor = liveCall(callId);
      return actor ? callStateName(actor.getSnapshot()) : undefined;
    },

    callIds: () => (stopped ? [] : [...calls.keys()]),

    conferences: () => (stopped ? [] : [...conferenceActors].map(([id, actor]) => snapshotOf(id, actor))),

    conference(conferenceId) {
      const actor = stopped ? undefined : conferenceActors.get(conferenceId);
      return actor ? snapshotOf(conferenceId, actor) : undefined;
    },

    stop() {
      if (stopped) return;
      stopped = true;
      listeners.clear();
      for (const actor of calls.values()) actor.stop();
      for (const actor of conferenceActors.values()) actor.stop();
      calls.clear();
      typeAhead.clear();
      conferenceActors.clear();
    },
  };
}

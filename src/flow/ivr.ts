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
 *
 * The parts, in src/flow/ivr/: the calls (call-actors.ts) with their
 * type-ahead buffer (type-ahead.ts), the conferences behind the
 * ConferenceRegistry interface (conference-registry.ts) and what their news
 * means for calls and subscribers (conference-news.ts), the organizer's app
 * actions (app-actions.ts), and the subscribers (ivr-listeners.ts).
 */
import type { ActorOptions, AnyActorLogic } from 'xstate';
import { isDtmfKey, type DtmfKey } from '../dsp/dtmf-keys.ts';
import { callStateName } from './call-state-name.ts';
import type { DirectoryPort } from './directory-port.ts';
import { FlowInputError } from './flow-errors.ts';
import { resolveFlowOptions, type FlowOptions } from './flow-options.ts';
import type { AppJoinResult, ConferenceSnapshot, IvrEvent } from './ivr-events.ts';
import { sharedActorOptions } from './ivr/actor-options.ts';
import { AppActions } from './ivr/app-actions.ts';
import { CallActors, type CallActor } from './ivr/call-actors.ts';
import { relayConferenceNews } from './ivr/conference-news.ts';
import { InMemoryConferences, type ConferenceListener, type ConferenceRegistry } from './ivr/conference-registry.ts';
import { IvrListeners, type IvrListener } from './ivr/ivr-listeners.ts';
import { isPromptName, type CallStateName, type PromptName } from './names.ts';

export type { IvrListener } from './ivr/ivr-listeners.ts';

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
  /**
   * Where the conferences live: given what they emit is to reach, the
   * registry. In memory (one conference actor each) when absent; a shared
   * store (src/server/cluster) for a bridge of several processes.
   */
  readonly conferences?: (onEmitted: ConferenceListener) => ConferenceRegistry;
}

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

export function createIvr(config: IvrConfig): Ivr {
  const options = resolveFlowOptions(config.options);
  const directory = config.directory;
  const actorOptions = sharedActorOptions(config);
  const listeners = new IvrListeners(config.onListenerError ?? ((error: unknown) => void Promise.reject(error)));
  const publish = (event: IvrEvent) => listeners.publish(event);
  let stopped = false;

  const onEmitted: ConferenceListener = (conferenceId, event) =>
    relayConferenceNews(conferenceId, event, { publish, sendToCall: (participantId, message) => calls.send(participantId, message) });
  const conferences = config.conferences ? config.conferences(onEmitted) : new InMemoryConferences(actorOptions, onEmitted);
  const calls = new CallActors({ directory, options, actorOptions, conferences, publish });
  const app = new AppActions({ directory, conferences, stopped: () => stopped });
  const liveCall = (callId: string): CallActor | undefined => (stopped ? undefined : calls.get(callId));

  return {
    options,

    startCall({ callId, from }) {
      if (stopped) throw new FlowInputError('the IVR has stopped');
      calls.start(callId, from);
    },

    digit(callId, digit) {
      if (!isDtmfKey(digit)) throw new FlowInputError(`'${String(digit)}' is not a DTMF key`);
      const actor = liveCall(callId);
      if (!actor) return false;
      publish({ type: 'digit', callId, digit });
      calls.digit(actor, callId, digit);
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

    appJoin: (userId, conferenceId) => app.join(userId, conferenceId),
    appLeave: (userId, conferenceId) => app.leave(userId, conferenceId),
    endMeeting: (conferenceId) => app.endMeeting(conferenceId),
    subscribe: (listener) => listeners.add(listener),

    callState(callId) {
      const actor = liveCall(callId);
      return actor ? callStateName(actor.getSnapshot()) : undefined;
    },

    callIds: () => (stopped ? [] : calls.ids()),
    conferences: () => (stopped ? [] : conferences.snapshots()),
    conference: (conferenceId) => (stopped ? undefined : conferences.snapshot(conferenceId)),

    stop() {
      if (stopped) return;
      stopped = true;
      listeners.clear();
      calls.stop();
      conferences.stop();
    },
  };
}

/**
 * The call machine inside a model of its surroundings, as an XState actor
 * logic that @xstate/graph can traverse: one caller, its conference and the
 * directory of a PathWorld. Only the caller's side is left open as events
 * (keys, prompt ends, timers, hanging up) plus two acts of others (the
 * organizer joins or ends the meeting from the app). Everything the Ivr and
 * the directory would answer is applied inside the same step, exactly as
 * the scenario runner settles directory work before time moves on.
 *
 * Each step records the machine events it delivered, so that a path can be
 * replayed into a real actor (model-replay.ts) and turned into a scenario
 * (path-scenario.ts).
 */
import { createEmptyActor, type ActorLogic, type AnyActorScope, type EventObject, type SnapshotFrom } from 'xstate';
import type { DtmfKey } from '../../dsp/dtmf-keys.ts';
import { callMachine } from '../../flow/call-machine.ts';
import type { CallEmitted, CallEvent } from '../../flow/call-types.ts';
import type { DirectoryPort } from '../../flow/directory-port.ts';
import { resolveFlowOptions } from '../../flow/flow-options.ts';
import type { CallStateName, PromptName } from '../../flow/names.ts';
import { callStateName } from '../../flow/call-state-name.ts';
import { changeOutcome, conferenceInfo, initialPin, PATH_FLOW_OPTIONS, verifyOutcome, WORLD, type PathWorld, type WorldPin } from './paths-world.ts';

type CallSnapshot = SnapshotFrom<typeof callMachine>;

/** An input of the model: something the caller or another party does. */
export type ModelEvent =
  | { readonly type: 'DIGIT'; readonly digit: DtmfKey }
  | { readonly type: 'PROMPT_FINISHED'; readonly prompt: PromptName }
  | { readonly type: 'HANGUP' }
  /** A pending delayed event of the call fires (a digit timeout, the lobby timeout). */
  | { readonly type: 'TIMER'; readonly event: string; readonly delayMs: number }
  /** The organizer joins from the app: the meeting starts. */
  | { readonly type: 'APP_JOIN' }
  /** The organizer ends the meeting from the app. */
  | { readonly type: 'END_MEETING' };

interface Timer {
  readonly id: string;
  readonly event: EventObject;
  readonly delayMs: number;
}

/** What one model step did, for scenarios and coverage. */
export interface StepRecord {
  /** Machine events delivered to the call, in order. */
  readonly delivered: readonly EventObject[];
  /** The machine's transitions taken, as their definition objects (see machine-transitions.ts). */
  readonly transitions: readonly object[];
  /** Prompts started during the step, in order. */
  readonly promptsStarted: readonly PromptName[];
  readonly stateAfter: CallStateName;
  /** What plays when the step is over. */
  readonly playingAfter: PromptName | undefined;
}

export interface ModelSnapshot {
  readonly status: 'active' | 'done';
  readonly output: undefined;
  readonly error: undefined;
  readonly call: CallSnapshot;
  readonly pin: WorldPin;
  /** The conference whose meeting is running (the model follows one), if any. */
  readonly started: string | undefined;
  /** The call is in the running meeting (or being announced into it). */
  readonly member: boolean;
  /** The app participant is in the running meeting. */
  readonly appMember: boolean;
  readonly lobby: boolean;
  readonly timers: readonly Timer[];
  readonly last: StepRecord | undefined;
}

/** A directory the model's machine never waits on: its answers are applied by the model. */
function silentDirectory(world: PathWorld): DirectoryPort {
  return {
    findConference: () => new Promise(() => {}),
    verifyLeaderPin: () => new Promise(() => {}),
    changePin: () => new Promise(() => {}),
    pinEntryLimits: () => ({ maxPinDigits: world.maxPinDigits }),
  };
}

export const MODEL_CALL_ID = 'caller';

export function modelInput(world: PathWorld) {
  return { callId: MODEL_CALL_ID, directory: silentDirectory(world), options: resolveFlowOptions(PATH_FLOW_OPTIONS), maxPinDigits: world.maxPinDigits };
}

interface Capture {
  emitted: CallEmitted[];
  raised: Timer[];
  cancelled: string[];
  spawned: string[];
}

function captureScope(capture: Capture): AnyActorScope {
  const empty = createEmptyActor();
  return {
    self: empty,
    logger: () => {},
    id: MODEL_CALL_ID,
    sessionId: 'model',
    defer: () => {},
    system: empty.system,
    stopChild: () => {},
    emit: () => {},
    actionExecutor: (action: { type: string; params?: unknown }) => {
      const params = action.params as Record<string, unknown> | undefined;
      if (action.type === 'xstate.emit' && params) capture.emitted.push(params.event as CallEmitted);
      if (action.type === 'xstate.raise' && params && typeof params.delay === 'number') {
        capture.raised.push({ id: String(params.id), event: params.event as EventObject, delayMs: params.delay });
      }
      if (action.type === 'xstate.cancel' && params) capture.cancelled.push(String(params.sendId));
      if (action.type === 'xstate.spawnChild' && params) capture.spawned.push(String(params.id));
    },
  } as unknown as AnyActorScope;
}

/** Applies machine events one after another, with the world's answers, and records what happened. */
class Step {
  snapshot: ModelSnapshot;
  readonly delivered: EventObject[] = [];
  readonly transitions: object[] = [];
  readonly prompts: PromptName[] = [];
  readonly #world: PathWorld;
  #call: CallSnapshot;
  #timers: Timer[];
  #pin: WorldPin;
  #started: string | undefined;
  #member: boolean;
  #appMember: boolean;
  #lobby: boolean;

  constructor(world: PathWorld, snapshot: ModelSnapshot) {
    this.#world = world;
    this.snapshot = snapshot;
    this.#call = snapshot.call;
    this.#timers = [...snapshot.timers];
    this.#pin = snapshot.pin;
    this.#started = snapshot.started;
    this.#member = snapshot.member;
    this.#appMember = snapshot.appMember;
    this.#lobby = snapshot.lobby;
  }

  deliver(event: EventObject): void {
    if (this.#call.status !== 'active') return;
    const capture: Capture = { emitted: [], raised: [], cancelled: [], spawned: [] };
    this.delivered.push(event);
    this.#timers = this.#timers.filter((timer) => timer.event.type !== event.type);
    const callEvent = event as CallEvent;
    this.transitions.push(...callMachine.getTransitionData(this.#call, callEvent));
    const microstates = callMachine.microstep(this.#call, callEvent, captureScope(capture));
    // Eventless transitions between the microstates, recognised by where they lead.
    for (let i = 0; i + 1 < microstates.length; i++) {
      const always = eventlessTransition(microstates[i]!, microstates[i + 1]!);
      if (always) this.transitions.push(always);
    }
    this.#call = microstates.at(-1) ?? this.#call;
    this.#timers = this.#timers.filter((timer) => !capture.cancelled.includes(timer.id)).concat(capture.raised);
    const replies: EventObject[] = [];
    for (const emitted of capture.emitted) {
      if (emitted.type === 'play') this.prompts.push(emitted.prompt);
      if (emitted.type === 'to-conference') replies.push(...this.#conference(emitted.message.type, emitted.message.type === 'ARRIVE' ? emitted.message.allowAnonymousStart : false));
    }
    for (const id of capture.spawned) replies.push(this.#directory(id));
    for (const reply of replies) this.deliver(reply);
  }

  /** The conference this call dialled, or the one it is about to dial. */
  #conferenceId(): string {
    return this.#call.context.conference?.id ?? WORLD.needsLeader;
  }

  /** The other parties act: the organizer joins from the app and the meeting starts. */
  appJoin(): void {
    if (this.#started !== undefined) return;
    this.#started = this.#conferenceId();
    this.#appMember = true;
    if (this.#lobby) {
      this.#lobby = false;
      this.#member = true;
      this.deliver({ type: 'ADMIT' });
    }
  }

  endMeeting(): void {
    if (this.#started === undefined) return;
    this.#started = undefined;
    this.#appMember = false;
    if (this.#member) {
      this.#member = false;
      this.deliver({ type: 'MEETING_ENDED' });
    }
  }

  #conference(request: string, anonymous: boolean): EventObject[] {
    const here = this.#conferenceId();
    const running = this.#started === here;
    const join = (): EventObject[] => {
      this.#member = true;
      this.#lobby = false;
      return [{ type: 'ADMIT' }];
    };
    switch (request) {
      case 'ARRIVE':
        if (running) return join();
        if (anonymous) {
          this.#started = here;
          this.#member = true;
          return [{ type: 'START_CONFIRMED' }];
        }
        return [{ type: 'NOT_STARTED' }];
      case 'ENTER_LOBBY':
        if (running) return join();
        this.#lobby = true;
        return [{ type: 'QUEUED', position: 1 } as EventObject];
      case 'LEADER_START':
        if (running) return join();
        this.#started = here;
        this.#member = true;
        this.#lobby = false;
        return [{ type: 'START_CONFIRMED' }];
      case 'LEAVE':
        this.#lobby = false;
        if (this.#member) {
          this.#member = false;
          if (!this.#appMember) this.#started = undefined;
        }
        return [];
      default:
        return [];
    }
  }

  #directory(actorId: string): EventObject {
    const context = this.#call.context;
    const done = (output: unknown): EventObject => ({ type: `xstate.done.actor.${actorId}`, output, actorId } as EventObject);
    const error = (): EventObject => ({ type: `xstate.error.actor.${actorId}`, error: new Error('injected directory failure'), actorId } as EventObject);
    if (actorId === 'lookupConference') {
      const id = context.conferenceId ?? '';
      return id === WORLD.lookupFails ? error() : done(conferenceInfo(id));
    }
    if (actorId === 'verifyPin') {
      const outcome = verifyOutcome(this.#world, this.#pin, context.conferenceId ?? '', context.entry);
      this.#pin = outcome.pin;
      return outcome.ok ? done(outcome.value) : error();
    }
    if (actorId === 'changePin') {
      const outcome = changeOutcome(this.#pin, context.newPin ?? '');
      this.#pin = outcome.pin;
      return outcome.ok ? done(outcome.value) : error();
    }
    throw new Error(`internal: the call model does not know actor ${actorId}`);
  }

  finish(): ModelSnapshot {
    const call = this.#call;
    return {
      status: call.status === 'done' ? 'done' : 'active',
      output: undefined,
      error: undefined,
      call,
      pin: this.#pin,
      started: this.#started,
      member: this.#member,
      appMember: this.#appMember,
      lobby: this.#lobby,
      timers: this.#timers,
      last: { delivered: this.delivered, transitions: this.transitions, promptsStarted: this.prompts, stateAfter: callStateName(call), playingAfter: call.context.playing },
    };
  }
}

/** What @xstate/graph requires of a snapshot. */
type AnySnapshotShape = { status: 'active' | 'done' | 'error' | 'stopped'; output: unknown; error: unknown };

/**
 * The eventless (`always`) transition that leads from one microstate to the
 * next: the candidate of an active state whose targets are all active next.
 */
function eventlessTransition(from: CallSnapshot, to: CallSnapshot): object | undefined {
  const next = new Set(to._nodes);
  const candidates = from._nodes.flatMap((node) => node.always ?? []);
  return candidates.find((definition) => (definition.target ?? []).length > 0 && (definition.target ?? []).every((target) => next.has(target)));
}

export function callModel(world: PathWorld): ActorLogic<ModelSnapshot & AnySnapshotShape, ModelEvent, undefined> {
  return {
    config: { world: world.name },
    transition(snapshot: ModelSnapshot, event: ModelEvent): ModelSnapshot {
      const step = new Step(world, snapshot);
      switch (event.type) {
        case 'APP_JOIN':
          step.appJoin();
          break;
        case 'END_MEETING':
          step.endMeeting();
          break;
        case 'TIMER':
          step.deliver({ type: event.event });
          break;
        default:
          step.deliver(event);
      }
      return step.finish();
    },
    getInitialSnapshot() {
      const capture: Capture = { emitted: [], raised: [], cancelled: [], spawned: [] };
      const call = callMachine.getInitialSnapshot(captureScope(capture), modelInput(world));
      const prompts = capture.emitted.flatMap((emitted) => (emitted.type === 'play' ? [emitted.prompt] : []));
      return {
        status: 'active',
        output: undefined,
        error: undefined,
        call,
        pin: initialPin(world),
        started: undefined,
        member: false,
        appMember: false,
        lobby: false,
        timers: capture.raised,
        last: { delivered: [], transitions: [], promptsStarted: prompts, stateAfter: callStateName(call), playingAfter: call.context.playing },
      };
    },
    getPersistedSnapshot: (snapshot: ModelSnapshot) => snapshot,
  } as unknown as ActorLogic<ModelSnapshot & AnySnapshotShape, ModelEvent, undefined>;
}


/**
 * The scenario simulator: a discrete-event simulation of every call of a
 * scenario against one Ivr and an in-memory PIN directory, on a simulated
 * clock. Time moves in 20 ms audio frames only for calls that have audio to
 * compute (see sim-call.ts); otherwise it jumps straight to the next thing
 * due: a call's `at`, the end of a `wait`, a prompt's end, an XState delay,
 * an expectation's deadline. An hour in the lobby costs nothing.
 *
 * In one instant the order is: audio frames ending now, then the flow's
 * timers due now, then the scripts. Directory work (promises) is awaited
 * before time moves on, so a PIN check takes no simulated time.
 *
 * The order the scenario lists its calls in changes nothing: scripts act in
 * the order of their `at`, then of their ids, and each script asks to be
 * advanced by its own index when its wait is over.
 */
import { performance } from 'node:perf_hooks';
import { applyDeployment, type Deployment } from '../directory/deployment.ts';
import { PinDirectory } from '../directory/pin-directory.ts';
import type { ScryptCost } from '../directory/pin-hash.ts';
import { createDigitDecoder } from '../engines/create-digit-decoder.ts';
import type { DigitDecoder } from '../engines/digit-decoder.ts';
import type { DirectoryPort } from '../flow/directory-port.ts';
import type { FlowOptions } from '../flow/flow-options.ts';
import type { InspectionEvent } from 'xstate';
import { createIvr, type Ivr, type IvrConfig } from '../flow/ivr.ts';
import type { IvrEvent } from '../flow/ivr-events.ts';
import { CallMedia } from '../media/call-media.ts';
import { loadPromptLibrary } from '../media/load-prompt-library.ts';
import type { PromptLibrary } from '../media/prompt-library.ts';
import type { SessionFlow } from '../session/call-session.ts';
import { CallScript, type ScriptEnv } from './call-script.ts';
import { trackDirectory } from './directory-tracker.ts';
import { checkFinalExpectations } from './final-expectations.ts';
import { parseScenario } from './parse-scenario.ts';
import { ScenarioError } from './scenario-error.ts';
import { asScenarioError } from './scenario-files.ts';
import type { ExpectationResult, ScenarioResult, TimelineEvent } from './scenario-result.ts';
import type { CallSpec, ScenarioSpec } from './scenario-schema.ts';
import { SimCall } from './sim-call.ts';
import { SimClock } from './sim-clock.ts';
import { WakeQueue } from './wake-queue.ts';
import { readFile } from 'node:fs/promises';

export interface RunScenarioOptions {
  /**
   * Keep each call's audio (stereo: caller, IVR) in the result's
   * `recordings`; only the first RECORDED_CALLS_LIMIT calls of a scenario
   * are recorded, so that a crowd scenario cannot exhaust memory.
   */
  record: boolean;
  /** The prompts; the repository's audio/prompts by default (loaded once per process). */
  prompts: PromptLibrary | undefined;
  /** Flow options applied over the scenario's own `options.flow`. */
  flow: Partial<FlowOptions>;
  /**
   * scrypt cost of the scenario's in-memory directory. Deliberately cheap:
   * the directory lives for one run and holds invented PINs, and the real
   * cost would make PIN checks dominate the run time.
   */
  hashCost: ScryptCost;
  /**
   * Called with every timeline event as it happens; a met expect when it is
   * decided, which can be after the event that met it (the timeline itself
   * has it right after that event).
   */
  onEvent: ((event: TimelineEvent) => void) | undefined;
  /** Makes each call's decoder; the native detector by default. */
  createDecoder: (sampleRate: number) => DigitDecoder;
  /** Extra Ivr settings. */
  ivr: Partial<Omit<IvrConfig, 'directory' | 'options' | 'clock'>>;
  /** XState inspection of every actor of the run (coverage-recorder.ts). */
  inspect: ((event: InspectionEvent) => void) | undefined;
  /** Wraps the directory the flow sees (generated scenarios inject failures). */
  wrapDirectory: ((directory: DirectoryPort) => DirectoryPort) | undefined;
}

/** Calls recorded per scenario at most (a recording of a short call is about 1 MB). */
export const RECORDED_CALLS_LIMIT = 100;

export const DEFAULT_RUN_OPTIONS: RunScenarioOptions = {
  record: false,
  prompts: undefined,
  flow: {},
  hashCost: { N: 1024, r: 8, p: 1 },
  onEvent: undefined,
  createDecoder: (sampleRate) => createDigitDecoder('native', sampleRate),
  ivr: {},
  inspect: undefined,
  wrapDirectory: undefined,
};

let sharedPrompts: Promise<PromptLibrary> | undefined;

/** The repository's prompts, loaded once per process. */
export function defaultPrompts(): Promise<PromptLibrary> {
  sharedPrompts ??= loadPromptLibrary();
  return sharedPrompts;
}

/** Parses a scenario file and runs it. */
export async function runScenarioFile(file: string, options: Partial<RunScenarioOptions> = {}): Promise<ScenarioResult> {
  const text = await readFile(file, 'utf8').catch((error: NodeJS.ErrnoException) => {
    throw new ScenarioError('E_SCENARIO_FILE', file, undefined, undefined, error.code === 'ENOENT' ? 'no such file' : `cannot read: ${error.message}`);
  });
  return runScenario(await parseScenario(text, file), options);
}

export async function runScenario(spec: ScenarioSpec, partial: Partial<RunScenarioOptions> = {}): Promise<ScenarioResult> {
  const options: RunScenarioOptions = { ...DEFAULT_RUN_OPTIONS, ...partial };
  const wallStart = performance.now();
  const sampleRate = spec.options.sampleRate;
  const library = (options.prompts ?? (await defaultPrompts())).atRate(sampleRate);
  let now = 0;
  const clock = new SimClock();
  const directory = PinDirectory.open(':memory:', { clock: { now: () => spec.options.startEpochMs + now }, hashCost: options.hashCost });
  let ivr: Ivr | undefined;
  try {
    await applyScenarioDeployment(directory, spec);
    const tracked = trackDirectory(options.wrapDirectory ? options.wrapDirectory(directory) : directory);
    const config: IvrConfig = {
      ...options.ivr,
      directory: tracked.port,
      options: { ...spec.options.flow, ...options.flow },
      clock,
      ...(options.inspect ? { inspect: options.inspect } : {}),
    };
    ivr = createIvr(config);
    const timeline: TimelineEvent[] = [];
    const expectations: ExpectationResult[] = [];
    const calls: SimCall[] = [];
    const callsById = new Map<string, SimCall>();
    const mediaQueue = new WakeQueue<number>();
    const scriptQueue = new WakeQueue<number>();
    const ready = new Set<number>();
    const touched = new Set<SimCall>();

    const log = (event: TimelineEvent, after?: TimelineEvent) => {
      // An expect met at an earlier event of its call goes right after that event.
      const at = after === undefined ? timeline.length : timeline.lastIndexOf(after) + 1;
      if (after !== undefined && at === 0) throw new Error(`internal: scenario ${spec.name} logged an event after one not in its timeline`);
      timeline.splice(at, 0, event);
      options.onEvent?.(event);
    };
    const live = ivr;
    const flow: SessionFlow = {
      startCall: (callId, from) => live.startCall(from === undefined ? { callId } : { callId, from }),
      digit: (callId, digit) => void live.digit(callId, digit),
      promptFinished: (callId, prompt) => void live.promptFinished(callId, prompt),
      hangup: (callId) => void live.hangup(callId),
    };
    const env: ScriptEnv = {
      ivr,
      sampleRate,
      ids: spec.deployment.ids,
      now: () => now,
      log,
      record: (result) => expectations.push(result),
      placeCall(callSpec: CallSpec) {
        const record = options.record && calls.length < RECORDED_CALLS_LIMIT;
        const media = new CallMedia(library, { outputRate: sampleRate });
        const call = new SimCall(callSpec, calls.length, options.createDecoder(sampleRate), media, {
          sampleRate,
          flow,
          now: () => now,
          log,
        }, record);
        calls.push(call);
        callsById.set(call.id, call);
        call.session.start();
        touched.add(call);
        return call;
      },
      ready: (index) => ready.add(index),
      touched: (call) => touched.add(call),
    };
    const arrivals = new Map<string, Set<string>>();
    ivr.subscribe((event) => {
      noteArrival(event, arrivals);
      routeIvrEvent(event, callsById, now, log, touched);
    });

    const scripts = [...spec.calls].sort(byStartThenId).map((callSpec, index) => new CallScript(callSpec, index, env));
    scripts.forEach((script) => scriptQueue.set(script.index, script.wakeAtMs()));

    let unfinished = scripts.length;
    while (unfinished > 0) {
      const next = Math.min(mediaQueue.peekMs(), scriptQueue.peekMs(), clock.nextDueMs());
      if (next === Infinity) throw new Error(`internal: scenario ${spec.name} has nothing left to wait for but unfinished calls`);
      now = next;
      clock.setNow(now);

      for (const index of mediaQueue.takeDue(now).sort((a, b) => a - b)) {
        const call = calls[index]!;
        call.runFrameEndingAt(now);
        touched.add(call);
      }
      if (tracked.busy) await tracked.settle();
      while (clock.fireNext()) if (tracked.busy) await tracked.settle();
      for (const index of scriptQueue.takeDue(now)) ready.add(index);
      while (ready.size > 0) {
        const batch = [...ready].sort((a, b) => a - b);
        ready.clear();
        for (const index of batch) {
          const script = scripts[index]!;
          const wasFinished = script.finished;
          await script.advance();
          if (tracked.busy) await tracked.settle();
          if (!wasFinished && script.finished) unfinished--;
          scriptQueue.set(index, script.wakeAtMs());
        }
      }
      for (const call of touched) mediaQueue.set(call.index, call.nextFrameDueMs());
      touched.clear();
    }

    for (const call of calls) call.sync(now);
    const finals = checkFinalExpectations(spec.expect, { ivr, directory, calls: callsById, arrivals, now });
    for (const result of finals) expectations.push(result);
    const recordings = options.record ? calls.flatMap((call) => (call.recorder ? [call.recorder.finish()] : [])) : undefined;
    return {
      name: spec.name,
      file: spec.file,
      passed: expectations.every((result) => result.passed),
      timeline,
      expectations,
      simulatedMs: now,
      wallMs: performance.now() - wallStart,
      ...(recordings ? { recordings } : {}),
    };
  } finally {
    ivr?.stop();
    directory.close();
  }
}

/** The order calls act in within one instant, whatever order the scenario lists them in. */
function byStartThenId(a: CallSpec, b: CallSpec): number {
  return a.atMs - b.atMs || (a.id < b.id ? -1 : a.id > b.id ? 1 : 0);
}

async function applyScenarioDeployment(directory: PinDirectory, spec: ScenarioSpec): Promise<void> {
  try {
    await applyDeployment(directory, spec.deployment.value as Deployment);
  } catch (error) {
    throw asScenarioError(error);
  }
}

/**
 * Who reached each conference in which order (the lobby counts), which is
 * the order scenarios list participants in: the first caller to wait comes
 * first, although the leader who starts the meeting is its first member.
 */
function noteArrival(event: IvrEvent, arrivals: Map<string, Set<string>>): void {
  const id = event.type === 'lobby-entered' ? event.callId : event.type === 'admitted' ? event.participantId : event.type === 'meeting-started' ? event.by : undefined;
  if (id === undefined || !('conferenceId' in event)) return;
  const ids = arrivals.get(event.conferenceId) ?? new Set<string>();
  ids.add(id);
  arrivals.set(event.conferenceId, ids);
}

/** Hands the flow's commands for a call to its session, and logs what the timeline needs. */
function routeIvrEvent(event: IvrEvent, calls: ReadonlyMap<string, SimCall>, now: number, log: (event: TimelineEvent) => void, touched: Set<SimCall>): void {
  const call = 'callId' in event && event.callId !== undefined ? calls.get(event.callId) : undefined;
  if (call) touched.add(call);
  switch (event.type) {
    case 'state-entered':
      call?.sync(now);
      call?.session.stateEntered(event.state);
      return;
    case 'play':
      call?.sync(now);
      call?.session.play(event.prompt);
      return;
    case 'stop-prompt':
      call?.sync(now);
      call?.session.stopPrompt();
      return;
    case 'admitted':
      call?.session.admitted(event.conferenceId);
      return;
    case 'meeting-started':
      if (call) call.session.meetingStarted(event.conferenceId);
      else log({ type: 'meeting-started', atMs: now, call: event.by, conference: event.conferenceId });
      return;
    case 'hung-up':
      if (event.reason !== 'caller' && call) {
        call.sync(now);
        call.session.flowEnded(event.reason);
      }
      return;
    case 'conference-id-entered':
      if (call) call.conferenceId = event.conferenceId;
      return;
    case 'pin-checked':
      call?.note({ type: 'pin-checked', atMs: now, outcome: event.outcome, mustChange: event.mustChange });
      return;
    case 'lobby-entered':
      call?.note({ type: 'lobby-entered', atMs: now, conference: event.conferenceId, position: event.position });
      return;
    case 'meeting-ended':
      log({ type: 'meeting-ended', atMs: now, conference: event.conferenceId, reason: event.reason });
      return;
    default:
      return;
  }
}

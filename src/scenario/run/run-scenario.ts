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
import { applyDeployment, type Deployment } from '../../directory/deployment.ts';
import { PinDirectory } from '../../directory/pin-directory.ts';
import type { ScryptCost } from '../../directory/pin-hash.ts';
import { createDigitDecoder } from '../../engines/create-digit-decoder.ts';
import type { DigitDecoder } from '../../engines/digit-decoder.ts';
import type { DirectoryPort } from '../../flow/directory-port.ts';
import type { FlowOptions } from '../../flow/flow-options.ts';
import type { InspectionEvent } from 'xstate';
import { createIvr, type Ivr, type IvrConfig } from '../../flow/ivr.ts';
import { CallMedia } from '../../media/call-media.ts';
import { loadPromptLibrary } from '../../media/load-prompt-library.ts';
import type { PromptLibrary } from '../../media/prompt-library.ts';
import type { SessionFlow } from '../../session/call-session.ts';
import { CallScript, type ScriptEnv } from './call-script.ts';
import { trackDirectory, type TrackedDirectory } from './directory-tracker.ts';
import { checkFinalExpectations } from './final-expectations.ts';
import { noteArrival, routeIvrEvent } from './route-ivr-event.ts';
import { parseScenario } from '../parse/parse-scenario.ts';
import { ScenarioError } from '../parse/scenario-error.ts';
import { asScenarioError } from '../parse/scenario-files.ts';
import type { ExpectationResult, ScenarioResult, TimelineEvent } from '../scenario-result.ts';
import type { CallSpec, ScenarioSpec } from '../parse/scenario-schema.ts';
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
  const library = (options.prompts ?? (await defaultPrompts())).atRate(spec.options.sampleRate);
  const clock = new SimClock();
  const directory = await PinDirectory.open(':memory:', { clock: { now: () => spec.options.startEpochMs + clock.now() }, hashCost: options.hashCost });
  let ivr: Ivr | undefined;
  try {
    await applyScenarioDeployment(directory, spec);
    const tracked = trackDirectory(options.wrapDirectory ? options.wrapDirectory(directory) : directory);
    ivr = createScenarioIvr(spec, options, clock, tracked.port);
    const run = new ScenarioRun(spec, options, { clock, directory, tracked, ivr, library });
    await run.untilEveryCallIsDone();
    return await run.result(wallStart);
  } finally {
    ivr?.stop();
    await directory.close();
  }
}

/** What a scenario runs in: one simulated clock, directory and Ivr for all its calls. */
interface ScenarioWorld {
  readonly clock: SimClock;
  readonly directory: PinDirectory;
  /** The directory as the flow sees it, with its pending work tracked. */
  readonly tracked: TrackedDirectory;
  readonly ivr: Ivr;
  /** The prompts at the scenario's sample rate. */
  readonly library: PromptLibrary;
}

function createScenarioIvr(spec: ScenarioSpec, options: RunScenarioOptions, clock: SimClock, directory: DirectoryPort): Ivr {
  return createIvr({
    ...options.ivr,
    directory,
    options: { ...spec.options.flow, ...options.flow },
    clock,
    ...(options.inspect ? { inspect: options.inspect } : {}),
  });
}

/**
 * One run: the scripts of the scenario's calls, the calls they place, and
 * the timeline and expectations they produce, driven instant by instant.
 */
class ScenarioRun {
  readonly #spec: ScenarioSpec;
  readonly #options: RunScenarioOptions;
  readonly #world: ScenarioWorld;
  readonly #timeline: TimelineEvent[] = [];
  readonly #expectations: ExpectationResult[] = [];
  readonly #calls: SimCall[] = [];
  readonly #callsById = new Map<string, SimCall>();
  /** Who reached each conference in which order (see noteArrival). */
  readonly #arrivals = new Map<string, Set<string>>();
  /** When each call's next audio frame is due, by call index. */
  readonly #mediaQueue = new WakeQueue<number>();
  /** When each script's wait is over, by script index. */
  readonly #scriptQueue = new WakeQueue<number>();
  /** Scripts that can move on in this instant. */
  readonly #ready = new Set<number>();
  /** Calls whose audio schedule may have changed in this instant. */
  readonly #touched = new Set<SimCall>();
  /** What every call's session tells the flow. */
  readonly #flow: SessionFlow;
  readonly #scripts: readonly CallScript[];

  constructor(spec: ScenarioSpec, options: RunScenarioOptions, world: ScenarioWorld) {
    this.#spec = spec;
    this.#options = options;
    this.#world = world;
    this.#flow = sessionFlow(world.ivr);
    world.ivr.subscribe((event) => {
      noteArrival(event, this.#arrivals);
      routeIvrEvent(event, this.#callsById, this.#now, this.#log, this.#touched);
    });
    const env = this.#scriptEnv();
    this.#scripts = [...spec.calls].sort(byStartThenId).map((callSpec, index) => new CallScript(callSpec, index, env));
    this.#scripts.forEach((script) => this.#scriptQueue.set(script.index, script.wakeAtMs()));
  }

  get #now(): number {
    return this.#world.clock.now();
  }

  readonly #log = (event: TimelineEvent, after?: TimelineEvent): void => {
    // An expect met at an earlier event of its call goes right after that event.
    const at = after === undefined ? this.#timeline.length : this.#timeline.lastIndexOf(after) + 1;
    if (after !== undefined && at === 0) throw new Error(`internal: scenario ${this.#spec.name} logged an event after one not in its timeline`);
    this.#timeline.splice(at, 0, event);
    this.#options.onEvent?.(event);
  };

  #scriptEnv(): ScriptEnv {
    return {
      ivr: this.#world.ivr,
      sampleRate: this.#spec.options.sampleRate,
      ids: this.#spec.deployment.ids,
      now: () => this.#now,
      log: this.#log,
      record: (result) => this.#expectations.push(result),
      placeCall: (callSpec) => this.#placeCall(callSpec),
      ready: (index) => this.#ready.add(index),
      touched: (call) => this.#touched.add(call),
    };
  }

  /** A new call with its own decoder and media, answered by the flow at once. */
  #placeCall(callSpec: CallSpec): SimCall {
    const { sampleRate } = this.#spec.options;
    const record = this.#options.record && this.#calls.length < RECORDED_CALLS_LIMIT;
    const media = new CallMedia(this.#world.library, { outputRate: sampleRate });
    const call = new SimCall(callSpec, this.#calls.length, this.#options.createDecoder(sampleRate), media, { sampleRate, flow: this.#flow, now: () => this.#now, log: this.#log }, record);
    this.#calls.push(call);
    this.#callsById.set(call.id, call);
    call.session.start();
    this.#touched.add(call);
    return call;
  }

  /** Moves time from one due thing to the next until every script has finished. */
  async untilEveryCallIsDone(): Promise<void> {
    let unfinished = this.#scripts.length;
    while (unfinished > 0) {
      const { clock } = this.#world;
      const next = Math.min(this.#mediaQueue.peekMs(), this.#scriptQueue.peekMs(), clock.nextDueMs());
      if (next === Infinity) throw new Error(`internal: scenario ${this.#spec.name} has nothing left to wait for but unfinished calls`);
      clock.setNow(next);
      this.#runDueFrames();
      await this.#fireDueTimers();
      unfinished -= await this.#advanceReadyScripts();
      for (const call of this.#touched) this.#mediaQueue.set(call.index, call.nextFrameDueMs());
      this.#touched.clear();
    }
  }

  /** The audio frames of every call that end now. */
  #runDueFrames(): void {
    for (const index of this.#mediaQueue.takeDue(this.#now).sort((a, b) => a - b)) {
      const call = this.#calls[index]!;
      call.runFrameEndingAt(this.#now);
      this.#touched.add(call);
    }
  }

  /** The flow's timers due now, each with the directory work it starts done. */
  async #fireDueTimers(): Promise<void> {
    const { clock, tracked } = this.#world;
    if (tracked.busy) await tracked.settle();
    while (clock.fireNext()) if (tracked.busy) await tracked.settle();
  }

  /** Every script whose wait is over, repeatedly, until none can move on in this instant; returns how many finished. */
  async #advanceReadyScripts(): Promise<number> {
    const { tracked } = this.#world;
    let finished = 0;
    for (const index of this.#scriptQueue.takeDue(this.#now)) this.#ready.add(index);
    while (this.#ready.size > 0) {
      const batch = [...this.#ready].sort((a, b) => a - b);
      this.#ready.clear();
      for (const index of batch) {
        const script = this.#scripts[index]!;
        const wasFinished = script.finished;
        await script.advance();
        if (tracked.busy) await tracked.settle();
        if (!wasFinished && script.finished) finished++;
        this.#scriptQueue.set(index, script.wakeAtMs());
      }
    }
    return finished;
  }

  /** The final expectations checked and everything collected into the result. */
  async result(wallStart: number): Promise<ScenarioResult> {
    const { ivr, directory } = this.#world;
    for (const call of this.#calls) call.sync(this.#now);
    const finals = await checkFinalExpectations(this.#spec.expect, { ivr, directory, calls: this.#callsById, arrivals: this.#arrivals, now: this.#now });
    for (const result of finals) this.#expectations.push(result);
    const recordings = this.#options.record ? this.#calls.flatMap((call) => (call.recorder ? [call.recorder.finish()] : [])) : undefined;
    return {
      name: this.#spec.name,
      file: this.#spec.file,
      passed: this.#expectations.every((result) => result.passed),
      timeline: this.#timeline,
      expectations: this.#expectations,
      simulatedMs: this.#now,
      wallMs: performance.now() - wallStart,
      ...(recordings ? { recordings } : {}),
    };
  }
}

/** A call session's side of the flow: its commands to the Ivr. */
function sessionFlow(ivr: Ivr): SessionFlow {
  return {
    startCall: (callId, from) => ivr.startCall(from === undefined ? { callId } : { callId, from }),
    digit: (callId, digit) => void ivr.digit(callId, digit),
    promptFinished: (callId, prompt) => void ivr.promptFinished(callId, prompt),
    hangup: (callId) => void ivr.hangup(callId),
  };
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

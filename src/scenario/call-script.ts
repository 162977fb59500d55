/**
 * Runs one call's steps in simulated time. A step either finishes at once
 * (hangup, app-join, an expectation that already holds) or leaves the
 * script waiting: for its audio to be sent (press, play), for a time (wait),
 * or for an expectation to hold before its deadline (one that can no
 * longer hold, such as any miss on a call that is over, fails at once). The
 * run loop calls `advance` whenever the script may be able to move on; the
 * script says when (`ready`, or its `wakeAtMs`), and a script advanced later
 * than the moment it could move on is a bug of the run loop, reported as an
 * internal error rather than as a silently shifted timeline.
 *
 * An entry whose steps are only app-side actions (app-join, end-meeting,
 * and waits between them) is someone using the app: it places no phone call.
 */
import { synthesizeDtmf } from '../dsp/dtmf-generator.ts';
import type { Ivr } from '../flow/ivr.ts';
import { describeCallExpectation } from './describe-expectation.ts';
import { formatClock, formatDuration } from './duration.ts';
import type { ExpectationResult, TimelineEvent } from './scenario-result.ts';
import type { CallSpec, DeploymentIds, PressSpec, StepSpec } from './scenario-schema.ts';
import type { SimCall } from './sim-call.ts';

export interface ScriptEnv {
  readonly ivr: Ivr;
  readonly sampleRate: number;
  readonly ids: DeploymentIds;
  now(): number;
  /** Adds an event to the timeline; right after `after` (an event already in it) when given. */
  log(event: TimelineEvent, after?: TimelineEvent): void;
  record(result: ExpectationResult): void;
  /** Places the call (the flow answers it at once). */
  placeCall(spec: CallSpec): SimCall;
  /** The script can move on; advance it in this instant. */
  ready(index: number): void;
  /** The call's audio schedule changed. */
  touched(call: SimCall): void;
}

type Waiting =
  | { readonly kind: 'audio'; done: boolean; doneAtMs: number }
  | { readonly kind: 'until'; readonly atMs: number }
  | {
      readonly kind: 'expect';
      readonly deadlineMs: number;
      met: boolean;
      /** It can no longer be met (the call is over): no use waiting for the deadline. */
      impossible: boolean;
      /** When it was found met or impossible, scenario ms. */
      settledAtMs: number;
      readonly step: Extract<StepSpec, { kind: 'expect' }>;
    };

/** Steps that need no phone call: what a user does in the app (a wait just spaces them). */
const APP_SIDE_STEPS: ReadonlySet<StepSpec['kind']> = new Set(['app-join', 'end-meeting', 'wait']);

/** Whether the entry is a caller: it has a step that needs a phone line, or no app action at all. */
export function placesPhoneCall(spec: CallSpec): boolean {
  return spec.steps.some((step) => !APP_SIDE_STEPS.has(step.kind)) || spec.steps.every((step) => step.kind === 'wait');
}

export type ScriptStatus = 'waiting-to-call' | 'running' | 'done' | 'failed';

export class CallScript {
  readonly spec: CallSpec;
  readonly index: number;
  call: SimCall | undefined;
  #status: ScriptStatus = 'waiting-to-call';
  #step = 0;
  #waiting: Waiting | undefined;
  readonly #env: ScriptEnv;

  constructor(spec: CallSpec, index: number, env: ScriptEnv) {
    this.spec = spec;
    this.index = index;
    this.#env = env;
  }

  get status(): ScriptStatus {
    return this.#status;
  }

  get finished(): boolean {
    return this.#status === 'done' || this.#status === 'failed';
  }

  /** When the script must be looked at again even if nothing happens; Infinity: only when told. */
  wakeAtMs(): number {
    if (this.#status === 'waiting-to-call') return this.spec.atMs;
    const waiting = this.#waiting;
    if (this.#status !== 'running' || waiting === undefined) return Infinity;
    if (waiting.kind === 'until') return waiting.atMs;
    if (waiting.kind === 'expect') return waiting.deadlineMs;
    return Infinity;
  }

  async advance(): Promise<void> {
    const env = this.#env;
    const now = env.now();
    if (this.#status === 'waiting-to-call') {
      if (now < this.spec.atMs) return;
      this.#checkOnTime(this.spec.atMs, this.#step);
      this.#status = 'running';
      if (placesPhoneCall(this.spec)) this.call = env.placeCall(this.spec);
    }
    while (this.#status === 'running') {
      const waiting = this.#waiting;
      if (waiting !== undefined) {
        if (waiting.kind === 'audio') {
          if (!waiting.done) return;
          this.#checkOnTime(waiting.doneAtMs, this.#step + 1);
        }
        if (waiting.kind === 'until') {
          if (now < waiting.atMs) return;
          this.#checkOnTime(waiting.atMs, this.#step + 1);
        }
        if (waiting.kind === 'expect') {
          const settled = waiting.met || waiting.impossible;
          if (!settled && now < waiting.deadlineMs) return;
          this.#checkOnTime(settled ? waiting.settledAtMs : waiting.deadlineMs, this.#step + 1);
          if (!waiting.met) return this.#missed(waiting.step);
        }
        this.#waiting = undefined;
        this.#step++;
        continue;
      }
      const step = this.spec.steps[this.#step];
      if (step === undefined) {
        this.#status = 'done';
        return;
      }
      await this.#start(step);
    }
  }

  /** Fails loudly when the run loop advanced this script after `sinceMs`, the moment step `next` could run. */
  #checkOnTime(sinceMs: number, next: number): void {
    const now = this.#env.now();
    if (now <= sinceMs) return;
    const step = this.spec.steps[next];
    const what = step === undefined ? 'the end of its steps' : `step ${step.source.path} (line ${step.source.line})`;
    throw new Error(`internal: call ${this.spec.id}: ${what} ran at ${formatClock(now)}, ${now - sinceMs} ms after it could run (${formatClock(sinceMs)})`);
  }

  async #start(step: StepSpec): Promise<void> {
    const env = this.#env;
    const id = this.spec.id;
    const line = step.source.line;
    // Only app-side steps run without a call (placesPhoneCall).
    const call = this.call!;
    switch (step.kind) {
      case 'press':
      case 'play': {
        if (call.ended) return this.#fail(step, `${step.kind} ${detailOf(step)}: the call had already ended at ${formatClock(call.endedAtMs ?? env.now())}`);
        const samples = step.kind === 'press' ? renderPress(step.press, env.sampleRate) : step.samples;
        const leadMs = step.kind === 'press' ? step.press.leadMs : 0;
        const event: TimelineEvent & { heard?: string } = { type: 'step', atMs: env.now(), call: call.id, step: step.kind, detail: detailOf(step), line };
        env.log(event);
        const waiting: Waiting = { kind: 'audio', done: false, doneAtMs: Infinity };
        this.#waiting = waiting;
        call.sendAudio(samples, leadMs, event, () => {
          waiting.done = true;
          waiting.doneAtMs = env.now();
          env.ready(this.index);
        });
        env.touched(call);
        return;
      }
      case 'wait':
        env.log({ type: 'step', atMs: env.now(), call: id, step: 'wait', detail: formatDuration(step.ms), line });
        this.#waiting = { kind: 'until', atMs: env.now() + step.ms };
        return;
      case 'hangup':
        if (call.ended) return this.#fail(step, `hangup: the call had already ended at ${formatClock(call.endedAtMs ?? env.now())}`);
        env.log({ type: 'step', atMs: env.now(), call: call.id, step: 'hangup', detail: 'the caller hangs up', line });
        call.session.hangup('caller');
        env.touched(call);
        this.#step++;
        return;
      case 'app-join': {
        const conference = step.conference ?? this.call?.conferenceId ?? onlyConferenceOf(env.ids, step.user);
        if (conference === undefined) {
          return this.#fail(step, `app-join ${step.user}: which conference? the call has not keyed one and ${step.user} organizes ${countConferences(env.ids, step.user)}; write { user: ${step.user}, conference: ID }`);
        }
        env.log({ type: 'step', atMs: env.now(), call: id, step: 'app-join', detail: `${step.user} joins ${conference} from the app`, line });
        const result = await env.ivr.appJoin(step.user, conference);
        if (!result.ok) return this.#fail(step, `app-join ${step.user}: the IVR refused (${result.reason})`);
        this.#step++;
        return;
      }
      case 'end-meeting': {
        const conference = step.conference ?? this.call?.conferenceId;
        if (conference === undefined) return this.#fail(step, 'end-meeting: which conference? the call has not keyed one; write end-meeting: ID');
        env.log({ type: 'step', atMs: env.now(), call: id, step: 'end-meeting', detail: `the organizer ends ${conference}`, line });
        if (!env.ivr.endMeeting(conference)) return this.#fail(step, `end-meeting ${conference}: the meeting is not running`);
        this.#step++;
        return;
      }
      case 'expect': {
        const waiting: Waiting = { kind: 'expect', deadlineMs: env.now() + step.expect.withinMs, met: false, impossible: false, settledAtMs: Infinity, step };
        this.#waiting = waiting;
        call.awaitExpectation(
          step.expect,
          (check) => {
            waiting.met = true;
            waiting.settledAtMs = env.now();
            const expectation = describeCallExpectation(step.expect, false);
            env.log({ type: 'expect', atMs: check.metAtMs, call: id, passed: true, expectation, line }, check.metBy);
            env.record({ call: id, expectation, passed: true, atMs: check.metAtMs, line });
            env.ready(this.index);
          },
          () => {
            waiting.impossible = true;
            waiting.settledAtMs = env.now();
            env.ready(this.index);
          },
        );
        return;
      }
    }
  }

  #missed(step: Extract<StepSpec, { kind: 'expect' }>): void {
    const env = this.#env;
    const check = this.call!.abandonExpectation();
    const expectation = describeCallExpectation(step.expect, true);
    const problem = check?.problem ?? 'not met';
    env.log({ type: 'expect', atMs: env.now(), call: this.spec.id, passed: false, expectation, problem, line: step.source.line });
    env.record({ call: this.spec.id, expectation, passed: false, problem, atMs: env.now(), line: step.source.line });
    this.#status = 'failed';
  }

  #fail(step: StepSpec, detail: string): void {
    const env = this.#env;
    env.log({ type: 'step-failed', atMs: env.now(), call: this.spec.id, detail, line: step.source.line });
    env.record({ call: this.spec.id, expectation: `step ${step.source.path}`, passed: false, problem: detail, atMs: env.now(), line: step.source.line });
    this.#status = 'failed';
  }
}

/** Rendered presses by their parameters: a thousand callers keying the same ID share one array. */
const pressCache = new Map<string, Int16Array>();
const PRESS_CACHE_ENTRIES = 512;

/**
 * The keys of a press: the same synthesis as `dialin-sim synth`, without
 * the lead, which the call sends as silence it need not compute. The
 * returned array is shared: do not modify it.
 */
export function renderPress(press: PressSpec, sampleRate: number): Int16Array {
  const key = JSON.stringify([sampleRate, press.digits, press.onMs, press.offMs, press.levelDbm0, press.twistDb, press.snrDb, press.frequencyErrorPct, press.seed]);
  const cached = pressCache.get(key);
  if (cached) return cached;
  const samples = synthesizeDtmf(press.digits, {
    sampleRate,
    onMs: press.onMs,
    offMs: press.offMs,
    leadMs: 0,
    levelDbm0: press.levelDbm0,
    twistDb: press.twistDb,
    frequencyErrorPct: press.frequencyErrorPct,
    seed: press.seed,
    ...(press.snrDb === undefined ? {} : { snrDb: press.snrDb }),
  });
  if (pressCache.size >= PRESS_CACHE_ENTRIES) pressCache.delete(pressCache.keys().next().value!);
  pressCache.set(key, samples);
  return samples;
}

function detailOf(step: Extract<StepSpec, { kind: 'press' | 'play' }>): string {
  if (step.kind === 'play') return step.file;
  const { press } = step;
  const impairments: string[] = [];
  if (press.onMs !== 100 || press.offMs !== 100) impairments.push(`${press.onMs}/${press.offMs} ms`);
  if (press.levelDbm0 !== -10) impairments.push(`${press.levelDbm0} dBm0`);
  if (press.twistDb !== 0) impairments.push(`twist ${press.twistDb > 0 ? '+' : ''}${press.twistDb} dB`);
  if (press.snrDb !== undefined) impairments.push(`SNR ${press.snrDb} dB`);
  if (press.frequencyErrorPct !== 0) impairments.push(`${press.frequencyErrorPct > 0 ? '+' : ''}${press.frequencyErrorPct}% off`);
  return impairments.length === 0 ? press.digits : `${press.digits} [${impairments.join(', ')}]`;
}

function organizedBy(ids: DeploymentIds, user: string): string[] {
  return [...ids.conferences].filter(([, conference]) => conference.organizer === user).map(([id]) => id);
}

function onlyConferenceOf(ids: DeploymentIds, user: string): string | undefined {
  const conferences = organizedBy(ids, user);
  return conferences.length === 1 ? conferences[0] : undefined;
}

function countConferences(ids: DeploymentIds, user: string): string {
  const count = organizedBy(ids, user).length;
  return count === 0 ? 'no conference' : `${count} conferences`;
}

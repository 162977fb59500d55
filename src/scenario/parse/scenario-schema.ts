/**
 * A scenario once parsed and validated: plain data with the source line of
 * every part, so that a failing expectation can point at its line. Produced
 * by parse-scenario.ts, consumed by run-scenario.ts.
 */
import type { DtmfKey } from '../../dsp/dtmf-keys.ts';
import type { LockKind } from '../../directory/lockout-rules.ts';
import type { PinRule } from '../../directory/pin-policy.ts';
import type { CallStateName, PromptName } from '../../flow/names.ts';

/** Where a part of the scenario was written. */
export interface SourceRef {
  /** 1-based line in the scenario file. */
  readonly line: number;
  /** Field path such as `calls[1].steps[3]`. */
  readonly path: string;
}

/** How a `press` step keys its digits; the fields mean what `dialin-sim synth` means by them. */
export interface PressSpec {
  readonly digits: string;
  /** Tone length of each key in ms. */
  readonly onMs: number;
  /** Silence after each key in ms. */
  readonly offMs: number;
  /** Silence before the first key in ms. */
  readonly leadMs: number;
  /** Level of the low-group tone in dBm0 (per tone). */
  readonly levelDbm0: number;
  /** High-group level minus low-group level in dB. */
  readonly twistDb: number;
  /** White noise under the tones; undefined = a clean line. */
  readonly snrDb: number | undefined;
  /** Frequency error of both tones, percent of nominal. */
  readonly frequencyErrorPct: number;
  /** Noise seed, so a noisy press is the same on every run. */
  readonly seed: number;
}

export const DEFAULT_PRESS: Omit<PressSpec, 'digits'> = {
  onMs: 100,
  offMs: 100,
  leadMs: 0,
  levelDbm0: -10,
  twistDb: 0,
  snrDb: undefined,
  frequencyErrorPct: 0,
  seed: 1,
};

/** What a caller can hear: a prompt, or nothing. */
export type Hearing = PromptName | 'silence';

/**
 * What a call's `expect` step waits for; only what happened since the call's
 * previous met expect counts (expectation-check.ts).
 */
export interface CallExpectation {
  /** This prompt started for the call. */
  readonly prompt?: PromptName;
  /** The call is in this state when the step starts, or has entered it since the previous expect. */
  readonly state?: CallStateName;
  /** What the caller hears when the step starts, or starts hearing while it waits. */
  readonly hears?: Hearing;
  /** Exactly these digits, no more and no fewer, were heard by the decoder. */
  readonly digits?: string;
  /** The call was admitted to its conference (lobby → meeting, or straight in). */
  readonly admitted?: boolean;
  /** The last new PIN the directory refused since the previous expect broke this policy rule. */
  readonly rule?: PinRule;
  /** Deadline, from the moment this step is reached, in simulated ms. */
  readonly withinMs: number;
}

export type StepSpec =
  | { readonly kind: 'press'; readonly press: PressSpec; readonly source: SourceRef }
  | {
      readonly kind: 'play';
      /** The path as written in the scenario. */
      readonly file: string;
      /** Mono samples at the scenario's sample rate. */
      readonly samples: Int16Array;
      readonly source: SourceRef;
    }
  | { readonly kind: 'wait'; readonly ms: number; readonly source: SourceRef }
  | { readonly kind: 'hangup'; readonly source: SourceRef }
  | {
      readonly kind: 'app-join';
      readonly user: string;
      /** Undefined: the conference this call dialled, else the user's only conference. */
      readonly conference: string | undefined;
      readonly source: SourceRef;
    }
  | {
      readonly kind: 'end-meeting';
      /** Undefined: the conference this call dialled. */
      readonly conference: string | undefined;
      readonly source: SourceRef;
    }
  | { readonly kind: 'expect'; readonly expect: CallExpectation; readonly source: SourceRef };

export type StepKind = StepSpec['kind'];

export interface CallSpec {
  readonly id: string;
  /** Caller id presented to the IVR. */
  readonly from: string | undefined;
  /** When the call is placed, ms after the scenario starts. */
  readonly atMs: number;
  readonly steps: readonly StepSpec[];
  readonly source: SourceRef;
}

export type FinalExpectation =
  | {
      readonly kind: 'conference';
      readonly conference: string;
      readonly started?: boolean;
      /** Call ids (phone) and user ids (app), in the order they joined. */
      readonly participants?: readonly string[];
      /** Call ids waiting in the lobby, in the order they arrived. */
      readonly lobby?: readonly string[];
      readonly source: SourceRef;
    }
  | {
      readonly kind: 'user';
      readonly user: string;
      readonly lockedOut?: boolean;
      /** Why the PIN is locked (false: not locked); see LockKind. */
      readonly locked?: false | LockKind;
      /** Failures in the rolling 30-minute window. */
      readonly failures?: number;
      /** Failures since the last successful logon, PIN change or unlock. */
      readonly globalFailures?: number;
      readonly pinExpired?: boolean;
      readonly source: SourceRef;
    }
  | {
      readonly kind: 'outbox';
      /** Only mail to this address counts; undefined = all mail. */
      readonly to: string | undefined;
      readonly count: number;
      readonly source: SourceRef;
    }
  | {
      readonly kind: 'call';
      readonly call: string;
      readonly state: CallStateName;
      readonly source: SourceRef;
    };

/** Settings of the simulation itself. */
export interface ScenarioOptions {
  /** Sample rate of every caller's audio and the decoder, Hz. */
  readonly sampleRate: number;
  /** When the scenario starts on the directory's clock, ms since the epoch. */
  readonly startEpochMs: number;
  /** Options passed to the call flow (createIvr), as written. */
  readonly flow: Readonly<Record<string, number | boolean | string>>;
}

export const DEFAULT_SCENARIO_OPTIONS: ScenarioOptions = {
  sampleRate: 8000,
  startEpochMs: Date.UTC(2025, 0, 6, 9, 0, 0),
  flow: {},
};

export interface ScenarioSpec {
  readonly name: string;
  readonly description: string | undefined;
  /** The scenario file (as given), or a label for scenarios built in code. */
  readonly file: string;
  /** The validated deployment (see src/directory/deployment). */
  readonly deployment: ScenarioDeployment;
  readonly calls: readonly CallSpec[];
  readonly expect: readonly FinalExpectation[];
  readonly options: ScenarioOptions;
}

/** The ids a deployment defines, which scenario references are checked against. */
export interface DeploymentIds {
  readonly users: ReadonlySet<string>;
  readonly conferences: ReadonlyMap<string, { readonly organizer: string }>;
}

/** A loaded deployment: its ids, and the value to apply to a fresh directory. */
export interface ScenarioDeployment {
  readonly ids: DeploymentIds;
  readonly value: unknown;
  /** Where it came from, for messages: the scenario file or the deployment file. */
  readonly file: string;
}

export type { DtmfKey };

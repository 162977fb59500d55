/**
 * What a scenario run reports: the timeline of everything that happened, in
 * simulated time, and the outcome of every expectation. Plain JSON-ready
 * data: `dialin-sim run --json` prints the timeline one event per line.
 */
import type { DtmfKey } from '../dsp/dtmf-keys.ts';
import type { CallStateName, PromptName } from '../flow/names.ts';

interface At {
  /** Simulated time since the scenario started, ms. */
  readonly atMs: number;
  /** The call the event belongs to; absent for scenario-wide events. */
  readonly call?: string;
}

export type TimelineEvent = At &
  (
    | { readonly type: 'call-started'; readonly from?: string }
    | { readonly type: 'state-entered'; readonly state: CallStateName }
    | { readonly type: 'prompt-started'; readonly prompt: PromptName }
    | { readonly type: 'prompt-stopped'; readonly prompt: PromptName; readonly reason: 'finished' | 'barge-in' | 'interrupted' }
    | {
        readonly type: 'digit-heard';
        readonly digit: DtmfKey;
        /** When the tone began and ended on the scenario's clock, ms. */
        readonly toneStartMs: number;
        readonly toneEndMs: number;
      }
    | { readonly type: 'admitted'; readonly conference: string }
    | { readonly type: 'meeting-started'; readonly conference: string }
    | { readonly type: 'pin-checked'; readonly outcome: 'accepted' | 'rejected' | 'locked'; readonly mustChange: boolean }
    /** A new PIN refused by the PIN policy; `rule` is the rule it broke. */
    | { readonly type: 'pin-change-rejected'; readonly rule: string }
    | { readonly type: 'lobby-entered'; readonly conference: string; readonly position: number }
    | { readonly type: 'meeting-ended'; readonly conference: string; readonly reason: string }
    | { readonly type: 'hung-up'; readonly reason: string; readonly by: 'caller' | 'ivr' }
    | {
        readonly type: 'step';
        readonly step: 'press' | 'play' | 'wait' | 'hangup' | 'app-join' | 'end-meeting';
        /** What the step does, as written: `123456#`, `noisy.wav`, `5m`, `amos`. */
        readonly detail: string;
        readonly line: number;
        /** For press and play: the digits the decoder heard in this step's audio. */
        heard?: string;
      }
    | {
        readonly type: 'expect';
        readonly passed: boolean;
        /** The expectation as written: `state in-meeting within 15s`. */
        readonly expectation: string;
        /** On failure: what happened instead. */
        readonly problem?: string;
        readonly line: number;
      }
    | { readonly type: 'step-failed'; readonly detail: string; readonly line: number }
  );

export type TimelineEventType = TimelineEvent['type'];

export interface ExpectationResult {
  /** The call whose expect this was; absent for final expectations. */
  readonly call?: string;
  readonly expectation: string;
  readonly passed: boolean;
  readonly problem?: string;
  /** When it was met or given up on, simulated ms. */
  readonly atMs: number;
  readonly line: number;
}

export interface ScenarioResult {
  readonly name: string;
  readonly file: string;
  readonly passed: boolean;
  readonly timeline: readonly TimelineEvent[];
  /** Call expectations in the order they were decided, then the final ones. */
  readonly expectations: readonly ExpectationResult[];
  /** Simulated time the scenario covered, ms. */
  readonly simulatedMs: number;
  /** Real time the run took, ms. Never part of a transcript. */
  readonly wallMs: number;
  /** Per-call audio and marks, when the run recorded. */
  readonly recordings?: readonly CallRecording[];
}

/** A quiet stretch left out of a recording (see record/call-recording.ts). */
export interface RecordingCut {
  /** Sample index in the recording where the cut is. */
  readonly atSample: number;
  /** Scenario time left out at that point, ms. */
  readonly skippedMs: number;
}

/** One call's audio from a recorded run, as record/call-recording.ts collects it. */
export interface CallRecording {
  readonly call: string;
  readonly sampleRate: number;
  /** Scenario time of the first sample, ms. */
  readonly startMs: number;
  /** Scenario time just after the last sample, ms. */
  readonly endMs: number;
  /** What the caller sent (left channel). */
  readonly caller: Int16Array;
  /** What the IVR played (right channel). */
  readonly ivr: Int16Array;
  readonly cuts: readonly RecordingCut[];
  /** True when the recording reached its longest length (MAX_RECORDING_MS) and the rest of the call is missing. */
  readonly truncated: boolean;
}

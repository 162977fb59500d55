/**
 * What the Ivr reports to its subscribers. One stream serves two readers:
 * the media layer acts on `play`, `stop-prompt` and `hung-up`; a timeline
 * (scenario runner, server log, browser) records everything. Every event is
 * a plain JSON-serialisable object with a `type`; events about one phone
 * call carry its `callId`, events about a conference its `conferenceId`.
 * PINs never appear in any event.
 *
 * Prompt playback contract (media layer):
 * - `play` starts a prompt; at most one prompt plays per call. A `play`
 *   while another prompt plays is always preceded by its `stop-prompt`
 *   (reason 'interrupted').
 * - Report the natural end of every non-looped prompt with
 *   `ivr.promptFinished(callId, prompt)`. The flow waits for it wherever it
 *   is sequential (welcome → enter-conference-id, invalid-pin → enter-pin,
 *   joining-meeting → in-meeting, waiting-for-leader → hold-music,
 *   goodbye → hang-up, ...), and digit timeouts start only then.
 * - `loop: true` (hold-music) repeats until `stop-prompt`; never report it.
 * - `stop-prompt` ends the prompt at once; do not report it finished.
 *   Reason 'barge-in': a key during a prompt that asks for keys (welcome,
 *   enter-conference-id, invalid-conference-id, leader-question, enter-pin,
 *   invalid-pin, pin-expired-enter-new, confirm-new-pin, pin-mismatch,
 *   pin-policy-rejected; `*` during waiting-for-leader or hold-music); the
 *   key is kept as input. Keys during goodbye, locked-out, joining-meeting,
 *   meeting-started and pin-changed are ignored and stop nothing.
 * - `hung-up` ends all playback for the call; no stop precedes it. Unless
 *   its reason is 'caller', hang up the line.
 * - A report for a prompt that is not the one playing is ignored.
 */
import type { DtmfKey } from '../dsp/dtmf-keys.ts';
import type { HangupReason, StopReason } from './call-types.ts';
import type { EndReason, StartHow } from './conference-machine.ts';
import type { CallStateName, PromptName } from './names.ts';

export type { EndReason, HangupReason, StartHow, StopReason };

export type IvrEvent =
  /** A call was answered (`startCall`). */
  | { readonly type: 'call-started'; readonly callId: string; readonly from?: string }
  /** The call entered a top-level state (see CALL_STATES). */
  | { readonly type: 'state-entered'; readonly callId: string; readonly state: CallStateName }
  /**
   * Media command: start playing `prompt` (looped prompts repeat until
   * stopped). Report its end with `promptFinished` unless it is stopped first.
   */
  | { readonly type: 'play'; readonly callId: string; readonly prompt: PromptName; readonly loop: boolean }
  /** Media command: stop `prompt` now and do not report it finished. */
  | { readonly type: 'stop-prompt'; readonly callId: string; readonly prompt: PromptName; readonly reason: StopReason }
  /** Echo of a `promptFinished` report for a live call (stale reports are echoed but ignored by the flow). */
  | { readonly type: 'prompt-finished'; readonly callId: string; readonly prompt: PromptName }
  /** Echo of a key received for a live call, before the flow acts on it. */
  | { readonly type: 'digit'; readonly callId: string; readonly digit: DtmfKey }
  /** A complete conference ID was keyed; the directory lookup follows. */
  | { readonly type: 'conference-id-entered'; readonly callId: string; readonly conferenceId: string }
  /** The directory's verdict on a leader PIN (never the PIN itself). */
  | {
      readonly type: 'pin-checked';
      readonly callId: string;
      readonly conferenceId: string;
      readonly outcome: 'accepted' | 'rejected' | 'locked';
      readonly mustChange: boolean;
    }
  /**
   * The directory refused the new PIN of an expired one; `rule` names the
   * policy rule it broke (PIN_RULES: min-length, history, ...), never the PIN.
   * The pin-policy-rejected prompt follows, unless it was the last attempt.
   */
  | { readonly type: 'pin-change-rejected'; readonly callId: string; readonly rule: string }
  /** The call joined the lobby queue at `position` (1 = first). */
  | { readonly type: 'lobby-entered'; readonly callId: string; readonly conferenceId: string; readonly position: number }
  /**
   * A participant joined a running meeting. `callId` is set for phone
   * callers; `participantId` is the call id or `app:<userId>`.
   */
  | {
      readonly type: 'admitted';
      readonly conferenceId: string;
      readonly participantId: string;
      readonly callId?: string;
      readonly fromLobby: boolean;
    }
  /** The meeting started; `by` is the starting participant, also its first member. */
  | {
      readonly type: 'meeting-started';
      readonly conferenceId: string;
      readonly by: string;
      readonly how: StartHow;
      readonly callId?: string;
      readonly userId?: string;
    }
  | {
      readonly type: 'participant-left';
      readonly conferenceId: string;
      readonly participantId: string;
      readonly callId?: string;
      readonly from: 'lobby' | 'meeting';
    }
  /** The meeting is over; the conference can start again. Its phone participants hear goodbye. */
  | { readonly type: 'meeting-ended'; readonly conferenceId: string; readonly reason: EndReason }
  /**
   * The call is over and forgotten by the Ivr. Unless `reason` is 'caller',
   * the media layer hangs up the line.
   */
  | { readonly type: 'hung-up'; readonly callId: string; readonly reason: HangupReason };

export type IvrEventType = IvrEvent['type'];

export interface ConferenceSnapshot {
  readonly id: string;
  readonly started: boolean;
  /** Participant id of whoever started the running meeting. */
  readonly leader?: string;
  /** Call ids waiting, in arrival order. */
  readonly lobby: readonly string[];
  /** Call ids and `app:<userId>` ids, in join order. */
  readonly participants: readonly string[];
}

export type AppJoinResult =
  | {
      readonly ok: true;
      /** `app:<userId>`. */
      readonly participantId: string;
      /** True when this join started the meeting (and admitted the lobby). */
      readonly startedMeeting: boolean;
      /** True when this user was already in the running meeting from the app. */
      readonly alreadyJoined: boolean;
    }
  | { readonly ok: false; readonly reason: 'unknown-conference' | 'not-organizer' };

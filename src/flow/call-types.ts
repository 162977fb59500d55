/**
 * The call machine's input, context, events and emitted events. The call
 * machine talks to its conference only through emitted `to-conference`
 * events and the replies ADMIT / START_CONFIRMED / NOT_STARTED / QUEUED /
 * MEETING_ENDED, which a driver (the Ivr) routes.
 */
import type { DtmfKey } from '../dsp/dtmf-keys.ts';
import type { ConferenceInfo, DirectoryPort } from './directory-port.ts';
import type { FlowOptions } from './flow-options.ts';
import type { CallStateName, PromptName } from './names.ts';

/** Why a call ended. 'caller' is the only one the caller chose. */
export type HangupReason =
  | 'caller'
  | 'conference-id-failures'
  | 'pin-failures'
  | 'pin-change-failures'
  | 'locked-out'
  | 'lobby-timeout'
  | 'meeting-ended'
  | 'system-error';

/** Where PIN entry returns to when the caller gives no PIN. */
export type PinOrigin = 'leader-question' | 'lobby';

export interface CallInput {
  readonly callId: string;
  readonly directory: DirectoryPort;
  readonly options: FlowOptions;
  /** DirectoryPort.pinEntryLimits().maxPinDigits, read once when the call is answered. */
  readonly maxPinDigits: number;
}

export interface CallContext {
  readonly callId: string;
  readonly directory: DirectoryPort;
  readonly options: FlowOptions;
  readonly maxPinDigits: number;
  /** The prompt the media layer is playing for this call, if any. */
  playing: PromptName | undefined;
  /** Keys of the entry in progress (conference ID, PIN or new PIN). Never emitted. */
  entry: string;
  conferenceId: string | undefined;
  conference: ConferenceInfo | undefined;
  conferenceIdFailures: number;
  pinFailures: number;
  pinNoInputs: number;
  pinChangeFailures: number;
  pinOrigin: PinOrigin;
  /** Waiting in the conference's lobby queue (also during a PIN attempt from the lobby). */
  queued: boolean;
  /** The authenticated leader whose expired PIN is being changed. */
  leaderUserId: string | undefined;
  /** First entry of the new PIN, held until it is confirmed. Never emitted. */
  newPin: string | undefined;
  hangupReason: HangupReason | undefined;
}

export type CallEvent =
  | { readonly type: 'DIGIT'; readonly digit: DtmfKey }
  | { readonly type: 'PROMPT_FINISHED'; readonly prompt: PromptName }
  | { readonly type: 'HANGUP' }
  /** The conference made this call a participant (from the lobby, or on arrival in a running meeting). */
  | { readonly type: 'ADMIT' }
  /** The conference started because of this call (leader PIN or anonymous start). */
  | { readonly type: 'START_CONFIRMED' }
  /** Arrival in a conference that has not started and needs a leader. */
  | { readonly type: 'NOT_STARTED' }
  /** The call is now in the lobby queue. */
  | { readonly type: 'QUEUED'; readonly position: number }
  /** The organizer ended the meeting this call was in. */
  | { readonly type: 'MEETING_ENDED' }
  | { readonly type: 'LOBBY_TIMEOUT' };

/** What a call asks of its conference; the driver adds the participant id. */
export type CallToConference =
  | { readonly type: 'ARRIVE'; readonly allowAnonymousStart: boolean }
  | { readonly type: 'ENTER_LOBBY' }
  | { readonly type: 'LEADER_START'; readonly userId: string }
  | { readonly type: 'LEAVE' };

export type StopReason = 'barge-in' | 'interrupted';

export type CallEmitted =
  | { readonly type: 'state-entered'; readonly state: CallStateName }
  /** Start playing `prompt`; `loop` prompts repeat until stopped. */
  | { readonly type: 'play'; readonly prompt: PromptName; readonly loop: boolean }
  /** Stop `prompt` now; the media layer must not report it finished afterwards. */
  | { readonly type: 'stop-prompt'; readonly prompt: PromptName; readonly reason: StopReason }
  | { readonly type: 'conference-id-entered'; readonly conferenceId: string }
  | {
      readonly type: 'pin-checked';
      readonly conferenceId: string;
      readonly outcome: 'accepted' | 'rejected' | 'locked';
      readonly mustChange: boolean;
    }
  /** The directory refused a new PIN; `rule` is the policy rule it broke. */
  | { readonly type: 'pin-change-rejected'; readonly rule: string }
  | { readonly type: 'to-conference'; readonly conferenceId: string; readonly message: CallToConference }
  /** The call is over; the media layer hangs up unless the caller already did. */
  | { readonly type: 'hangup'; readonly reason: HangupReason };

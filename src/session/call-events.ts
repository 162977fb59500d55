/**
 * What a call reports to its caller's socket and to the server log: the
 * events of the native `/call` protocol, each JSON-serialisable. `callMs` is
 * added by the session when it emits them.
 */
import type { DtmfKey } from '../dsp/dtmf-keys.ts';
import type { CallStateName, PromptName } from '../flow/names.ts';

export type PromptStopReason =
  /** The prompt's audio played to its end. */
  | 'finished'
  /** The caller keyed a digit while it played. */
  | 'barge-in'
  /** The flow moved on (a timeout, another caller's action, the call ending). */
  | 'interrupted';

/** Where a digit came from: the caller's audio, or a platform's DTMF event. */
export type DigitSource = 'in-band' | 'out-of-band';

export type HangupReason =
  | 'caller'
  | 'goodbye'
  | 'locked-out'
  | 'server-shutdown'
  | 'error'
  | 'idle-timeout'
  | 'slow-reader'
  | (string & {});

export type CallEventBody =
  | { event: 'call-started'; callId: string; sampleRate: number; protocol: string; from?: string }
  | { event: 'state-entered'; state: CallStateName }
  | { event: 'prompt-started'; prompt: PromptName }
  | { event: 'prompt-stopped'; prompt: PromptName; reason: PromptStopReason }
  | { event: 'digit-heard'; digit: DtmfKey; startMs: number; endMs: number; source: DigitSource }
  | { event: 'admitted'; conferenceId: string }
  | { event: 'meeting-started'; conferenceId: string }
  /** The meeting this call was in or waiting for has ended (the flow then says goodbye). */
  | { event: 'meeting-ended'; conferenceId: string; reason: string }
  | { event: 'hung-up'; reason: HangupReason }
  | { event: 'error'; code: string; message: string };

export type CallEvent = CallEventBody & { callMs: number };

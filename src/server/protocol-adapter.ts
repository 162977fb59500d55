/**
 * What a wire protocol does for a call: turns the caller's frames into
 * actions (start, audio, digit, hangup) and the call's audio and events into
 * frames. Adapters hold only per-socket parsing state; the connection runs
 * the call. Every method may throw a ProtocolError, or a CallerFieldError
 * for a caller field the shared rules refuse (session/caller-fields.ts);
 * either ends that call only.
 */
import type { DtmfKey } from '../dsp/dtmf-keys.ts';
import type { CallEvent } from '../session/call-events.ts';

export const PROTOCOL_NAMES = ['native', 'twilio', 'vonage'] as const;
export type ProtocolName = (typeof PROTOCOL_NAMES)[number];

export type InboundAction =
  /** The call's audio format and caller are known: the call can start. */
  | { type: 'start'; sampleRate: number; from?: string; reference?: string }
  /** Caller audio, 16-bit samples at the start's rate. */
  | { type: 'audio'; samples: Int16Array }
  /** A platform's out-of-band key press; `durationMs` when the platform reports one. */
  | { type: 'dtmf'; digit: DtmfKey; durationMs?: number }
  /** The caller (or platform) ended the call. */
  | { type: 'hangup' }
  /** A frame that needs no action (a greeting, a playback acknowledgement). */
  | { type: 'ignore'; what: string };

/** An outgoing WebSocket message: text (JSON) or binary. */
export type OutboundFrame = string | Buffer;

export interface ProtocolAdapter {
  readonly protocol: ProtocolName;
  /** Parses one incoming message. */
  receive(data: Buffer, isBinary: boolean): InboundAction;
  /**
   * The message carrying one frame of what the caller hears (`samples` is
   * reused afterwards, so the message must not share its memory). `silent`
   * frames are all zeros and may be answered from a cache; `shared`, when
   * given, is the same samples in memory that is never modified, so the
   * message may be encoded once for every call that sends that frame
   * (see SessionSink.audio).
   */
  encodeAudio(samples: Int16Array, silent?: boolean, shared?: Int16Array): OutboundFrame;
  /** Messages to send for a call event (none when the protocol has no place for it). */
  encodeEvent(event: CallEvent): OutboundFrame[];
}

/** Per-connection choices read from the upgrade request. */
export interface AdapterContext {
  /** Send dialin-sim's JSON call events on protocols that do not define them (Twilio, Vonage). */
  extraEvents: boolean;
}

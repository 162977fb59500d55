/**
 * What the softphone tells a person about how a call ended, why the line
 * could not open, and what became of the microphone: plain sentences in
 * place of the service's reason codes, which stay in the developer log.
 */
import type { HangupReason as FlowHangupReason } from '../../flow/call-types.ts';
import type { MicrophoneState } from './audio-engine.ts';

/**
 * Each reason the service gives in `hung-up {reason}`: the call flow's
 * (src/flow/call-types.ts HangupReason, checked to be complete) and the call
 * session's own (src/session/call-events.ts HangupReason).
 */
type KnownHangupReason = FlowHangupReason | 'goodbye' | 'server-shutdown' | 'error' | 'idle-timeout' | 'slow-reader';

const HANGUP_SENTENCES: Readonly<Record<KnownHangupReason, string>> = {
  caller: 'You hung up.',
  goodbye: 'The service said goodbye and ended the call.',
  'conference-id-failures': 'Too many attempts: the conference ID was not recognised. The service ended the call.',
  'pin-failures': 'Too many attempts: the leader PIN was not accepted. The service ended the call.',
  'pin-change-failures': 'Too many attempts at choosing a new PIN. The service ended the call.',
  'locked-out': 'Leader PIN entry is locked after too many wrong PINs. The service ended the call.',
  'lobby-timeout': 'The leader did not join in time, so the service ended the call.',
  'meeting-ended': 'The meeting has ended.',
  'server-shutdown': 'The service is shutting down and ended the call.',
  'idle-timeout': 'The service heard no audio from this phone for too long and ended the call.',
  'slow-reader': 'This phone fell too far behind the audio, so the service ended the call.',
  'system-error': 'The service had a problem and ended the call.',
  error: 'The service had a problem with this call and ended it.',
};

/** How the call ended, from the reason in the service's hung-up event. */
export function hangupSentence(reason: string): string {
  return Object.hasOwn(HANGUP_SENTENCES, reason) ? HANGUP_SENTENCES[reason as KnownHangupReason] : 'The service ended the call.';
}

/** WebSocket close code for a connection that dropped without a close frame (RFC 6455 §7.4.1). */
export const CLOSE_ABNORMAL = 1006;

/**
 * Why the line closed when the service sent no hung-up event: it never
 * opened (the service is unreachable), or it dropped (1006, no close frame).
 */
export function closeSentence(opened: boolean, code: number): string {
  if (!opened) return 'Cannot reach the service. Check that it is running.';
  if (code === CLOSE_ABNORMAL) return 'The connection to the service was lost.';
  return 'The service closed the line.';
}

/** What the page says about the microphone, or undefined when it is on. */
export function microphoneSentence(state: MicrophoneState): string | undefined {
  switch (state) {
    case 'on':
      return undefined;
    case 'off':
      return 'Microphone off (see Line settings): the line carries only your key tones, so Mute has nothing to mute.';
    case 'denied':
      return 'Microphone blocked: the browser refused access. The line carries only your key tones, so Mute is disabled. Allow the microphone in the site settings and call again.';
    case 'unavailable':
      return 'No microphone found. The line carries only your key tones, so Mute is disabled.';
  }
}

/**
 * What the softphone's display says for each call state and prompt. The
 * records are total over the flow's names, so a new state or prompt fails
 * the type check until it has a caption.
 */
import type { EndReason } from '../../flow/conference-machine.ts';
import type { CallStateName, PromptName } from '../../flow/names.ts';

export const STATE_LABELS: Record<CallStateName, string> = {
  greeting: 'Greeting',
  'collecting-conference-id': 'Conference ID',
  'leader-question': 'Leader?',
  'collecting-pin': 'Leader PIN',
  'verifying-pin': 'Checking PIN',
  'changing-pin': 'New PIN',
  lobby: 'Lobby',
  'in-meeting': 'In meeting',
  'locked-out': 'Locked out',
  disconnected: 'Disconnected',
};

export const PROMPT_CAPTIONS: Record<PromptName, string> = {
  welcome: 'Welcome to the conference service.',
  'enter-conference-id': 'Enter the conference ID, then press pound.',
  'invalid-conference-id': 'That conference ID was not recognised. Please try again.',
  'leader-question': 'If you are the leader, press star. Otherwise, press pound.',
  'enter-pin': 'Enter your leader PIN, then press pound.',
  'invalid-pin': 'That PIN is not correct.',
  'locked-out': 'Too many wrong PINs. Leader PIN entry is locked.',
  'pin-expired-enter-new': 'Your PIN has expired. Enter a new PIN, then press pound.',
  'confirm-new-pin': 'Enter the new PIN again, then press pound.',
  'pin-mismatch': 'The two PINs did not match.',
  'pin-policy-rejected': 'That PIN does not meet the PIN policy.',
  'pin-changed': 'Your PIN has been changed.',
  'waiting-for-leader': 'The meeting starts when the leader joins. Please wait.',
  'hold-music': '♪ Hold music while you wait for the leader.',
  'joining-meeting': 'Joining the meeting.',
  'meeting-started': 'The meeting has started.',
  goodbye: 'Goodbye.',
};

export function stateLabel(state: string): string {
  return (STATE_LABELS as Record<string, string>)[state] ?? state;
}

export function promptCaption(prompt: string): string {
  return (PROMPT_CAPTIONS as Record<string, string>)[prompt] ?? prompt;
}

/** Why a meeting ended, for each reason of the conference machine's meeting-ended (src/flow/conference-machine.ts EndReason). */
const MEETING_ENDED_CAPTIONS: Readonly<Record<EndReason, string>> = {
  'ended-by-organizer': 'The leader ended the meeting.',
  'last-participant-left': 'Everyone else has left, so the meeting has ended.',
};

export function meetingEndedCaption(reason: string): string {
  return Object.hasOwn(MEETING_ENDED_CAPTIONS, reason) ? MEETING_ENDED_CAPTIONS[reason as EndReason] : 'The meeting has ended.';
}

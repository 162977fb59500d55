/**
 * What each spoken prompt says, worded like the dial-in bridges of hosted
 * audio conferencing. scripts/make-prompts.ts speaks these into
 * audio/prompts/<name>.wav; transcripts and the softphone show them as text.
 */
import type { PromptName } from '../flow/names.ts';

export type SpokenPromptName = Exclude<PromptName, 'hold-music'>;

export const PROMPT_TEXTS: Readonly<Record<SpokenPromptName, string>> = {
  'welcome': 'Welcome to the dial-in conferencing service.',
  'enter-conference-id': 'Please enter your conference I D, followed by the pound key.',
  'invalid-conference-id': 'Sorry, that conference I D is not valid.',
  'leader-question': 'If you are the leader, press star. Otherwise, press pound, or please hold.',
  'enter-pin': 'Please enter your leader PIN, followed by the pound key.',
  'invalid-pin': 'Sorry, that PIN is not valid.',
  'locked-out': 'Your PIN has been locked. Please contact your administrator. Goodbye.',
  'pin-expired-enter-new': 'Your PIN has expired. Please enter a new PIN, followed by the pound key.',
  'confirm-new-pin': 'Please enter the new PIN again, followed by the pound key.',
  'pin-mismatch': 'The PINs did not match.',
  'pin-policy-rejected': 'That PIN does not meet the PIN policy. Please choose a different PIN.',
  'pin-changed': 'Your PIN has been changed.',
  'waiting-for-leader': 'The leader has not yet joined. Please wait; you will be admitted when the meeting starts.',
  'joining-meeting': 'You are now joining the meeting.',
  'meeting-started': 'The meeting has started.',
  'goodbye': 'Goodbye.',
};

/** A line for transcripts: the words of a spoken prompt, or a marker for music. */
export function promptTranscript(name: PromptName): string {
  return name === 'hold-music' ? '[hold music]' : PROMPT_TEXTS[name];
}

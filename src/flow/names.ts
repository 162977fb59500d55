/**
 * The fixed names of the caller's flow. Scenarios, transcripts, the
 * WebSocket protocol and tests all refer to these strings.
 */
export const CALL_STATES = [
  'greeting',
  'collecting-conference-id',
  'leader-question',
  'collecting-pin',
  'verifying-pin',
  'changing-pin',
  'lobby',
  'in-meeting',
  'locked-out',
  'disconnected',
] as const;
export type CallStateName = (typeof CALL_STATES)[number];

/** Every prompt is also an audio file `audio/prompts/<name>.wav`. */
export const PROMPTS = [
  'welcome',
  'enter-conference-id',
  'invalid-conference-id',
  'leader-question',
  'enter-pin',
  'invalid-pin',
  'locked-out',
  'pin-expired-enter-new',
  'confirm-new-pin',
  'pin-mismatch',
  'pin-policy-rejected',
  'pin-changed',
  'waiting-for-leader',
  'hold-music',
  'joining-meeting',
  'meeting-started',
  'goodbye',
] as const;
export type PromptName = (typeof PROMPTS)[number];

/** Prompts that repeat until stopped rather than play once. */
export const LOOPED_PROMPTS: ReadonlySet<PromptName> = new Set(['hold-music']);

export function isCallStateName(value: string): value is CallStateName {
  return (CALL_STATES as readonly string[]).includes(value);
}

export function isPromptName(value: string): value is PromptName {
  return (PROMPTS as readonly string[]).includes(value);
}

/**
 * State pieces the call machine uses in several places: the announcement
 * between joining a conference and `in-meeting`, the leader start request,
 * and goodbye. Each factory returns a fresh config for one state.
 */
import { callSetup } from './call-setup.ts';
import type { HangupReason } from './call-types.ts';
import type { CallStateName, PromptName } from './names.ts';

export const enter = (state: CallStateName) => ({ type: 'announceState', params: { state } }) as const;
export const play = (prompt: PromptName) => ({ type: 'play', params: { prompt } }) as const;
export const hangupFor = (reason: HangupReason) => ({ type: 'prepareHangup', params: { reason } }) as const;

/** Plays goodbye, then ends the call with the reason set on the way in. */
export const goodbye = () =>
  callSetup.createStateConfig({
    entry: play('goodbye'),
    on: { PROMPT_FINISHED: { guard: 'isCurrentPrompt', target: '#call.disconnected', actions: 'promptEnded' } },
  });

/** Asks the conference to start with this caller as leader and waits for its answer. */
export const startingMeeting = () =>
  callSetup.createStateConfig({
    entry: 'requestLeaderStart',
    on: {
      START_CONFIRMED: { target: 'announcingStart', actions: 'markUnqueued' },
      ADMIT: { target: 'announcingJoin', actions: 'markUnqueued' },
    },
  });

/** The announcement between joining the conference and the in-meeting state. */
export const announcing = (prompt: 'joining-meeting' | 'meeting-started') =>
  callSetup.createStateConfig({
    entry: play(prompt),
    on: {
      PROMPT_FINISHED: { guard: 'isCurrentPrompt', target: '#call.in-meeting', actions: 'promptEnded' },
      MEETING_ENDED: { target: 'goodbye', actions: hangupFor('meeting-ended') },
    },
  });

/**
 * The named guards, actions, delays and actors of the call machine. The
 * state chart itself is in call-machine.ts; everything here can be replaced
 * with `callMachine.provide()`.
 */
import { assign, emit, enqueueActions, setup } from 'xstate';
import type { DtmfKey } from '../dsp/dtmf-keys.ts';
import { changePin, lookupConference, verifyPin } from './directory-actors.ts';
import type { ConferenceInfo, PinChange, PinVerification } from './directory-port.ts';
import { LOOPED_PROMPTS, type CallStateName, type PromptName } from './names.ts';
import type {
  CallContext,
  CallEmitted,
  CallEvent,
  CallInput,
  CallToConference,
  HangupReason,
  PinOrigin,
} from './call-types.ts';

const LOBBY_TIMEOUT_ID = 'lobby-timeout';

function keyOf(event: CallEvent): DtmfKey | undefined {
  return event.type === 'DIGIT' ? event.digit : undefined;
}

function isNumeric(key: DtmfKey | undefined): boolean {
  return key !== undefined && key >= '0' && key <= '9';
}

function toConference(context: CallContext, message: CallToConference): CallEmitted {
  return { type: 'to-conference', conferenceId: context.conferenceId ?? '', message };
}

function lockedOut(verification: PinVerification): boolean {
  return verification.outcome === 'locked' || (verification.outcome === 'rejected' && verification.lockedNow);
}

export const callSetup = setup({
  types: {
    context: {} as CallContext,
    events: {} as CallEvent,
    emitted: {} as CallEmitted,
    input: {} as CallInput,
    /** `type-ahead`: keys keyed now are kept by the Ivr and replayed once the tag is gone. */
    tags: {} as 'type-ahead',
  },
  actors: { lookupConference, verifyPin, changePin },
  delays: {
    firstDigitTimeout: ({ context }) => context.options.firstDigitTimeoutMs,
    interDigitTimeout: ({ context }) => context.options.interDigitTimeoutMs,
    leaderQuestionTimeout: ({ context }) => context.options.leaderQuestionTimeoutMs,
    pinFirstDigitTimeout: ({ context }) => context.options.pinFirstDigitTimeoutMs,
    pinInterDigitTimeout: ({ context }) => context.options.pinInterDigitTimeoutMs,
    lobbyTimeout: ({ context }) => context.options.lobbyTimeoutMs ?? 0,
  },
  guards: {
    /** A PROMPT_FINISHED for the prompt now playing; late or stray reports are ignored. */
    isCurrentPrompt: ({ context, event }) => event.type === 'PROMPT_FINISHED' && event.prompt === context.playing,
    isNumericKey: ({ event }) => isNumeric(keyOf(event)),
    isStar: ({ event }) => keyOf(event) === '*',
    isPound: ({ event }) => keyOf(event) === '#',
    isPoundFromLobby: ({ context, event }) => keyOf(event) === '#' && context.pinOrigin === 'lobby',
    conferenceIdIsFull: ({ context, event }) =>
      isNumeric(keyOf(event)) && context.entry.length >= context.options.maxConferenceIdDigits,
    isLastConferenceIdAttempt: ({ context }) =>
      context.conferenceIdFailures + 1 >= context.options.maxConferenceIdFailures,
    conferenceFound: (_, params: { conference: ConferenceInfo | undefined }) => params.conference !== undefined,
    completesPin: ({ context, event }) =>
      isNumeric(keyOf(event)) && context.entry.length + 1 >= context.maxPinDigits,
    isLastPinNoInput: ({ context }) => context.pinNoInputs + 1 >= context.options.maxPinNoInputs,
    isLastPinAttempt: ({ context }) => context.pinFailures + 1 >= context.options.maxPinAttempts,
    pinAccepted: (_, params: { verification: PinVerification }) =>
      params.verification.outcome === 'accepted' && !params.verification.mustChange,
    pinMustChange: (_, params: { verification: PinVerification }) =>
      params.verification.outcome === 'accepted' && params.verification.mustChange,
    pinLockedOut: (_, params: { verification: PinVerification }) => lockedOut(params.verification),
    isQueued: ({ context }) => context.queued,
    newPinsMatch: ({ context }) => context.newPin !== undefined && context.entry === context.newPin,
    isLastPinChangeAttempt: ({ context }) =>
      context.pinChangeFailures + 1 >= context.options.maxPinChangeAttempts,
    pinChanged: (_, params: { change: PinChange }) => params.change.outcome === 'changed',
  },
  actions: {
    announceState: emit((_, params: { state: CallStateName }) => ({
      type: 'state-entered' as const,
      state: params.state,
    })),
    /** Plays `prompt`, first stopping whatever still plays: one prompt at a time per call. */
    play: enqueueActions(({ context, enqueue }, params: { prompt: PromptName }) => {
      if (context.playing !== undefined) {
        enqueue.emit({ type: 'stop-prompt', prompt: context.playing, reason: 'interrupted' });
      }
      enqueue.assign({ playing: params.prompt });
      enqueue.emit({ type: 'play', prompt: params.prompt, loop: LOOPED_PROMPTS.has(params.prompt) });
    }),
    /** A key during a prompt that asks for keys stops it; the key is kept as input. */
    bargeIn: enqueueActions(({ context, enqueue }) => {
      if (context.playing === undefined) return;
      enqueue.emit({ type: 'stop-prompt', prompt: context.playing, reason: 'barge-in' });
      enqueue.assign({ playing: undefined });
    }),
    promptEnded: assign({ playing: undefined }),
    clearEntry: assign({ entry: '' }),
    appendDigit: assign({ entry: ({ context, event }) => context.entry + (keyOf(event) ?? '') }),
    submitConferenceId: enqueueActions(({ context, enqueue }) => {
      enqueue.assign({ conferenceId: context.entry, entry: '' });
      enqueue.emit({ type: 'conference-id-entered', conferenceId: context.entry });
    }),
    countConferenceIdFailure: assign({ conferenceIdFailures: ({ context }) => context.conferenceIdFailures + 1 }),
    rememberConference: assign((_, params: { conference: ConferenceInfo | undefined }) => ({
      conference: params.conference,
    })),
    requestArrival: emit(({ context }) =>
      toConference(context, {
        type: 'ARRIVE',
        allowAnonymousStart: context.conference?.allowAnonymousStart ?? false,
      }),
    ),
    requestLobby: emit(({ context }) => toConference(context, { type: 'ENTER_LOBBY' })),
    requestLeaderStart: emit(({ context }) =>
      toConference(context, { type: 'LEADER_START', userId: context.leaderUserId ?? '' }),
    ),
    markQueued: assign({ queued: true }),
    markUnqueued: assign({ queued: false }),
    setPinOrigin: assign((_, params: { origin: PinOrigin }) => ({ pinOrigin: params.origin })),
    countPinFailure: assign({ pinFailures: ({ context }) => context.pinFailures + 1 }),
    countPinNoInput: assign({ pinNoInputs: ({ context }) => context.pinNoInputs + 1 }),
    resetPinNoInputs: assign({ pinNoInputs: 0 }),
    reportPinCheck: emit(({ context }, params: { verification: PinVerification }) => ({
      type: 'pin-checked' as const,
      conferenceId: context.conferenceId ?? '',
      outcome: params.verification.outcome,
      mustChange: params.verification.outcome === 'accepted' && params.verification.mustChange,
    })),
    reportPinChangeRejected: emit((_, params: { change: PinChange }) => ({
      type: 'pin-change-rejected' as const,
      rule: params.change.outcome === 'policy-rejected' ? params.change.rule : '',
    })),
    rememberLeader: assign((_, params: { userId: string }) => ({ leaderUserId: params.userId })),
    rememberNewPin: assign({ newPin: ({ context }) => context.entry }),
    clearPins: assign({ entry: '', newPin: undefined }),
    countPinChangeFailure: assign({ pinChangeFailures: ({ context }) => context.pinChangeFailures + 1 }),
    /**
     * Starts the way out of the call. A caller still queued leaves the lobby
     * at once, so an admission cannot arrive during the last prompt.
     */
    prepareHangup: enqueueActions(({ context, enqueue }, params: { reason: HangupReason }) => {
      enqueue.assign({ hangupReason: params.reason });
      if (!context.queued) return;
      enqueue.emit(toConference(context, { type: 'LEAVE' }));
      enqueue.assign({ queued: false });
    }),
    hangUp: enqueueActions(({ context, enqueue }) => {
      // LEAVE is harmless when the conference no longer knows this call.
      if (context.conference !== undefined) enqueue.emit(toConference(context, { type: 'LEAVE' }));
      enqueue.emit({ type: 'hangup', reason: context.hangupReason ?? 'caller' });
      enqueue.assign({ playing: undefined, entry: '', newPin: undefined, queued: false });
    }),
    scheduleLobbyTimeout: enqueueActions(({ context, enqueue }) => {
      if (!context.options.lobbyTimeoutMs) return;
      enqueue.raise({ type: 'LOBBY_TIMEOUT' }, { id: LOBBY_TIMEOUT_ID, delay: 'lobbyTimeout' });
    }),
    cancelLobbyTimeout: enqueueActions(({ context, enqueue }) => {
      if (context.options.lobbyTimeoutMs) enqueue.cancel(LOBBY_TIMEOUT_ID);
    }),
  },
});

export function initialCallContext(input: CallInput): CallContext {
  return {
    callId: input.callId,
    directory: input.directory,
    options: input.options,
    maxPinDigits: input.maxPinDigits,
    playing: undefined,
    entry: '',
    conferenceId: undefined,
    conference: undefined,
    conferenceIdFailures: 0,
    pinFailures: 0,
    pinNoInputs: 0,
    pinChangeFailures: 0,
    pinOrigin: 'leader-question',
    queued: false,
    leaderUserId: undefined,
    newPin: undefined,
    hangupReason: undefined,
  };
}

/**
 * The PIN part of the call: entering the leader PIN, verifying it, and
 * changing an expired one. Targets starting with `#call.` name top-level
 * states of the call machine.
 */
import { callSetup } from './call-setup.ts';
import { announcing, enter, goodbye, hangupFor, play, startingMeeting } from './call-state-parts.ts';

const firstPinKey = () =>
  callSetup.createStateConfig({
    on: {
      DIGIT: [
        { guard: 'isPoundFromLobby', target: '#call.lobby', actions: ['bargeIn', 'resetPinNoInputs'] },
        { guard: 'isPound', target: 'noInput', actions: 'bargeIn' },
        { guard: 'isStar', target: 'prompting', reenter: true, actions: 'bargeIn' },
        { guard: 'completesPin', target: '#call.verifying-pin', actions: ['bargeIn', 'appendDigit'] },
        { guard: 'isNumericKey', target: 'entering', actions: ['bargeIn', 'appendDigit'] },
      ],
    },
  }).on.DIGIT;

const firstNewPinKey = () =>
  callSetup.createStateConfig({
    on: {
      DIGIT: [
        { guard: 'isPound', target: 'failed', actions: 'bargeIn' },
        { guard: 'isStar', target: 'promptingNew', reenter: true, actions: 'bargeIn' },
        { guard: 'completesPin', target: 'promptingConfirm', actions: ['bargeIn', 'appendDigit', 'rememberNewPin'] },
        { guard: 'isNumericKey', target: 'enteringNew', actions: ['bargeIn', 'appendDigit'] },
      ],
    },
  }).on.DIGIT;

const firstConfirmKey = () =>
  callSetup.createStateConfig({
    on: {
      DIGIT: [
        { guard: 'isPound', target: 'comparing', actions: 'bargeIn' },
        { guard: 'isStar', target: 'promptingNew', actions: 'bargeIn' },
        { guard: 'completesPin', target: 'comparing', actions: ['bargeIn', 'appendDigit'] },
        { guard: 'isNumericKey', target: 'enteringConfirm', actions: ['bargeIn', 'appendDigit'] },
      ],
    },
  }).on.DIGIT;

/** PIN entry: digits until # (or maxPinDigits); * restarts; empty entries and timeouts re-prompt. */
export const collectingPin = callSetup.createStateConfig({
  entry: enter('collecting-pin'),
  initial: 'prompting',
  states: {
    prompting: {
      entry: ['clearEntry', play('enter-pin')],
      on: {
        PROMPT_FINISHED: { guard: 'isCurrentPrompt', target: 'awaitingFirstDigit', actions: 'promptEnded' },
        DIGIT: firstPinKey(),
      },
    },
    retrying: {
      entry: ['clearEntry', play('invalid-pin')],
      on: {
        PROMPT_FINISHED: { guard: 'isCurrentPrompt', target: 'prompting', actions: 'promptEnded' },
        DIGIT: firstPinKey(),
      },
    },
    awaitingFirstDigit: {
      after: { pinFirstDigitTimeout: 'noInput' },
      on: { DIGIT: firstPinKey() },
    },
    entering: {
      after: { pinInterDigitTimeout: 'noInput' },
      on: {
        DIGIT: [
          { guard: 'isPound', target: '#call.verifying-pin' },
          { guard: 'isStar', target: 'prompting' },
          { guard: 'completesPin', target: '#call.verifying-pin', actions: 'appendDigit' },
          { guard: 'isNumericKey', target: 'entering', reenter: true, actions: 'appendDigit' },
        ],
      },
    },
    noInput: {
      always: [
        { guard: 'isLastPinNoInput', target: '#call.lobby', actions: 'resetPinNoInputs' },
        { target: 'prompting', actions: 'countPinNoInput' },
      ],
    },
  },
});

/** The directory's verdict on the PIN, and the start of the meeting for an accepted leader. */
export const verifyingPin = callSetup.createStateConfig({
  entry: [enter('verifying-pin'), 'resetPinNoInputs'],
  initial: 'checking',
  states: {
    checking: {
      invoke: {
        id: 'verifyPin',
        src: 'verifyPin',
        input: ({ context }) => ({
          directory: context.directory,
          conferenceId: context.conferenceId ?? '',
          pin: context.entry,
        }),
        onDone: [
          {
            guard: { type: 'pinAccepted', params: ({ event }) => ({ verification: event.output }) },
            target: 'starting',
            actions: [
              'clearEntry',
              { type: 'reportPinCheck', params: ({ event }) => ({ verification: event.output }) },
              { type: 'rememberLeader', params: ({ event }) => ({ userId: event.output.userId }) },
            ],
          },
          {
            guard: { type: 'pinMustChange', params: ({ event }) => ({ verification: event.output }) },
            target: '#call.changing-pin',
            actions: [
              'clearEntry',
              { type: 'reportPinCheck', params: ({ event }) => ({ verification: event.output }) },
              { type: 'rememberLeader', params: ({ event }) => ({ userId: event.output.userId }) },
            ],
          },
          {
            guard: { type: 'pinLockedOut', params: ({ event }) => ({ verification: event.output }) },
            target: '#call.locked-out',
            actions: [
              'clearEntry',
              { type: 'reportPinCheck', params: ({ event }) => ({ verification: event.output }) },
              hangupFor('locked-out'),
            ],
          },
          {
            guard: 'isLastPinAttempt',
            target: 'goodbye',
            actions: [
              'clearEntry',
              { type: 'reportPinCheck', params: ({ event }) => ({ verification: event.output }) },
              'countPinFailure',
              hangupFor('pin-failures'),
            ],
          },
          {
            target: '#call.collecting-pin.retrying',
            actions: [
              'clearEntry',
              { type: 'reportPinCheck', params: ({ event }) => ({ verification: event.output }) },
              'countPinFailure',
            ],
          },
        ],
        onError: { target: 'goodbye', actions: ['clearEntry', hangupFor('system-error')] },
      },
    },
    starting: startingMeeting(),
    announcingStart: announcing('meeting-started'),
    announcingJoin: announcing('joining-meeting'),
    goodbye: goodbye(),
  },
});

/** An expired PIN: new PIN, confirmation, the directory's policy check, then the meeting starts. */
export const changingPin = callSetup.createStateConfig({
  entry: enter('changing-pin'),
  initial: 'promptingNew',
  states: {
    promptingNew: {
      entry: ['clearPins', play('pin-expired-enter-new')],
      on: {
        PROMPT_FINISHED: { guard: 'isCurrentPrompt', target: 'awaitingNew', actions: 'promptEnded' },
        DIGIT: firstNewPinKey(),
      },
    },
    mismatch: {
      entry: ['clearPins', play('pin-mismatch')],
      on: {
        PROMPT_FINISHED: { guard: 'isCurrentPrompt', target: 'promptingNew', actions: 'promptEnded' },
        DIGIT: firstNewPinKey(),
      },
    },
    policyRejected: {
      entry: ['clearPins', play('pin-policy-rejected')],
      on: {
        PROMPT_FINISHED: { guard: 'isCurrentPrompt', target: 'promptingNew', actions: 'promptEnded' },
        DIGIT: firstNewPinKey(),
      },
    },
    awaitingNew: {
      after: { pinFirstDigitTimeout: 'failed' },
      on: { DIGIT: firstNewPinKey() },
    },
    enteringNew: {
      after: { pinInterDigitTimeout: 'failed' },
      on: {
        DIGIT: [
          { guard: 'isPound', target: 'promptingConfirm', actions: 'rememberNewPin' },
          { guard: 'isStar', target: 'promptingNew' },
          { guard: 'completesPin', target: 'promptingConfirm', actions: ['appendDigit', 'rememberNewPin'] },
          { guard: 'isNumericKey', target: 'enteringNew', reenter: true, actions: 'appendDigit' },
        ],
      },
    },
    promptingConfirm: {
      entry: ['clearEntry', play('confirm-new-pin')],
      on: {
        PROMPT_FINISHED: { guard: 'isCurrentPrompt', target: 'awaitingConfirm', actions: 'promptEnded' },
        DIGIT: firstConfirmKey(),
      },
    },
    awaitingConfirm: {
      after: { pinFirstDigitTimeout: 'failed' },
      on: { DIGIT: firstConfirmKey() },
    },
    enteringConfirm: {
      after: { pinInterDigitTimeout: 'failed' },
      on: {
        DIGIT: [
          { guard: 'isPound', target: 'comparing' },
          { guard: 'isStar', target: 'promptingNew' },
          { guard: 'completesPin', target: 'comparing', actions: 'appendDigit' },
          { guard: 'isNumericKey', target: 'enteringConfirm', reenter: true, actions: 'appendDigit' },
        ],
      },
    },
    comparing: {
      always: [
        { guard: 'newPinsMatch', target: 'saving' },
        {
          guard: 'isLastPinChangeAttempt',
          target: 'goodbye',
          actions: ['countPinChangeFailure', 'clearPins', hangupFor('pin-change-failures')],
        },
        { target: 'mismatch', actions: 'countPinChangeFailure' },
      ],
    },
    failed: {
      always: [
        {
          guard: 'isLastPinChangeAttempt',
          target: 'goodbye',
          actions: ['countPinChangeFailure', 'clearPins', hangupFor('pin-change-failures')],
        },
        { target: 'promptingNew', actions: 'countPinChangeFailure' },
      ],
    },
    saving: {
      invoke: {
        id: 'changePin',
        src: 'changePin',
        input: ({ context }) => ({
          directory: context.directory,
          userId: context.leaderUserId ?? '',
          newPin: context.newPin ?? '',
        }),
        onDone: [
          {
            guard: { type: 'pinChanged', params: ({ event }) => ({ change: event.output }) },
            target: 'changed',
            actions: 'clearPins',
          },
          {
            guard: 'isLastPinChangeAttempt',
            target: 'goodbye',
            actions: [
              { type: 'reportPinChangeRejected', params: ({ event }) => ({ change: event.output }) },
              'countPinChangeFailure',
              'clearPins',
              hangupFor('pin-change-failures'),
            ],
          },
          {
            target: 'policyRejected',
            actions: [{ type: 'reportPinChangeRejected', params: ({ event }) => ({ change: event.output }) }, 'countPinChangeFailure'],
          },
        ],
        onError: { target: 'goodbye', actions: ['clearPins', hangupFor('system-error')] },
      },
    },
    changed: {
      entry: play('pin-changed'),
      on: { PROMPT_FINISHED: { guard: 'isCurrentPrompt', target: 'starting', actions: 'promptEnded' } },
    },
    starting: startingMeeting(),
    announcingStart: announcing('meeting-started'),
    announcingJoin: announcing('joining-meeting'),
    goodbye: goodbye(),
  },
});

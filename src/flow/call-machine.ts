/**
 * One caller's dial-in flow. Prompts, state changes and conference requests
 * leave as emitted events; keys, prompt reports and conference replies come
 * in as events. Directory work runs in invoked promise actors.
 *
 *   greeting
 *     │ welcome finished, or a key
 *     ▼
 *   collecting-conference-id ── 3 failures: goodbye ─────────────────────────┐
 *     │ found ── meeting running: joining-meeting ───────► in-meeting ◄──┐    │
 *     │       ── anonymous start: meeting-started ─────────►    ▲        │    │
 *     ▼ needs a leader                                          │ ADMIT  │    │
 *   leader-question ── # or timeout ──► lobby ──────────────────┘        │    │
 *     │ *                              * │  ▲ # alone, or no PIN         │    │
 *     ▼                                  ▼  │                            │    │
 *   collecting-pin ◄─────────────────────┘  │                            │    │
 *     │ │ └─────────────────────────────────┘                            │    │
 *     │ PIN#   ▲ wrong: invalid-pin                                      │    │
 *     ▼        │                                                         │    │
 *   verifying-pin ── accepted: meeting-started ──────────────────────────┤    │
 *     │  │ expired                                                       │    │
 *     │  └──► changing-pin ── pin-changed, meeting-started ──────────────┘    │
 *     │ locked                                                                ▼
 *     └──► locked-out ──────────────────────────────────────────────► disconnected
 *
 * Every state but disconnected goes to disconnected on HANGUP. Sequential
 * prompts wait for PROMPT_FINISHED; digit timeouts start when the prompt
 * asking for digits has finished or been barged in. States tagged
 * `type-ahead` (the conference lookup and the conference's answer) cannot
 * act on keys: the Ivr keeps those keys and replays them when the call has
 * found its conference, as a real IVR buffers DTMF, and drops them when the
 * ID is unknown; keys during `invalid-conference-id` count (see ivr.ts).
 */
import { collectingPin, changingPin, verifyingPin } from './call-pin-states.ts';
import { callSetup, initialCallContext } from './call-setup.ts';
import { announcing, enter, goodbye, hangupFor, play } from './call-state-parts.ts';

const firstConferenceIdKey = () =>
  callSetup.createStateConfig({
    on: {
      DIGIT: [
        { guard: 'isPound', target: 'rejected', actions: 'bargeIn' },
        { guard: 'isStar', target: 'prompting', reenter: true, actions: 'bargeIn' },
        { guard: 'isNumericKey', target: 'entering', actions: ['bargeIn', 'appendDigit'] },
      ],
    },
  }).on.DIGIT;

const lobbyStar = () =>
  callSetup.createStateConfig({
    on: {
      DIGIT: {
        guard: 'isStar',
        target: '#call.collecting-pin',
        actions: ['bargeIn', { type: 'setPinOrigin', params: { origin: 'lobby' } }],
      },
    },
  }).on.DIGIT;

export const callMachine = callSetup.createMachine({
  id: 'call',
  context: ({ input }) => initialCallContext(input),
  initial: 'greeting',
  on: {
    HANGUP: { target: '.disconnected', actions: hangupFor('caller') },
    // Admission while trying a PIN from the lobby: the caller joins like any lobby caller.
    ADMIT: { guard: 'isQueued', target: '.lobby.admitted' },
  },
  states: {
    greeting: {
      entry: [enter('greeting'), play('welcome')],
      on: {
        PROMPT_FINISHED: { guard: 'isCurrentPrompt', target: 'collecting-conference-id', actions: 'promptEnded' },
        DIGIT: [
          { guard: 'isNumericKey', target: 'collecting-conference-id.entering', actions: ['bargeIn', 'appendDigit'] },
          { guard: 'isStar', target: 'collecting-conference-id', actions: 'bargeIn' },
          { guard: 'isPound', target: 'collecting-conference-id', actions: 'bargeIn' },
        ],
      },
    },

    'collecting-conference-id': {
      entry: enter('collecting-conference-id'),
      initial: 'prompting',
      states: {
        prompting: {
          entry: ['clearEntry', play('enter-conference-id')],
          on: {
            PROMPT_FINISHED: { guard: 'isCurrentPrompt', target: 'awaitingFirstDigit', actions: 'promptEnded' },
            DIGIT: firstConferenceIdKey(),
          },
        },
        invalid: {
          entry: ['clearEntry', play('invalid-conference-id')],
          on: {
            PROMPT_FINISHED: { guard: 'isCurrentPrompt', target: 'prompting', actions: 'promptEnded' },
            DIGIT: firstConferenceIdKey(),
          },
        },
        awaitingFirstDigit: {
          after: { firstDigitTimeout: 'timedOut' },
          on: { DIGIT: firstConferenceIdKey() },
        },
        entering: {
          after: { interDigitTimeout: 'timedOut' },
          on: {
            DIGIT: [
              { guard: 'isPound', target: 'lookingUp', actions: 'submitConferenceId' },
              { guard: 'isStar', target: 'prompting' },
              { guard: 'conferenceIdIsFull', target: 'rejected' },
              { guard: 'isNumericKey', target: 'entering', reenter: true, actions: 'appendDigit' },
            ],
          },
        },
        timedOut: {
          always: [
            {
              guard: 'isLastConferenceIdAttempt',
              target: 'goodbye',
              actions: ['countConferenceIdFailure', hangupFor('conference-id-failures')],
            },
            { target: 'prompting', actions: 'countConferenceIdFailure' },
          ],
        },
        rejected: {
          always: [
            {
              guard: 'isLastConferenceIdAttempt',
              target: 'goodbye',
              actions: ['countConferenceIdFailure', hangupFor('conference-id-failures')],
            },
            { target: 'invalid', actions: 'countConferenceIdFailure' },
          ],
        },
        lookingUp: {
          tags: 'type-ahead',
          invoke: {
            id: 'lookupConference',
            src: 'lookupConference',
            input: ({ context }) => ({ directory: context.directory, conferenceId: context.conferenceId ?? '' }),
            onDone: [
              {
                guard: { type: 'conferenceFound', params: ({ event }) => ({ conference: event.output }) },
                target: 'arriving',
                actions: { type: 'rememberConference', params: ({ event }) => ({ conference: event.output }) },
              },
              { target: 'rejected' },
            ],
            onError: { target: 'goodbye', actions: hangupFor('system-error') },
          },
        },
        arriving: {
          tags: 'type-ahead',
          entry: 'requestArrival',
          on: { ADMIT: 'joining', START_CONFIRMED: 'starting', NOT_STARTED: '#call.leader-question' },
        },
        joining: announcing('joining-meeting'),
        starting: announcing('meeting-started'),
        goodbye: goodbye(),
      },
    },

    'leader-question': {
      entry: enter('leader-question'),
      initial: 'asking',
      states: {
        asking: {
          entry: play('leader-question'),
          on: { PROMPT_FINISHED: { guard: 'isCurrentPrompt', target: 'waiting', actions: 'promptEnded' } },
        },
        waiting: { after: { leaderQuestionTimeout: '#call.lobby' } },
      },
      on: {
        DIGIT: [
          {
            guard: 'isStar',
            target: 'collecting-pin',
            actions: ['bargeIn', { type: 'setPinOrigin', params: { origin: 'leader-question' } }],
          },
          { guard: 'isPound', target: 'lobby', actions: 'bargeIn' },
        ],
      },
    },

    'collecting-pin': collectingPin,
    'verifying-pin': verifyingPin,
    'changing-pin': changingPin,

    lobby: {
      entry: [enter('lobby'), 'scheduleLobbyTimeout'],
      exit: 'cancelLobbyTimeout',
      initial: 'entering',
      states: {
        entering: { always: [{ guard: 'isQueued', target: 'holding' }, { target: 'requesting' }] },
        requesting: {
          entry: 'requestLobby',
          on: { QUEUED: { target: 'announcing', actions: 'markQueued' }, ADMIT: 'admitted' },
        },
        announcing: {
          entry: play('waiting-for-leader'),
          on: {
            PROMPT_FINISHED: { guard: 'isCurrentPrompt', target: 'holding', actions: 'promptEnded' },
            DIGIT: lobbyStar(),
          },
        },
        holding: {
          entry: play('hold-music'),
          on: { DIGIT: lobbyStar() },
        },
        admitted: {
          entry: ['cancelLobbyTimeout', 'markUnqueued', play('joining-meeting')],
          on: {
            PROMPT_FINISHED: { guard: 'isCurrentPrompt', target: '#call.in-meeting', actions: 'promptEnded' },
            MEETING_ENDED: { target: 'goodbye', actions: hangupFor('meeting-ended') },
          },
        },
        goodbye: goodbye(),
      },
      on: {
        ADMIT: { guard: 'isQueued', target: '.admitted' },
        LOBBY_TIMEOUT: { target: '.goodbye', actions: hangupFor('lobby-timeout') },
      },
    },

    'in-meeting': {
      entry: enter('in-meeting'),
      initial: 'present',
      states: {
        present: { on: { MEETING_ENDED: { target: 'goodbye', actions: hangupFor('meeting-ended') } } },
        goodbye: goodbye(),
      },
    },

    'locked-out': {
      entry: [enter('locked-out'), play('locked-out')],
      on: { PROMPT_FINISHED: { guard: 'isCurrentPrompt', target: 'disconnected', actions: 'promptEnded' } },
    },

    disconnected: {
      type: 'final',
      entry: [enter('disconnected'), 'hangUp'],
    },
  },
});

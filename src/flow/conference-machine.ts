/**
 * One conference: the lobby queue while nobody has started it, the
 * participants while it runs. Admission goes out as one `admitted` event
 * per lobby caller, in arrival order, right after `meeting-started`.
 *
 *   ┌──────────────────┐  LEADER_START, or ARRIVE with    ┌──────────────────┐
 *   │   not-started    │  anonymous start allowed         │     started      │
 *   │ lobby (arrival   │ ───────────────────────────────► │ participants     │
 *   │ order)           │                                  │ (join order),    │
 *   │                  │ ◄─────────────────────────────── │ leader           │
 *   └──────────────────┘  END, or LEAVE of the last one   └──────────────────┘
 *
 * Participant ids are call ids for phone callers and `app:<userId>` for the
 * organizer joined from the app. The lobby and participant collections are
 * Maps updated in place: insertion order is arrival order, and joining or
 * leaving is O(1) however long the queue, where copying an array per join
 * would make a 10,000-caller lobby quadratic.
 */
import { enqueueActions, setup } from 'xstate';

export type StartHow = 'leader-pin' | 'anonymous' | 'app';
export type EndReason = 'ended-by-organizer' | 'last-participant-left';

export interface ConferenceInput {
  readonly conferenceId: string;
}

export interface ConferenceContext {
  readonly conferenceId: string;
  readonly lobby: Map<string, true>;
  readonly participants: Map<string, true>;
  leader: string | undefined;
}

export type ConferenceEvent =
  /** A caller who entered this conference's ID. */
  | { readonly type: 'ARRIVE'; readonly participantId: string; readonly allowAnonymousStart: boolean }
  | { readonly type: 'ENTER_LOBBY'; readonly participantId: string }
  /** An authenticated organizer (leader PIN or app) starts the meeting or joins it. */
  | { readonly type: 'LEADER_START'; readonly participantId: string; readonly userId: string; readonly how: 'leader-pin' | 'app' }
  | { readonly type: 'LEAVE'; readonly participantId: string }
  | { readonly type: 'END' };

export type ConferenceEmitted =
  | { readonly type: 'must-ask-leader'; readonly participantId: string }
  | { readonly type: 'queued'; readonly participantId: string; readonly position: number }
  | { readonly type: 'meeting-started'; readonly by: string; readonly how: StartHow; readonly userId?: string }
  | { readonly type: 'admitted'; readonly participantId: string; readonly fromLobby: boolean }
  | { readonly type: 'left'; readonly participantId: string; readonly from: 'lobby' | 'meeting' }
  | { readonly type: 'meeting-ended'; readonly reason: EndReason }
  /** Removed because the meeting ended while this participant was in it. */
  | { readonly type: 'dismissed'; readonly participantId: string };

interface StartParams {
  readonly by: string;
  readonly how: StartHow;
  readonly userId?: string;
}

function participantOf(event: ConferenceEvent): string | undefined {
  return 'participantId' in event ? event.participantId : undefined;
}

export const conferenceMachine = setup({
  types: {
    context: {} as ConferenceContext,
    events: {} as ConferenceEvent,
    emitted: {} as ConferenceEmitted,
    input: {} as ConferenceInput,
  },
  guards: {
    allowsAnonymousStart: ({ event }) => event.type === 'ARRIVE' && event.allowAnonymousStart,
    isLastParticipant: ({ context, event }) => {
      const id = participantOf(event);
      return id !== undefined && context.participants.size === 1 && context.participants.has(id);
    },
  },
  actions: {
    askForLeader: enqueueActions(({ event, enqueue }) => {
      const id = participantOf(event);
      if (id !== undefined) enqueue.emit({ type: 'must-ask-leader', participantId: id });
    }),
    queue: enqueueActions(({ context, event, enqueue }) => {
      const id = participantOf(event);
      if (id === undefined || context.lobby.has(id)) return;
      context.lobby.set(id, true);
      enqueue.emit({ type: 'queued', participantId: id, position: context.lobby.size });
    }),
    /** The starter joins first, then the lobby in arrival order. */
    startMeeting: enqueueActions(({ context, enqueue }, params: StartParams) => {
      const { lobby, participants } = context;
      lobby.delete(params.by);
      participants.set(params.by, true);
      enqueue.assign({ leader: params.by });
      enqueue.emit({
        type: 'meeting-started',
        by: params.by,
        how: params.how,
        ...(params.userId === undefined ? {} : { userId: params.userId }),
      });
      for (const id of lobby.keys()) {
        participants.set(id, true);
        enqueue.emit({ type: 'admitted', participantId: id, fromLobby: true });
      }
      lobby.clear();
    }),
    admit: enqueueActions(({ context, event, enqueue }) => {
      const id = participantOf(event);
      if (id === undefined || context.participants.has(id)) return;
      context.lobby.delete(id);
      context.participants.set(id, true);
      enqueue.emit({ type: 'admitted', participantId: id, fromLobby: false });
    }),
    leave: enqueueActions(({ context, event, enqueue }) => {
      const id = participantOf(event);
      if (id === undefined) return;
      if (context.lobby.delete(id)) {
        enqueue.emit({ type: 'left', participantId: id, from: 'lobby' });
      } else if (context.participants.delete(id)) {
        enqueue.emit({ type: 'left', participantId: id, from: 'meeting' });
      }
    }),
    endMeeting: enqueueActions(({ context, enqueue }, params: { reason: EndReason }) => {
      enqueue.emit({ type: 'meeting-ended', reason: params.reason });
      for (const id of context.participants.keys()) enqueue.emit({ type: 'dismissed', participantId: id });
      context.participants.clear();
      enqueue.assign({ leader: undefined });
    }),
  },
}).createMachine({
  id: 'conference',
  context: ({ input }) => ({
    conferenceId: input.conferenceId,
    lobby: new Map(),
    participants: new Map(),
    leader: undefined,
  }),
  initial: 'not-started',
  states: {
    'not-started': {
      on: {
        ARRIVE: [
          {
            guard: 'allowsAnonymousStart',
            target: 'started',
            actions: { type: 'startMeeting', params: ({ event }) => ({ by: event.participantId, how: 'anonymous' }) },
          },
          { actions: 'askForLeader' },
        ],
        ENTER_LOBBY: { actions: 'queue' },
        LEADER_START: {
          target: 'started',
          actions: {
            type: 'startMeeting',
            params: ({ event }) => ({ by: event.participantId, how: event.how, userId: event.userId }),
          },
        },
        LEAVE: { actions: 'leave' },
      },
    },
    started: {
      on: {
        ARRIVE: { actions: 'admit' },
        ENTER_LOBBY: { actions: 'admit' },
        LEADER_START: { actions: 'admit' },
        LEAVE: [
          {
            guard: 'isLastParticipant',
            target: 'not-started',
            actions: ['leave', { type: 'endMeeting', params: { reason: 'last-participant-left' } }],
          },
          { actions: 'leave' },
        ],
        END: { target: 'not-started', actions: { type: 'endMeeting', params: { reason: 'ended-by-organizer' } } },
      },
    },
  },
});

/**
 * Routes the one shared Ivr's event stream to the live calls on this server:
 * media commands and state changes to the call they name, conference news
 * (meeting started or ended) to every call in that conference. It also
 * answers the conference list for GET /api/conferences.
 */
import type { DtmfKey } from '../dsp/dtmf-keys.ts';
import type { ConferenceSnapshot, IvrEvent } from '../flow/ivr-events.ts';
import { APP_PREFIX } from '../flow/ivr/participant-ids.ts';
import type { PromptName } from '../flow/names.ts';
import type { CallSession, SessionFlow } from '../session/call-session.ts';

/** The part of the Ivr the server uses. */
export interface IvrApi {
  startCall(call: { callId: string; from?: string }): unknown;
  digit(callId: string, digit: DtmfKey): unknown;
  promptFinished(callId: string, prompt: PromptName): unknown;
  hangup(callId: string): unknown;
  subscribe(listener: (event: IvrEvent) => void): () => void;
  conferences(): readonly ConferenceSnapshot[];
  stop(): unknown;
}

export interface ConferenceListing {
  id: string;
  organizer: string;
  started: boolean;
  /** Participant id (call id or `app:<userId>`) of whoever started the running meeting. */
  leader?: string;
  lobby: { callId: string; from?: string }[];
  participants: ({ callId: string; from?: string } | { userId: string; via: 'app' })[];
}

interface LiveCall {
  session: CallSession;
  from: string | undefined;
  conferenceId: string | undefined;
}

export class IvrBridge {
  private readonly ivr: IvrApi;
  private readonly calls = new Map<string, LiveCall>();
  private readonly unsubscribe: () => void;
  /** Notes for the log that are not call events (PIN outcomes, lobby position). */
  private readonly note: (callId: string, message: string) => void;

  /** The `from` of a participant held by another server of the bridge. */
  private readonly remoteCaller: (participantId: string) => string | undefined;

  constructor(ivr: IvrApi, note: (callId: string, message: string) => void, remoteCaller: (participantId: string) => string | undefined = () => undefined) {
    this.ivr = ivr;
    this.note = note;
    this.remoteCaller = remoteCaller;
    this.unsubscribe = ivr.subscribe((event) => this.route(event));
  }

  /** The flow port a session uses: the shared Ivr, with calls registered here. */
  readonly flow: SessionFlow = {
    startCall: (callId, from) => {
      this.ivr.startCall({ callId, ...(from !== undefined ? { from } : {}) });
    },
    digit: (callId, digit) => {
      if (this.calls.has(callId)) this.ivr.digit(callId, digit);
    },
    promptFinished: (callId, prompt) => {
      if (this.calls.has(callId)) this.ivr.promptFinished(callId, prompt);
    },
    hangup: (callId) => {
      if (!this.calls.delete(callId)) return;
      this.ivr.hangup(callId);
    },
  };

  /** Registers a session before it starts, so the flow's first events find it. */
  add(session: CallSession, from: string | undefined): void {
    this.calls.set(session.callId, { session, from, conferenceId: undefined });
  }

  get size(): number {
    return this.calls.size;
  }

  /** The `from` of a call on this server. */
  callerOf(callId: string): string | undefined {
    return this.calls.get(callId)?.from;
  }

  stop(): void {
    this.unsubscribe();
    this.ivr.stop();
  }

  private route(event: IvrEvent): void {
    switch (event.type) {
      case 'state-entered':
        this.calls.get(event.callId)?.session.stateEntered(event.state);
        return;
      case 'play':
        this.calls.get(event.callId)?.session.play(event.prompt);
        return;
      case 'stop-prompt':
        this.calls.get(event.callId)?.session.stopPrompt(event.reason);
        return;
      case 'conference-id-entered': {
        const call = this.calls.get(event.callId);
        if (call) call.conferenceId = event.conferenceId;
        return;
      }
      case 'pin-checked':
        this.note(event.callId, `pin-checked ${event.outcome}${event.mustChange ? ' must-change' : ''}`);
        return;
      case 'lobby-entered':
        this.note(event.callId, `lobby position ${event.position}`);
        return;
      case 'admitted':
        if (event.callId) this.calls.get(event.callId)?.session.admitted(event.conferenceId);
        return;
      case 'meeting-started':
        for (const call of this.calls.values()) {
          if (call.conferenceId === event.conferenceId || call.session.callId === event.callId) {
            call.session.meetingStarted(event.conferenceId);
          }
        }
        return;
      case 'meeting-ended':
        for (const call of this.calls.values()) {
          if (call.conferenceId === event.conferenceId) call.session.meetingEnded(event.conferenceId, event.reason);
        }
        return;
      case 'hung-up': {
        const call = this.calls.get(event.callId);
        if (!call) return;
        this.calls.delete(event.callId);
        call.session.flowEnded(event.reason);
        return;
      }
      default:
        return;
    }
  }

  /** Every conference in the directory, with its live lobby and participants. */
  listConferences(directoryConferences: readonly { id: string; organizerId: string }[]): ConferenceListing[] {
    const live = new Map(this.ivr.conferences().map((c) => [c.id, c]));
    const describe = (participantId: string) => {
      if (participantId.startsWith(APP_PREFIX)) return { userId: participantId.slice(APP_PREFIX.length), via: 'app' as const };
      const from = this.calls.has(participantId) ? this.calls.get(participantId)!.from : this.remoteCaller(participantId);
      return { callId: participantId, ...(from !== undefined ? { from } : {}) };
    };
    return directoryConferences.map(({ id, organizerId }) => {
      const snapshot = live.get(id);
      return {
        id,
        organizer: organizerId,
        started: snapshot?.started ?? false,
        ...(snapshot?.leader !== undefined ? { leader: snapshot.leader } : {}),
        lobby: (snapshot?.lobby ?? []).map((callId) => describe(callId) as { callId: string; from?: string }),
        participants: (snapshot?.participants ?? []).map(describe),
      };
    });
  }
}

/**
 * What a scenario run does with each event of the Ivr: hands a call's
 * commands (play, stop, state changes, the end of the flow) to its session,
 * logs what the timeline needs, and notes the order callers reached each
 * conference for the final expectations.
 */
import type { IvrEvent } from '../../flow/ivr-events.ts';
import type { TimelineEvent } from '../scenario-result.ts';
import type { SimCall } from './sim-call.ts';

/**
 * Who reached each conference in which order (the lobby counts), which is
 * the order scenarios list participants in: the first caller to wait comes
 * first, although the leader who starts the meeting is its first member.
 */
export function noteArrival(event: IvrEvent, arrivals: Map<string, Set<string>>): void {
  const id = event.type === 'lobby-entered' ? event.callId : event.type === 'admitted' ? event.participantId : event.type === 'meeting-started' ? event.by : undefined;
  if (id === undefined || !('conferenceId' in event)) return;
  const ids = arrivals.get(event.conferenceId) ?? new Set<string>();
  ids.add(id);
  arrivals.set(event.conferenceId, ids);
}

/** Hands the flow's commands for a call to its session, and logs what the timeline needs. */
export function routeIvrEvent(event: IvrEvent, calls: ReadonlyMap<string, SimCall>, now: number, log: (event: TimelineEvent) => void, touched: Set<SimCall>): void {
  const call = 'callId' in event && event.callId !== undefined ? calls.get(event.callId) : undefined;
  if (call) touched.add(call);
  switch (event.type) {
    case 'state-entered':
      call?.sync(now);
      call?.session.stateEntered(event.state);
      return;
    case 'play':
      call?.sync(now);
      call?.session.play(event.prompt);
      return;
    case 'stop-prompt':
      call?.sync(now);
      call?.session.stopPrompt();
      return;
    case 'admitted':
      call?.session.admitted(event.conferenceId);
      return;
    case 'meeting-started':
      if (call) call.session.meetingStarted(event.conferenceId);
      else log({ type: 'meeting-started', atMs: now, call: event.by, conference: event.conferenceId });
      return;
    case 'hung-up':
      if (event.reason !== 'caller' && call) {
        call.sync(now);
        call.session.flowEnded(event.reason);
      }
      return;
    case 'conference-id-entered':
      if (call) call.conferenceId = event.conferenceId;
      return;
    case 'pin-checked':
      call?.note({ type: 'pin-checked', atMs: now, outcome: event.outcome, mustChange: event.mustChange });
      return;
    case 'pin-change-rejected':
      call?.note({ type: 'pin-change-rejected', atMs: now, rule: event.rule });
      return;
    case 'lobby-entered':
      call?.note({ type: 'lobby-entered', atMs: now, conference: event.conferenceId, position: event.position });
      return;
    case 'meeting-ended':
      log({ type: 'meeting-ended', atMs: now, conference: event.conferenceId, reason: event.reason });
      return;
    default:
      return;
  }
}

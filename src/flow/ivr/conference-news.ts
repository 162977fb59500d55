/**
 * What a conference's emitted events mean outside it: the IvrEvents they
 * publish and the replies they send to the calls concerned (a call learns
 * that it is queued, admitted, or that the meeting it was in has ended).
 */
import type { CallEvent } from '../call-types.ts';
import type { ConferenceEmitted } from '../conference-machine.ts';
import type { IvrEvent } from '../ivr-events.ts';
import { withCallId } from './participant-ids.ts';

export interface ConferenceNewsSinks {
  publish(event: IvrEvent): void;
  /** Sends to the call of `participantId`; nothing for an app participant or a call that is over. */
  sendToCall(participantId: string, event: CallEvent): void;
}

export function relayConferenceNews(conferenceId: string, event: ConferenceEmitted, sinks: ConferenceNewsSinks): void {
  const { publish, sendToCall } = sinks;
  switch (event.type) {
    case 'must-ask-leader':
      return sendToCall(event.participantId, { type: 'NOT_STARTED' });
    case 'queued':
      publish({ type: 'lobby-entered', callId: event.participantId, conferenceId, position: event.position });
      return sendToCall(event.participantId, { type: 'QUEUED', position: event.position });
    case 'meeting-started':
      publish({
        type: 'meeting-started',
        conferenceId,
        by: event.by,
        how: event.how,
        ...withCallId(event.by),
        ...(event.userId === undefined ? {} : { userId: event.userId }),
      });
      return sendToCall(event.by, { type: 'START_CONFIRMED' });
    case 'admitted':
      publish({
        type: 'admitted',
        conferenceId,
        participantId: event.participantId,
        ...withCallId(event.participantId),
        fromLobby: event.fromLobby,
      });
      return sendToCall(event.participantId, { type: 'ADMIT' });
    case 'left':
      return publish({
        type: 'participant-left',
        conferenceId,
        participantId: event.participantId,
        ...withCallId(event.participantId),
        from: event.from,
      });
    case 'meeting-ended':
      return publish({ type: 'meeting-ended', conferenceId, reason: event.reason });
    case 'dismissed':
      return sendToCall(event.participantId, { type: 'MEETING_ENDED' });
  }
}

/**
 * Participant ids in a conference: a phone call takes part under its call
 * id, an organizer who joins from the app under `app:<userId>`. Call ids may
 * not use the prefix, so the two never collide.
 */

export const APP_PREFIX = 'app:';

export function appParticipantId(userId: string): string {
  return `${APP_PREFIX}${userId}`;
}

/** `{ callId }` for a phone participant, `{}` for an app one (IvrEvents name calls only). */
export function withCallId(participantId: string): { callId?: string } {
  return participantId.startsWith(APP_PREFIX) ? {} : { callId: participantId };
}

/**
 * What the organizer does from the app rather than from a phone: join (which
 * starts the meeting if needed), leave, and end the meeting. They act on the
 * conference registry directly; no call actor is involved.
 */
import type { DirectoryPort } from '../directory-port.ts';
import { FlowInputError } from '../flow-errors.ts';
import type { AppJoinResult } from '../ivr-events.ts';
import type { ConferenceRegistry } from './conference-registry.ts';
import { appParticipantId } from './participant-ids.ts';

export interface AppActionsConfig {
  readonly directory: DirectoryPort;
  readonly conferences: ConferenceRegistry;
  /** True once the Ivr has stopped: actions are refused or answer false. */
  readonly stopped: () => boolean;
}

export class AppActions {
  private readonly config: AppActionsConfig;

  constructor(config: AppActionsConfig) {
    this.config = config;
  }

  /** The organizer joins; starts the meeting if needed. Rejects on directory errors. */
  async join(userId: string, conferenceId: string): Promise<AppJoinResult> {
    const { directory, conferences, stopped } = this.config;
    if (typeof userId !== 'string' || userId.length === 0) throw new FlowInputError('userId must be a non-empty string');
    if (stopped()) throw new FlowInputError('the IVR has stopped');
    const info = await directory.findConference(conferenceId);
    if (info === undefined) return { ok: false, reason: 'unknown-conference' };
    if (info.organizerId !== userId) return { ok: false, reason: 'not-organizer' };
    if (stopped()) throw new FlowInputError('the IVR has stopped');
    const participantId = appParticipantId(userId);
    const before = conferences.snapshot(conferenceId);
    if (before?.participants.includes(participantId)) {
      return { ok: true, participantId, startedMeeting: false, alreadyJoined: true };
    }
    conferences.send(conferenceId, { type: 'LEADER_START', participantId, userId, how: 'app' });
    return { ok: true, participantId, startedMeeting: !(before?.started ?? false), alreadyJoined: false };
  }

  /** An app participant leaves. False when not in the meeting. */
  leave(userId: string, conferenceId: string): boolean {
    const participantId = appParticipantId(userId);
    if (this.config.stopped() || !this.config.conferences.snapshot(conferenceId)?.participants.includes(participantId)) return false;
    this.config.conferences.send(conferenceId, { type: 'LEAVE', participantId });
    return true;
  }

  /** The organizer ends the meeting. False when it is not running. */
  endMeeting(conferenceId: string): boolean {
    if (this.config.stopped() || !this.config.conferences.snapshot(conferenceId)?.started) return false;
    this.config.conferences.send(conferenceId, { type: 'END' });
    return true;
  }
}

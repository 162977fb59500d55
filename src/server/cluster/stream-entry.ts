/**
 * One entry of the bridge's event stream: one committed transition of one
 * conference (the event the machine took, what it emitted, and the holder
 * of a participant the transition claimed), never the conference itself.
 * An entry thus stays a few hundred bytes however large the conference
 * grows, and every node brings its copy of the conference from version
 * v-1 to v by running the same pure transition (stepConference) on it.
 * Decoding is pure; a field that does not parse is an error naming it,
 * since another process wrote it.
 */
import type { ConferenceEmitted, ConferenceEvent } from '../../flow/conference-machine.ts';
import { ClusterStateError, holder, jsonObject, parsedField, type Claim } from './conference-record.ts';

export interface StreamEntry {
  readonly conferenceId: string;
  readonly version: number;
  readonly event: ConferenceEvent;
  readonly emitted: readonly ConferenceEmitted[];
  readonly claim?: Claim;
}

function text(where: string, value: unknown): string {
  if (typeof value !== 'string') throw new ClusterStateError(`${where}: expected a string`);
  return value;
}

/** The event as the committing node sent it to the conference machine. */
function decodeEvent(where: string, value: unknown): ConferenceEvent {
  const event = jsonObject(where, value);
  switch (event.type) {
    case 'END':
      return { type: 'END' };
    case 'ENTER_LOBBY':
    case 'LEAVE':
      return { type: event.type, participantId: text(`${where}.participantId`, event.participantId) };
    case 'ARRIVE':
      if (typeof event.allowAnonymousStart !== 'boolean') throw new ClusterStateError(`${where}.allowAnonymousStart: expected true or false`);
      return { type: 'ARRIVE', participantId: text(`${where}.participantId`, event.participantId), allowAnonymousStart: event.allowAnonymousStart };
    case 'LEADER_START':
      if (event.how !== 'leader-pin' && event.how !== 'app') throw new ClusterStateError(`${where}.how: expected leader-pin or app`);
      return {
        type: 'LEADER_START',
        participantId: text(`${where}.participantId`, event.participantId),
        userId: text(`${where}.userId`, event.userId),
        how: event.how,
      };
    default:
      throw new ClusterStateError(`${where}.type: expected ARRIVE, ENTER_LOBBY, LEADER_START, LEAVE or END`);
  }
}

/** The entry's fields as the commit script writes them (XADD field, value, ...). */
export function encodeEntry(entry: Omit<StreamEntry, 'conferenceId' | 'version'>): Record<'event' | 'emitted' | 'claim', string> {
  return {
    event: JSON.stringify(entry.event),
    emitted: JSON.stringify(entry.emitted),
    claim: entry.claim ? JSON.stringify(entry.claim) : '',
  };
}

export function decodeEntry(fields: Readonly<Record<string, string>>): StreamEntry {
  const conferenceId = fields.conf ?? '';
  if (conferenceId === '') throw new ClusterStateError('stream entry.conf: missing');
  const where = `stream entry ${conferenceId}`;
  const version = Number(fields.version);
  if (!Number.isInteger(version) || version < 1) throw new ClusterStateError(`${where}.version: expected a positive integer`);
  const emitted = parsedField(`${where}.emitted`, fields.emitted);
  // The news is handed on as the committing node's machine emitted it; only its shape is checked.
  if (!Array.isArray(emitted) || !emitted.every((item) => typeof jsonObject(`${where}.emitted`, item).type === 'string')) {
    throw new ClusterStateError(`${where}.emitted: expected a JSON list of events`);
  }
  const entry = { conferenceId, version, event: decodeEvent(`${where}.event`, parsedField(`${where}.event`, fields.event)), emitted: emitted as ConferenceEmitted[] };
  if (!fields.claim) return entry;
  const claim = jsonObject(`${where}.claim`, parsedField(`${where}.claim`, fields.claim));
  return { ...entry, claim: { participantId: text(`${where}.claim.participantId`, claim.participantId), holder: holder(`${where}.claim.holder`, claim.holder) } };
}

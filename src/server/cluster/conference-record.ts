/**
 * A conference as the bridge keeps it on Redis: the conference machine's
 * state, its version (one more per committed transition, so a writer knows
 * whether it read the latest), and which node holds each participant (and
 * the caller's `from`, for /api/conferences on every node). Encoding and
 * decoding the hash fields is pure; a field that does not parse is an error
 * naming it, since another process wrote it.
 */
import { DialinError } from '../../errors.ts';
import { EMPTY_CONFERENCE, type ConferenceState } from '../../flow/ivr/conference-step.ts';

export class ClusterStateError extends DialinError {
  constructor(message: string) {
    super('E_CLUSTER_STATE', message);
  }
}

export interface CallHolder {
  /** The node whose process holds the call (or took the app join). */
  readonly node: string;
  readonly from?: string;
}

export interface ConferenceRecord {
  readonly version: number;
  readonly state: ConferenceState;
  /** Every participant of the lobby and the meeting, by participant id. */
  readonly calls: Readonly<Record<string, CallHolder>>;
}

/** A participant a transition brings in, with the node that holds it. */
export interface Claim {
  readonly participantId: string;
  readonly holder: CallHolder;
}

export const EMPTY_RECORD: ConferenceRecord = { version: 0, state: EMPTY_CONFERENCE, calls: {} };

/** The hash fields of a record, as strings. */
export function encodeRecord(record: Omit<ConferenceRecord, 'version'>): Record<'started' | 'leader' | 'lobby' | 'participants' | 'calls', string> {
  return {
    started: record.state.started ? '1' : '0',
    leader: record.state.leader ?? '',
    lobby: JSON.stringify(record.state.lobby),
    participants: JSON.stringify(record.state.participants),
    calls: JSON.stringify(record.calls),
  };
}

/** A field's JSON; text that does not parse is an error naming the field. */
export function parsedField(where: string, text: string | undefined): unknown {
  if (text === undefined) throw new ClusterStateError(`${where}: missing`);
  try {
    return JSON.parse(text);
  } catch (error) {
    throw new ClusterStateError(`${where}: ${(error as Error).message}`);
  }
}

export function jsonObject(where: string, value: unknown): Record<string, unknown> {
  if (typeof value !== 'object' || value === null || Array.isArray(value)) throw new ClusterStateError(`${where}: expected a JSON object`);
  return value as Record<string, unknown>;
}

function stringList(where: string, text: string | undefined): string[] {
  const value = parsedField(where, text ?? '[]');
  if (!Array.isArray(value) || !value.every((item) => typeof item === 'string')) {
    throw new ClusterStateError(`${where}: expected a JSON list of ids`);
  }
  return value;
}

/** One holder, {node, from?}, as another process wrote it. */
export function holder(where: string, value: unknown): CallHolder {
  const { node, from } = (typeof value === 'object' && value !== null ? value : {}) as { node?: unknown; from?: unknown };
  if (typeof node !== 'string' || (from !== undefined && typeof from !== 'string')) throw new ClusterStateError(`${where}: expected {node, from?}`);
  return from === undefined ? { node } : { node, from };
}

function holders(where: string, text: string | undefined): Record<string, CallHolder> {
  const out: Record<string, CallHolder> = {};
  for (const [id, item] of Object.entries(jsonObject(where, parsedField(where, text ?? '{}')))) out[id] = holder(`${where}.${id}`, item);
  return out;
}

/**
 * The holders after a transition: everyone still in the lobby or the
 * meeting keeps the holder they had; the claimed participant, if new,
 * gets the claim's. Every node computes the same from the same entry.
 */
export function holdersAfter(
  before: Readonly<Record<string, CallHolder>>,
  state: ConferenceState,
  claim: Claim | undefined,
): Record<string, CallHolder> {
  const calls: Record<string, CallHolder> = {};
  for (const id of [...state.lobby, ...state.participants]) {
    const known = before[id] ?? (id === claim?.participantId ? claim.holder : undefined);
    if (known) calls[id] = known;
  }
  return calls;
}

/** A record from its hash (HGETALL; empty for a conference never used). */
export function decodeRecord(where: string, fields: Readonly<Record<string, string>>): ConferenceRecord {
  if (fields.version === undefined) return EMPTY_RECORD;
  const version = Number(fields.version);
  if (!Number.isInteger(version) || version < 1) throw new ClusterStateError(`${where}.version: expected a positive integer`);
  const started = fields.started === '1';
  const leader = fields.leader ?? '';
  return {
    version,
    state: {
      started,
      ...(started && leader !== '' ? { leader } : {}),
      lobby: stringList(`${where}.lobby`, fields.lobby),
      participants: stringList(`${where}.participants`, fields.participants),
    },
    calls: holders(`${where}.calls`, fields.calls),
  };
}

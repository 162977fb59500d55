/**
 * The conference registry of a bridge of several nodes: conference state on
 * Redis, shared by every node. `send` is asynchronous underneath: each node
 * keeps one queue per conference (so one call's ARRIVE and ENTER_LOBBY
 * commit in order), runs the conference machine (stepConference: the same
 * rules as the in-memory registry) on its copy of the conference and
 * commits the result with the commit script, reading the conference from
 * Redis and trying again when another node committed first. Each
 * transition reaches every node through the event stream (applyEntry), in
 * commit order: the node replays it on its copy and hands on the news that
 * concerns it: its own participants', and meeting start and end, which
 * every call in the conference hears.
 *
 * The call machine already waits for its conference's replies (ADMIT,
 * QUEUED, ...) as events, so a reply that arrives a few milliseconds later
 * changes nothing in the flow. snapshot() and snapshots() answer from this
 * node's copy of the shared state, kept current by the same stream.
 */
import type { Redis } from 'ioredis';
import type { ConferenceEmitted, ConferenceEvent } from '../../flow/conference-machine.ts';
import type { ConferenceRegistry, ConferenceListener } from '../../flow/ivr/conference-registry.ts';
import { stepConference, type ConferenceState } from '../../flow/ivr/conference-step.ts';
import type { ConferenceSnapshot } from '../../flow/ivr-events.ts';
import type { ClusterKeys } from './cluster-keys.ts';
import { COMMIT_SCRIPT, STREAM_MAX_LENGTH, TRANSACTION_TTL_MS } from './commit-script.ts';
import { decodeRecord, EMPTY_RECORD, encodeRecord, holdersAfter, type CallHolder, type Claim, type ConferenceRecord } from './conference-record.ts';
import { decodeEntry, encodeEntry, type StreamEntry } from './stream-entry.ts';

/** Tries a node makes at one transition while other nodes keep committing first. */
const MAX_COMMIT_ATTEMPTS = 100;

export interface RedisConferencesConfig {
  /** Connection for reads and commits (not the stream reader's blocking one). */
  readonly redis: Redis;
  readonly keys: ClusterKeys;
  readonly nodeId: string;
  /** The news of each conference that concerns this node, in commit order. */
  readonly onEmitted: ConferenceListener;
  /** The `from` of a call on this node, recorded with it for every node's conference list. */
  readonly callerOf: (participantId: string) => string | undefined;
  readonly log: (line: string) => void;
}

function participantOf(event: ConferenceEvent | ConferenceEmitted): string | undefined {
  if ('participantId' in event) return event.participantId;
  return 'by' in event ? event.by : undefined;
}

function sameState(a: ConferenceState, b: ConferenceState): boolean {
  return a.started === b.started && a.leader === b.leader && a.lobby.join('\n') === b.lobby.join('\n') && a.participants.join('\n') === b.participants.join('\n');
}

export class RedisConferences implements ConferenceRegistry {
  private readonly config: RedisConferencesConfig;
  private readonly mirror = new Map<string, ConferenceRecord>();
  /** Participants this node sent in (its calls, its app joins): their news is delivered here. */
  private readonly local = new Set<string>();
  private readonly queues = new Map<string, Promise<void>>();
  /** Conferences being read again after a gap in the stream, with the highest version seen meanwhile. */
  private readonly catchingUp = new Map<string, number>();
  private transactions = 0;
  private stopped = false;

  constructor(config: RedisConferencesConfig) {
    this.config = config;
    config.redis.defineCommand('dialinCommit', { numberOfKeys: 5, lua: COMMIT_SCRIPT });
  }

  send(conferenceId: string, event: ConferenceEvent): void {
    if (this.stopped) return;
    const participantId = participantOf(event);
    if (participantId !== undefined) this.local.add(participantId);
    void this.enqueue(conferenceId, event, event.type !== 'LEAVE' && event.type !== 'END');
  }

  /**
   * Commits `event` after this node's earlier ones for the conference.
   * `claim`: the event's participant is held by this node (recorded as
   * such); a survivor removing a dead node's callers does not claim them.
   */
  enqueue(conferenceId: string, event: ConferenceEvent, claim: boolean): Promise<void> {
    const txnId = `${this.config.nodeId}:${++this.transactions}`;
    const previous = this.queues.get(conferenceId) ?? Promise.resolve();
    const next = previous
      .then(() => this.commit(conferenceId, event, claim, txnId))
      .catch((error: unknown) => this.config.log(`cluster: ${event.type} for conference ${conferenceId} failed: ${(error as Error).message}`));
    this.queues.set(conferenceId, next);
    void next.then(() => {
      if (this.queues.get(conferenceId) === next) this.queues.delete(conferenceId);
    });
    return next;
  }

  snapshot(conferenceId: string): ConferenceSnapshot | undefined {
    const record = this.mirror.get(conferenceId);
    return record ? { id: conferenceId, ...record.state, lobby: [...record.state.lobby], participants: [...record.state.participants] } : undefined;
  }

  snapshots(): ConferenceSnapshot[] {
    return [...this.mirror.keys()].map((id) => this.snapshot(id)!);
  }

  /** Who holds a participant of any conference, as far as this node has heard. */
  holder(participantId: string): CallHolder | undefined {
    for (const record of this.mirror.values()) {
      const holder = record.calls[participantId];
      if (holder) return holder;
    }
    return undefined;
  }

  /** Reads one conference as it is on Redis now. */
  async read(conferenceId: string): Promise<ConferenceRecord> {
    const fields = await this.config.redis.hgetall(this.config.keys.conference(conferenceId));
    return decodeRecord(this.config.keys.conference(conferenceId), fields);
  }

  /** Takes a conference's state as read at start-up (older than the mirror's: ignored). */
  remember(conferenceId: string, record: ConferenceRecord): void {
    const known = this.mirror.get(conferenceId);
    if (record.version > 0 && (known === undefined || record.version > known.version)) this.mirror.set(conferenceId, record);
  }

  /** One entry of the event stream: its transition on this node's copy, and its news to this node's calls. */
  applyEntry(fields: Readonly<Record<string, string>>): void {
    const entry = decodeEntry(fields);
    const { conferenceId } = entry;
    this.follow(entry);
    if (this.stopped) return;
    for (const event of entry.emitted) {
      const participantId = participantOf(event);
      const everyone = event.type === 'meeting-started' || event.type === 'meeting-ended';
      if (!everyone && participantId !== undefined && !this.local.has(participantId)) continue;
      this.config.onEmitted(conferenceId, event);
      if ((event.type === 'left' || event.type === 'dismissed') && participantId !== undefined) this.local.delete(participantId);
    }
  }

  /** Brings this node's copy of the conference to the entry's version. */
  private follow(entry: StreamEntry): void {
    const { conferenceId, version } = entry;
    const known = this.mirror.get(conferenceId) ?? EMPTY_RECORD;
    if (known.version >= version) return; // this node's own commit, or read since
    if (known.version === version - 1) {
      const { state } = stepConference(conferenceId, known.state, entry.event);
      this.mirror.set(conferenceId, { version, state, calls: holdersAfter(known.calls, state, entry.claim) });
      return;
    }
    // Entries this node never saw (it joined meanwhile, or fell further behind than the stream keeps): the hash has the whole conference.
    const pending = this.catchingUp.get(conferenceId);
    this.catchingUp.set(conferenceId, Math.max(pending ?? 0, version));
    if (pending === undefined) void this.catchUp(conferenceId);
  }

  private async catchUp(conferenceId: string): Promise<void> {
    try {
      for (;;) {
        const wanted = this.catchingUp.get(conferenceId)!;
        this.remember(conferenceId, await this.read(conferenceId));
        // Again only for an entry past the copy that came in during the read (and was skipped as a gap then).
        const latest = this.catchingUp.get(conferenceId)!;
        if (latest === wanted || latest <= (this.mirror.get(conferenceId)?.version ?? 0)) break;
      }
    } catch (error) {
      this.config.log(`cluster: reading conference ${conferenceId} failed: ${(error as Error).message}`);
    } finally {
      this.catchingUp.delete(conferenceId);
    }
  }

  /** No more news is delivered; commits already queued still go out (settle waits for them). */
  stop(): void {
    this.stopped = true;
  }

  /** Resolves once every queued commit has gone out. */
  async settle(): Promise<void> {
    while (this.queues.size > 0) await Promise.all([...this.queues.values()]);
  }

  private async commit(conferenceId: string, event: ConferenceEvent, claim: boolean, txnId: string): Promise<void> {
    const { redis, keys, nodeId } = this.config;
    // This node's copy first: it is current unless another node committed since, which the script's version check catches.
    let before = this.mirror.get(conferenceId);
    for (let attempt = 0; attempt < MAX_COMMIT_ATTEMPTS; attempt++) {
      const fresh = before === undefined;
      before ??= await this.read(conferenceId);
      const step = stepConference(conferenceId, before.state, event);
      if (step.emitted.length === 0 && sameState(before.state, step.state)) {
        if (fresh) return;
        before = undefined; // nothing to do on this copy; make sure on the conference as it is
        continue;
      }
      const claimed = claim ? this.newClaim(before, step.state, participantOf(event)) : undefined;
      const calls = holdersAfter(before.calls, step.state, claimed);
      const entry = encodeEntry({ event, emitted: step.emitted, ...(claimed ? { claim: claimed } : {}) });
      const fields = encodeRecord({ state: step.state, calls });
      const result = await (redis as unknown as CommitCommand).dialinCommit(
        keys.conference(conferenceId), keys.conferences, keys.events, keys.transaction(txnId), keys.nodeConferences(nodeId),
        before.version, conferenceId, nodeId, claim ? '1' : '0', TRANSACTION_TTL_MS, STREAM_MAX_LENGTH,
        entry.event, entry.emitted, entry.claim,
        fields.started, fields.leader, fields.lobby, fields.participants, fields.calls,
      );
      if (result === 'conflict') {
        before = undefined;
        continue;
      }
      if (result !== 'duplicate') this.remember(conferenceId, { version: before.version + 1, state: step.state, calls });
      return;
    }
    throw new Error(`gave up after ${MAX_COMMIT_ATTEMPTS} attempts lost to other nodes`);
  }

  /** The participant this transition brings in, held by this node; none if it was there already. */
  private newClaim(before: ConferenceRecord, after: ConferenceState, participantId: string | undefined): Claim | undefined {
    if (participantId === undefined || before.calls[participantId] || !(after.lobby.includes(participantId) || after.participants.includes(participantId))) return undefined;
    const from = this.config.callerOf(participantId);
    return { participantId, holder: from === undefined ? { node: this.config.nodeId } : { node: this.config.nodeId, from } };
  }
}

interface CommitCommand {
  dialinCommit(...args: (string | number)[]): Promise<string>;
}

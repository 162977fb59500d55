/**
 * Where the bridge's shared state lives on Redis. Every key starts with one
 * prefix, so several bridges (or tests) can share a Redis by prefix.
 *
 *   {p}conf:{id}        hash: one conference (version, started, leader, lobby,
 *                       participants, calls: which node holds each participant)
 *   {p}conferences      set: every conference id used so far
 *   {p}events           stream: every committed transition, in commit order
 *   {p}txn:{id}         string with a TTL: a transition already committed
 *   {p}nodes            set: nodes that have joined and not been cleaned up
 *   {p}node:{id}        string with a TTL: the node's lease, kept by its heartbeat
 *   {p}node:{id}:confs  set: conferences where the node has had calls
 *   {p}reap:{id}        string with a TTL: the survivor cleaning up a dead node
 */
export const DEFAULT_KEY_PREFIX = 'dialin:';

export class ClusterKeys {
  readonly conferences: string;
  readonly events: string;
  readonly nodes: string;
  private readonly prefix: string;

  constructor(prefix = DEFAULT_KEY_PREFIX) {
    this.prefix = prefix;
    this.conferences = `${prefix}conferences`;
    this.events = `${prefix}events`;
    this.nodes = `${prefix}nodes`;
  }

  conference(conferenceId: string): string {
    return `${this.prefix}conf:${conferenceId}`;
  }

  transaction(txnId: string): string {
    return `${this.prefix}txn:${txnId}`;
  }

  lease(nodeId: string): string {
    return `${this.prefix}node:${nodeId}`;
  }

  nodeConferences(nodeId: string): string {
    return `${this.prefix}node:${nodeId}:confs`;
  }

  reaper(nodeId: string): string {
    return `${this.prefix}reap:${nodeId}`;
  }
}

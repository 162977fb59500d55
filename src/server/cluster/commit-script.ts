/**
 * The one write every node makes to a conference, as a Lua script so Redis
 * runs it atomically: commit a transition only if the conference is still
 * at the version the node read (else another node got there first and the
 * node reads again and recomputes: optimistic concurrency, as WATCH/MULTI
 * gives, but without WATCH's per-connection state, which a reconnect would
 * lose). The same script appends the transition to the event stream, so
 * state and stream never disagree, and remembers the transition's id for a
 * while, so a commit that ioredis resends after a reconnect is not applied
 * twice.
 *
 * KEYS: conference hash, conferences set, events stream, transaction key,
 *       the committing node's conference set
 * ARGV: expected version, conference id, node, claim ('1': the node holds a
 *       participant here), transaction TTL ms, stream max length, then the
 *       stream entry's event, emitted and claim (stream-entry.ts), then the
 *       hash's started, leader, lobby, participants, calls
 *       (conference-record.ts). The hash holds the whole conference, for a
 *       node that reads it; the entry only the transition.
 * Returns the stream entry id, 'conflict' or 'duplicate'.
 */
export const COMMIT_SCRIPT = `
if redis.call('EXISTS', KEYS[4]) == 1 then return 'duplicate' end
local current = tonumber(redis.call('HGET', KEYS[1], 'version') or '0')
if current ~= tonumber(ARGV[1]) then return 'conflict' end
local version = current + 1
redis.call('HSET', KEYS[1], 'version', version, 'started', ARGV[10], 'leader', ARGV[11],
  'lobby', ARGV[12], 'participants', ARGV[13], 'calls', ARGV[14])
redis.call('SADD', KEYS[2], ARGV[2])
if ARGV[4] == '1' then redis.call('SADD', KEYS[5], ARGV[2]) end
redis.call('SET', KEYS[4], '1', 'PX', ARGV[5])
return redis.call('XADD', KEYS[3], 'MAXLEN', '~', ARGV[6], '*',
  'conf', ARGV[2], 'version', version, 'node', ARGV[3], 'event', ARGV[7], 'emitted', ARGV[8], 'claim', ARGV[9])
`;

/** How long a committed transition's id is remembered: far longer than any reconnect. */
export const TRANSACTION_TTL_MS = 10 * 60_000;

/**
 * Stream entries kept (approximately; MAXLEN ~). A node that falls further
 * behind than this (cut off from Redis for a long time) has missed events;
 * at one conference transition per caller action this is hours of a busy
 * bridge.
 */
export const STREAM_MAX_LENGTH = 100_000;

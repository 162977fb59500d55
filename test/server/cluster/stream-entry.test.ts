/**
 * Stream entries and holders as pure data: an entry decodes to the
 * transition that was encoded, a field another process wrote wrongly is an
 * error naming it, and holders follow the conference's members.
 */
import { describe, expect, it } from 'vitest';
import { ClusterStateError, holdersAfter } from '../../../src/server/cluster/conference-record.ts';
import { decodeEntry, encodeEntry } from '../../../src/server/cluster/stream-entry.ts';

const base = { conf: '123456', version: '7', node: 'n1' };

describe('stream entries', () => {
  it('decodes what was encoded, with or without a claim', () => {
    const event = { type: 'LEADER_START', participantId: 'n1-c2', userId: 'amos', how: 'leader-pin' } as const;
    const emitted = [{ type: 'meeting-started', by: 'n1-c2', how: 'leader-pin', userId: 'amos' }] as const;
    const claim = { participantId: 'n1-c2', holder: { node: 'n1', from: 'sip:amos@example.test' } };
    expect(decodeEntry({ ...base, ...encodeEntry({ event, emitted, claim }) })).toEqual({ conferenceId: '123456', version: 7, event, emitted, claim });
    expect(decodeEntry({ ...base, ...encodeEntry({ event: { type: 'END' }, emitted: [] }) })).toEqual({ conferenceId: '123456', version: 7, event: { type: 'END' }, emitted: [] });
  });

  it.each([
    [{ version: '0' }, 'stream entry 123456.version: expected a positive integer'],
    [{ event: '{"type":"JOIN","participantId":"x"}' }, 'stream entry 123456.event.type: expected ARRIVE, ENTER_LOBBY, LEADER_START, LEAVE or END'],
    [{ event: '{"type":"ARRIVE","participantId":"x"}' }, 'stream entry 123456.event.allowAnonymousStart: expected true or false'],
    [{ event: '{"type":"LEAVE","participantId":7}' }, 'stream entry 123456.event.participantId: expected a string'],
    [{ event: '{"type":"LEADER_START","participantId":"x","userId":"u","how":"guess"}' }, 'stream entry 123456.event.how: expected leader-pin or app'],
    [{ emitted: '{"type":"queued"}' }, 'stream entry 123456.emitted: expected a JSON list of events'],
    [{ emitted: '[{' }, /^stream entry 123456\.emitted: /],
    [{ claim: '{"participantId":"x","holder":{"from":"y"}}' }, 'stream entry 123456.claim.holder: expected {node, from?}'],
  ])('names the field in error: %j', (override, message) => {
    const fields = { ...base, ...encodeEntry({ event: { type: 'ENTER_LOBBY', participantId: 'x' }, emitted: [] }), ...override };
    const decode = () => decodeEntry(fields);
    expect(decode).toThrow(ClusterStateError);
    expect(decode).toThrow(message);
  });
});

describe('holders after a transition', () => {
  const state = { started: true, lobby: ['g2'], participants: ['o1', 'g3'] };

  it('keeps the holders of those still there, adds a new claim, and drops those who left', () => {
    const before = { o1: { node: 'n1' }, g2: { node: 'n2', from: '+15550102' }, gone: { node: 'n2' } };
    expect(holdersAfter(before, state, { participantId: 'g3', holder: { node: 'n1' } })).toEqual({ o1: { node: 'n1' }, g2: { node: 'n2', from: '+15550102' }, g3: { node: 'n1' } });
  });

  it('never moves a participant to the claiming node', () => {
    expect(holdersAfter({ g2: { node: 'n2' } }, state, { participantId: 'g2', holder: { node: 'n1' } })).toEqual({ g2: { node: 'n2' } });
  });
});

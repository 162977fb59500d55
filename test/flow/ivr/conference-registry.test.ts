import { describe, expect, it } from 'vitest';
import type { ConferenceEmitted } from '../../../src/flow/conference-machine.ts';
import { InMemoryConferences } from '../../../src/flow/ivr/conference-registry.ts';

function registry() {
  const heard: [string, ConferenceEmitted][] = [];
  const conferences = new InMemoryConferences({}, (conferenceId, event) => heard.push([conferenceId, event]));
  return { conferences, heard };
}

describe('InMemoryConferences', () => {
  it('knows no conference before its first use', () => {
    const { conferences } = registry();
    expect(conferences.snapshot('123456')).toBeUndefined();
    expect(conferences.snapshots()).toEqual([]);
  });

  it('creates a conference on its first event and passes on what it emits, with its id', () => {
    const { conferences, heard } = registry();
    conferences.send('123456', { type: 'ARRIVE', participantId: 'c1', allowAnonymousStart: false });
    conferences.send('123456', { type: 'ENTER_LOBBY', participantId: 'c1' });
    expect(heard).toEqual([
      ['123456', { type: 'must-ask-leader', participantId: 'c1' }],
      ['123456', { type: 'queued', participantId: 'c1', position: 1 }],
    ]);
    expect(conferences.snapshot('123456')).toEqual({ id: '123456', started: false, lobby: ['c1'], participants: [] });
  });

  it('lists conferences in order of first use, with the leader of a started one', () => {
    const { conferences } = registry();
    conferences.send('777001', { type: 'ENTER_LOBBY', participantId: 'c1' });
    conferences.send('123456', { type: 'LEADER_START', participantId: 'app:amos', userId: 'amos', how: 'app' });
    expect(conferences.snapshots()).toEqual([
      { id: '777001', started: false, lobby: ['c1'], participants: [] },
      { id: '123456', started: true, leader: 'app:amos', lobby: [], participants: ['app:amos'] },
    ]);
  });

  it('forgets every conference when stopped', () => {
    const { conferences, heard } = registry();
    conferences.send('123456', { type: 'ENTER_LOBBY', participantId: 'c1' });
    conferences.stop();
    expect(conferences.snapshots()).toEqual([]);
    heard.length = 0;
    conferences.send('123456', { type: 'ENTER_LOBBY', participantId: 'c2' });
    expect(heard).toEqual([['123456', { type: 'queued', participantId: 'c2', position: 1 }]]);
  });
});

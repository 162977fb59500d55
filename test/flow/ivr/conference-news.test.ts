import { describe, expect, it } from 'vitest';
import type { CallEvent } from '../../../src/flow/call-types.ts';
import type { IvrEvent } from '../../../src/flow/ivr-events.ts';
import { relayConferenceNews } from '../../../src/flow/ivr/conference-news.ts';

function sinks() {
  const published: IvrEvent[] = [];
  const sent: [string, CallEvent][] = [];
  return {
    published,
    sent,
    sinks: { publish: (event: IvrEvent) => void published.push(event), sendToCall: (id: string, event: CallEvent) => void sent.push([id, event]) },
  };
}

describe('relayConferenceNews', () => {
  it('tells a queued call its position and publishes lobby-entered', () => {
    const { published, sent, sinks: s } = sinks();
    relayConferenceNews('123456', { type: 'queued', participantId: 'c1', position: 2 }, s);
    expect(published).toEqual([{ type: 'lobby-entered', callId: 'c1', conferenceId: '123456', position: 2 }]);
    expect(sent).toEqual([['c1', { type: 'QUEUED', position: 2 }]]);
  });

  it('names the call that started a meeting, and no call for an organizer in the app', () => {
    const { published, sinks: s } = sinks();
    relayConferenceNews('123456', { type: 'meeting-started', by: 'c1', how: 'leader-pin', userId: 'amos' }, s);
    relayConferenceNews('123456', { type: 'meeting-started', by: 'app:amos', how: 'app', userId: 'amos' }, s);
    expect(published).toEqual([
      { type: 'meeting-started', conferenceId: '123456', by: 'c1', how: 'leader-pin', callId: 'c1', userId: 'amos' },
      { type: 'meeting-started', conferenceId: '123456', by: 'app:amos', how: 'app', userId: 'amos' },
    ]);
  });

  it('ends the call of a dismissed participant without publishing, and publishes a meeting end to no call', () => {
    const { published, sent, sinks: s } = sinks();
    relayConferenceNews('123456', { type: 'dismissed', participantId: 'c3' }, s);
    relayConferenceNews('123456', { type: 'meeting-ended', reason: 'ended-by-organizer' }, s);
    expect(sent).toEqual([['c3', { type: 'MEETING_ENDED' }]]);
    expect(published).toEqual([{ type: 'meeting-ended', conferenceId: '123456', reason: 'ended-by-organizer' }]);
  });
});

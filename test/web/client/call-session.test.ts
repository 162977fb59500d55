import { describe, expect, it } from 'vitest';
import { parseServerEvent } from '../../../src/web/client/call-session.ts';

describe('parseServerEvent', () => {
  it('accepts each event of the native protocol', () => {
    const events = [
      { event: 'call-started', callMs: 0, callId: 'c1', sampleRate: 8000 },
      { event: 'state-entered', callMs: 1, state: 'lobby' },
      { event: 'prompt-started', callMs: 2, prompt: 'enter-pin' },
      { event: 'prompt-stopped', callMs: 3, prompt: 'enter-pin', reason: 'barge-in' },
      { event: 'digit-heard', callMs: 4, digit: '5', startMs: 1234.5, endMs: 1334.5 },
      { event: 'admitted', callMs: 5, conferenceId: '123456' },
      { event: 'meeting-started', callMs: 6, conferenceId: '123456' },
      { event: 'meeting-ended', callMs: 6.5, conferenceId: '123456', reason: 'ended-by-organizer' },
      { event: 'hung-up', callMs: 7, reason: 'caller' },
      { event: 'error', callMs: 8, code: 'E_PROTOCOL', message: 'bad frame' },
    ];
    for (const event of events) expect(parseServerEvent(JSON.stringify(event))).toEqual(event);
  });

  it('describes frames that are not events instead of throwing', () => {
    expect(parseServerEvent('{nope')).toEqual({ invalid: 'not JSON: {nope' });
    expect(parseServerEvent('[1]')).toEqual({ invalid: 'unknown event undefined' });
    expect(parseServerEvent('null')).toEqual({ invalid: 'not an object' });
    expect(parseServerEvent('{"event":"teleport","callMs":1}')).toEqual({ invalid: 'unknown event "teleport"' });
    expect(parseServerEvent('{"event":"digit-heard","callMs":1,"digit":5,"startMs":0,"endMs":1}')).toEqual({
      invalid: 'digit-heard: digit is not a string',
    });
    expect(parseServerEvent('{"event":"admitted","conferenceId":"1"}')).toEqual({ invalid: 'admitted: callMs is not a number' });
    expect(parseServerEvent('{"event":"meeting-ended","callMs":1,"conferenceId":"1"}')).toEqual({
      invalid: 'meeting-ended: reason is not a string',
    });
  });
});

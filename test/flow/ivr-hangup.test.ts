import { describe, expect, it } from 'vitest';
import type { CallStateName } from '../../src/flow/names.ts';
import { IvrHarness, settle } from './ivr-harness.ts';

type Setup = (h: IvrHarness) => Promise<void>;

/** Ways to bring call 'c1' into each state, with timers or directory work pending where the state has them. */
const CASES: [string, CallStateName, Setup][] = [
  ['greeting', 'greeting', async (h) => h.ivr.startCall({ callId: 'c1' })],
  [
    'collecting-conference-id (inter-digit timer)',
    'collecting-conference-id',
    async (h) => {
      h.ivr.startCall({ callId: 'c1' });
      h.finish('c1', 'welcome');
      h.finish('c1', 'enter-conference-id');
      h.keys('c1', '12');
    },
  ],
  [
    'collecting-conference-id (directory lookup pending)',
    'collecting-conference-id',
    async (h) => {
      h.directory.pause();
      h.ivr.startCall({ callId: 'c1' });
      h.keys('c1', '1234#');
    },
  ],
  [
    'leader-question (timer)',
    'leader-question',
    async (h) => {
      await h.dialIn('c1', '1234');
      h.finish('c1', 'leader-question');
    },
  ],
  [
    'collecting-pin (timer)',
    'collecting-pin',
    async (h) => {
      await h.toPinEntry('c1');
      h.keys('c1', '5');
    },
  ],
  [
    'verifying-pin (directory check pending)',
    'verifying-pin',
    async (h) => {
      await h.toPinEntry('c1');
      h.directory.pause();
      h.keys('c1', '5678#');
    },
  ],
  [
    'changing-pin',
    'changing-pin',
    async (h) => {
      await h.toPinEntry('c1', '9999');
      await h.enterPin('c1', '2468');
      h.finish('c1', 'pin-expired-enter-new');
      h.keys('c1', '35');
    },
  ],
  ['lobby (lobby timer)', 'lobby', async (h) => h.toLobby('c1')],
  [
    'lobby (admitted, joining-meeting playing)',
    'lobby',
    async (h) => {
      await h.toLobby('c1');
      await h.lead('leader');
    },
  ],
  [
    'in-meeting',
    'in-meeting',
    async (h) => {
      await h.lead('leader');
      await h.dialIn('c1', '1234');
      h.finish('c1', 'joining-meeting');
    },
  ],
  [
    'locked-out',
    'locked-out',
    async (h) => {
      h.directory.failures.set('alice', 99);
      await h.toPinEntry('c1');
      await h.enterPin('c1', '5678');
    },
  ],
];

describe('a caller hanging up', () => {
  it.each(CASES)('leaves no trace from %s', async (_name, state, setup) => {
    const h = new IvrHarness({ options: { lobbyTimeoutMs: 600_000 } });
    await setup(h);
    expect(h.ivr.callState('c1')).toBe(state);
    expect(h.ivr.hangup('c1')).toBe(true);
    expect(h.eventsFor('c1').at(-1)).toEqual({ type: 'hung-up', callId: 'c1', reason: 'caller' });
    expect(h.states('c1').at(-1)).toBe('disconnected');
    expect(h.ivr.callState('c1')).toBeUndefined();
    expect(h.ivr.callIds()).not.toContain('c1');
    for (const conference of h.ivr.conferences()) {
      expect(conference.lobby).not.toContain('c1');
      expect(conference.participants).not.toContain('c1');
    }
    expect(h.clock.pending()).toBe(0);
    const mark = h.events.length;
    h.directory.resume(); // a late directory answer must change nothing
    await settle();
    h.advance(3_600_000);
    await settle();
    expect(h.events.slice(mark)).toEqual([]);
    expect(h.ivr.hangup('c1')).toBe(false);
    expect(h.ivr.digit('c1', '1')).toBe(false);
    expect(h.ivr.promptFinished('c1', 'goodbye')).toBe(false);
  });

  it('reports leaving the lobby', async () => {
    const h = new IvrHarness();
    await h.toLobby('c1');
    h.ivr.hangup('c1');
    expect(h.events).toContainEqual({
      type: 'participant-left',
      conferenceId: '1234',
      participantId: 'c1',
      callId: 'c1',
      from: 'lobby',
    });
  });
});

describe('after a call ends by itself', () => {
  it('forgets the call and keeps no timer after goodbye', async () => {
    const h = new IvrHarness();
    await h.dialIn('c1', '1');
    h.finish('c1', 'invalid-conference-id');
    h.finish('c1', 'enter-conference-id');
    h.advance(10_000);
    h.finish('c1', 'enter-conference-id');
    h.advance(10_000);
    h.finish('c1', 'goodbye');
    expect(h.hangupReason('c1')).toBe('conference-id-failures');
    expect(h.ivr.callIds()).toEqual([]);
    expect(h.clock.pending()).toBe(0);
  });
});

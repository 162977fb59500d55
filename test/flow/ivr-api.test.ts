import { describe, expect, it } from 'vitest';
import { DialinError } from '../../src/errors.ts';
import { FlowInputError, FlowOptionsError } from '../../src/flow/flow-errors.ts';
import type { IvrEvent } from '../../src/flow/ivr-events.ts';
import { createIvr } from '../../src/flow/ivr.ts';
import { standardDirectory } from './fake-directory.ts';
import { IvrHarness, settle } from './ivr-harness.ts';

function expectCode(fn: () => unknown, type: typeof DialinError, code: string) {
  try {
    fn();
  } catch (error) {
    expect(error).toBeInstanceOf(type);
    expect((error as DialinError).code).toBe(code);
    return;
  }
  throw new Error('expected an error');
}

describe('Ivr input checks', () => {
  it('ignores keys, prompt reports and hang-ups for unknown calls, returning false', () => {
    const h = new IvrHarness();
    expect(h.ivr.digit('nobody', '1')).toBe(false);
    expect(h.ivr.promptFinished('nobody', 'welcome')).toBe(false);
    expect(h.ivr.hangup('nobody')).toBe(false);
    expect(h.events).toEqual([]);
  });

  it('refuses a key that is not DTMF and a prompt name that does not exist', () => {
    const h = new IvrHarness();
    h.ivr.startCall({ callId: 'c1' });
    expectCode(() => h.ivr.digit('c1', 'X' as never), FlowInputError, 'E_FLOW_INPUT');
    expectCode(() => h.ivr.promptFinished('c1', 'hello' as never), FlowInputError, 'E_FLOW_INPUT');
    expect(h.ivr.callState('c1')).toBe('greeting');
  });

  it('refuses an empty, reserved or duplicate call id', () => {
    const h = new IvrHarness();
    h.ivr.startCall({ callId: 'c1' });
    expectCode(() => h.ivr.startCall({ callId: 'c1' }), FlowInputError, 'E_FLOW_INPUT');
    expectCode(() => h.ivr.startCall({ callId: '' }), FlowInputError, 'E_FLOW_INPUT');
    expectCode(() => h.ivr.startCall({ callId: 'app:alice' }), FlowInputError, 'E_FLOW_INPUT');
    expect(h.ivr.callIds()).toEqual(['c1']);
  });

  it('allows a call id again once its call is over', () => {
    const h = new IvrHarness();
    h.ivr.startCall({ callId: 'c1' });
    h.ivr.hangup('c1');
    h.ivr.startCall({ callId: 'c1' });
    expect(h.ivr.callState('c1')).toBe('greeting');
  });

  it('refuses bad options when created', () => {
    expectCode(
      () => createIvr({ directory: standardDirectory(), options: { interDigitTimeoutMs: -1 } }),
      FlowOptionsError,
      'E_FLOW_OPTIONS',
    );
  });

  it('refuses to answer when the directory reports an unusable PIN length', () => {
    const directory = standardDirectory();
    directory.maxPinDigits = 0;
    const ivr = createIvr({ directory });
    expectCode(() => ivr.startCall({ callId: 'c1' }), FlowOptionsError, 'E_FLOW_OPTIONS');
    expect(ivr.callIds()).toEqual([]);
  });

  it('echoes keys and prompt reports before acting on them', () => {
    const h = new IvrHarness();
    h.ivr.startCall({ callId: 'c1' });
    h.ivr.promptFinished('c1', 'welcome');
    h.ivr.digit('c1', '7');
    const types = h.events.map((event) => event.type);
    expect(types).toEqual([
      'call-started',
      'state-entered',
      'play',
      'prompt-finished',
      'state-entered',
      'play',
      'digit',
      'stop-prompt',
    ]);
  });

  it('sends only JSON-serialisable events', async () => {
    const h = new IvrHarness();
    await h.toLobby('c1');
    await h.lead('leader');
    for (const event of h.events) expect(JSON.parse(JSON.stringify(event))).toEqual(event);
  });

  it('stops delivering to an unsubscribed listener', () => {
    const h = new IvrHarness();
    const seen: IvrEvent[] = [];
    const unsubscribe = h.ivr.subscribe((event) => seen.push(event));
    h.ivr.startCall({ callId: 'c1' });
    unsubscribe();
    h.finish('c1', 'welcome');
    expect(seen.map((event) => event.type)).toEqual(['call-started', 'state-entered', 'play']);
  });

  it('keeps running when a listener throws, reporting the error', () => {
    const errors: unknown[] = [];
    const ivr = createIvr({ directory: standardDirectory(), onListenerError: (error) => errors.push(error) });
    ivr.subscribe(() => {
      throw new Error('listener bug');
    });
    ivr.startCall({ callId: 'c1' });
    ivr.promptFinished('c1', 'welcome');
    expect(ivr.callState('c1')).toBe('collecting-conference-id');
    expect(errors.length).toBeGreaterThan(0);
  });

  it('stops every actor and timer on stop(), and refuses new calls', async () => {
    const h = new IvrHarness();
    await h.toPinEntry('c1');
    h.ivr.startCall({ callId: 'c2' });
    expect(h.clock.pending()).toBeGreaterThan(0);
    const mark = h.events.length;
    h.ivr.stop();
    expect(h.clock.pending()).toBe(0);
    h.advance(3_600_000);
    await settle();
    expect(h.events.length).toBe(mark);
    expect(h.ivr.callIds()).toEqual([]);
    expect(h.ivr.digit('c1', '1')).toBe(false);
    expectCode(() => h.ivr.startCall({ callId: 'c3' }), FlowInputError, 'E_FLOW_INPUT');
  });
});

describe('directory errors', () => {
  it('says goodbye and hangs up with system-error when the conference lookup fails', async () => {
    const h = new IvrHarness();
    h.directory.failing.add('findConference');
    await h.dialIn('c1', '1234');
    expect(h.playing('c1')).toBe('goodbye');
    h.finish('c1', 'goodbye');
    expect(h.hangupReason('c1')).toBe('system-error');
  });

  it('says goodbye with system-error when the PIN check fails', async () => {
    const h = new IvrHarness();
    await h.toLobby('waiting');
    h.directory.failing.add('verifyLeaderPin');
    await h.toPinEntry('c1');
    await h.enterPin('c1', '5678');
    expect(h.playing('c1')).toBe('goodbye');
    h.finish('c1', 'goodbye');
    expect(h.hangupReason('c1')).toBe('system-error');
    expect(h.ivr.conference('1234')?.started).toBe(false);
    expect(h.playing('waiting')).toBe('hold-music');
  });

  it('says goodbye with system-error when the PIN change fails', async () => {
    const h = new IvrHarness();
    h.directory.failing.add('changePin');
    await h.toPinEntry('c1', '9999');
    await h.enterPin('c1', '2468');
    h.keys('c1', '3579#3579#');
    await settle();
    expect(h.playing('c1')).toBe('goodbye');
    h.finish('c1', 'goodbye');
    expect(h.hangupReason('c1')).toBe('system-error');
  });

  it('rejects an app join with the directory error', async () => {
    const h = new IvrHarness();
    h.directory.failing.add('findConference');
    await expect(h.ivr.appJoin('alice', '1234')).rejects.toThrow('directory unavailable');
  });
});

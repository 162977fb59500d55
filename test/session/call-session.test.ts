import { SimulatedClock } from 'xstate';
import { describe, expect, it } from 'vitest';
import { DtmfDetector } from '../../src/dsp/dtmf-detector.ts';
import { synthesizeDtmf } from '../../src/dsp/dtmf-generator.ts';
import type { DirectoryPort } from '../../src/flow/directory-port.ts';
import { createIvr } from '../../src/flow/ivr.ts';
import { PROMPTS, type PromptName } from '../../src/flow/names.ts';
import { CallMedia } from '../../src/media/call-media.ts';
import { PromptLibrary } from '../../src/media/prompt-library.ts';
import { IvrBridge } from '../../src/server/ivr-bridge.ts';
import type { CallEvent } from '../../src/session/call-events.ts';
import { CallSession } from '../../src/session/call-session.ts';

const RATE = 8000;
const FRAME = 160;

/** Every prompt is 300 ms of a 440 Hz tone: long enough to barge in on. */
function testLibrary(): PromptLibrary {
  const tone = new Int16Array(RATE * 0.3).map((_, i) => Math.round(8000 * Math.sin((2 * Math.PI * 440 * i) / RATE)));
  return new PromptLibrary(new Map(PROMPTS.map((name) => [name, tone] as [PromptName, Int16Array])), RATE);
}

const directory: DirectoryPort = {
  findConference: async (id) => (id === '4242' ? { id, organizerId: 'amos', allowAnonymousStart: false } : undefined),
  verifyLeaderPin: async () => ({ outcome: 'rejected', userId: 'amos', lockedNow: false }),
  changePin: async () => ({ outcome: 'changed' }),
  pinEntryLimits: () => ({ maxPinDigits: 8 }),
};

function setup() {
  const clock = new SimulatedClock();
  const ivr = createIvr({ directory, clock });
  const bridge = new IvrBridge(ivr, () => {});
  const hangups: string[] = [];
  const flow = { ...bridge.flow, hangup: (id: string) => (hangups.push(id), bridge.flow.hangup(id)) };
  const events: CallEvent[] = [];
  const frames: Int16Array[] = [];
  let nowMs = 0;
  const session = new CallSession(
    {
      callId: 'c1',
      protocol: 'test',
      sampleRate: RATE,
      frameMs: 20,
      flow,
      media: new CallMedia(testLibrary(), { outputRate: RATE }),
      decoder: new DtmfDetector({ sampleRate: RATE }),
      nowMs: () => nowMs,
    },
    { audio: (frame) => frames.push(frame.slice()), event: (event) => events.push(event) },
  );
  bridge.add(session, undefined);
  /** One 20 ms step: the caller's frame in, the caller's frame out. */
  const step = (input = new Int16Array(FRAME)) => {
    session.pushAudio(input);
    session.renderFrame();
    nowMs += 20;
    clock.increment(20);
  };
  /** Streams `pcm` in 20 ms frames, rendering as it goes. */
  const stream = (pcm: Int16Array) => {
    for (let at = 0; at < pcm.length; at += FRAME) {
      const frame = new Int16Array(FRAME);
      frame.set(pcm.subarray(at, at + FRAME));
      step(frame);
    }
  };
  const names = () => events.map((e) => e.event + ('state' in e ? `:${e.state}` : 'prompt' in e ? `:${e.prompt}` : ''));
  return { session, events, frames, step, stream, names, hangups, ivr };
}

const settle = () => new Promise((resolve) => setTimeout(resolve, 0));

describe('CallSession', () => {
  it('tells the flow when a prompt has played out, and the flow moves on', () => {
    const { session, step, names } = setup();
    session.start();
    for (let i = 0; i < 16; i++) step();
    expect(names()).toEqual([
      'call-started',
      'state-entered:greeting',
      'prompt-started:welcome',
      'prompt-stopped:welcome',
      'state-entered:collecting-conference-id',
      'prompt-started:enter-conference-id',
    ]);
    expect(session.currentState).toBe('collecting-conference-id');
  });

  it('reports a barge-in and falls silent when a keyed digit stops the prompt', () => {
    const { session, events, frames, step, stream } = setup();
    session.start();
    step();
    stream(synthesizeDtmf('4', { sampleRate: RATE, onMs: 60, offMs: 60 }));
    const digit = events.find((e) => e.event === 'digit-heard') as { digit: string; source: string; startMs: number; endMs: number };
    // Times come from the sample count: the tone was sent from 20 ms to 80 ms of the caller's audio.
    expect(digit).toMatchObject({ digit: '4', source: 'in-band' });
    expect(Math.abs(digit.startMs - 20)).toBeLessThan(2);
    expect(Math.abs(digit.endMs - 80)).toBeLessThan(2);
    expect(events.find((e) => e.event === 'prompt-stopped')).toMatchObject({ prompt: 'welcome', reason: 'barge-in' });
    const before = frames.length;
    for (let i = 0; i < 5; i++) step();
    expect(frames.slice(before).every((frame) => frame.every((s) => s === 0))).toBe(true);
  });

  it('counts one key press reported both in-band and out-of-band', () => {
    const { session, events, step, stream } = setup();
    session.start();
    step();
    stream(synthesizeDtmf('7', { sampleRate: RATE, onMs: 80, offMs: 60 }));
    session.outOfBandDigit('7');
    session.outOfBandDigit('8');
    step();
    expect(events.filter((e) => e.event === 'digit-heard').map((e) => (e as { digit: string }).digit)).toEqual(['7', '8']);
  });

  it('ends the call after the flow’s goodbye when the caller fails three conference IDs', async () => {
    const { session, events, step, stream, hangups, names } = setup();
    session.start();
    for (let attempt = 0; attempt < 3; attempt++) {
      stream(synthesizeDtmf('9#', { sampleRate: RATE, onMs: 60, offMs: 60 }));
      await settle();
      for (let i = 0; i < 20; i++) step();
    }
    await settle();
    for (let i = 0; i < 20; i++) step();
    expect(names().slice(-4)).toEqual(['prompt-started:goodbye', 'prompt-stopped:goodbye', 'state-entered:disconnected', 'hung-up']);
    expect(events.at(-1)).toMatchObject({ event: 'hung-up', reason: 'conference-id-failures' });
    expect(session.phase).toBe('ended');
    // The flow ended the call itself, so it is not told again.
    expect(hangups).toEqual([]);
  });

  it('plays goodbye when the server ends the call and lets go of the flow once', () => {
    const { session, events, step, hangups, ivr } = setup();
    session.start();
    step();
    session.endWithGoodbye('server-shutdown');
    expect(ivr.callState('c1')).toBeUndefined();
    for (let i = 0; i < 20; i++) step();
    expect(events.slice(-4).map((e) => e.event + ('reason' in e ? `:${e.reason}` : ''))).toEqual([
      'prompt-stopped:interrupted',
      'prompt-started',
      'prompt-stopped:finished',
      'hung-up:server-shutdown',
    ]);
    session.hangup('caller');
    expect(hangups).toEqual(['c1']);
  });

  it('sends nothing once the caller has hung up', () => {
    const { session, events, frames, step } = setup();
    session.start();
    step();
    session.hangup('caller');
    const counts = [events.length, frames.length];
    step(new Int16Array(synthesizeDtmf('1', { sampleRate: RATE }).subarray(0, FRAME)));
    session.outOfBandDigit('2');
    expect([events.length, frames.length]).toEqual(counts);
    expect(events.at(-1)).toMatchObject({ event: 'hung-up', reason: 'caller' });
  });
});

import { afterEach, describe, expect, it } from 'vitest';
import { LiveCalls, PACING_PHASES, type LiveCall } from '../../src/server/live-calls.ts';
import { ProtocolError } from '../../src/server/protocol-error.ts';

/** A call that records what the server asked of it. */
class FakeCall implements LiveCall {
  readonly asked: string[] = [];
  ticks = 0;
  constructor(
    readonly phase = 0,
    private readonly onShutdown?: () => void,
  ) {}
  tick(): void {
    this.ticks++;
  }
  checkDeadlines(): void {
    this.asked.push('deadlines');
  }
  shutdown(): void {
    this.asked.push('shutdown');
    this.onShutdown?.();
  }
  forceEnd(): void {
    this.asked.push('forceEnd');
  }
}

const options = { maxCalls: 2, frameMs: 20, playbackSpeed: 1, handshakeTimeoutMs: 1000, idleTimeoutMs: 1000 };
let live: LiveCalls[] = [];
const make = () => {
  const calls = new LiveCalls(options);
  live.push(calls);
  return calls;
};
afterEach(() => {
  for (const calls of live) calls.endAll();
  live = [];
});

describe('LiveCalls', () => {
  it('admits calls up to the limit and refuses the next with E_SERVER_FULL (1013)', () => {
    const calls = make();
    expect(calls.admit(new FakeCall())).toBeUndefined();
    const second = new FakeCall();
    expect(calls.admit(second)).toBeUndefined();
    const refusal = calls.admit(new FakeCall());
    expect(refusal).toBeInstanceOf(ProtocolError);
    expect(refusal).toMatchObject({ code: 'E_SERVER_FULL', closeCode: 1013, message: 'the server is at its limit of 2 calls' });
    expect(calls.size).toBe(2);
    calls.release(second);
    expect(calls.admit(new FakeCall())).toBeUndefined();
  });

  it('says goodbye to every call when the drain begins and refuses new ones with E_SHUTTING_DOWN (1001)', () => {
    const calls = make();
    const first = new FakeCall();
    calls.admit(first);
    calls.beginShutdown();
    expect(calls.shuttingDown).toBe(true);
    expect(first.asked).toEqual(['shutdown']);
    expect(calls.admit(new FakeCall())).toMatchObject({ code: 'E_SHUTTING_DOWN', closeCode: 1001 });
  });

  it('settles as soon as the last call has ended, and ends the ones still going after the grace period', async () => {
    const calls = make();
    const leaving = new FakeCall(0, () => calls.release(leaving));
    const staying = new FakeCall(1);
    calls.admit(leaving);
    calls.admit(staying);
    calls.beginShutdown();
    const startedAt = performance.now();
    await calls.settle(100);
    expect(performance.now() - startedAt).toBeGreaterThanOrEqual(90);
    calls.endAll();
    expect(leaving.asked).toEqual(['shutdown']);
    expect(staying.asked).toEqual(['shutdown', 'forceEnd']);

    const quick = make();
    const alone = new FakeCall(0, () => quick.release(alone));
    quick.admit(alone);
    quick.beginShutdown();
    const quickStart = performance.now();
    await quick.settle(5000);
    expect(performance.now() - quickStart).toBeLessThan(1000);
  });

  it('renders every admitted call once per frame, checks its deadlines, and forgets a released one', async () => {
    const calls = new LiveCalls({ ...options, handshakeTimeoutMs: 100, idleTimeoutMs: 100 });
    live.push(calls);
    const [a, b] = [new FakeCall(0), new FakeCall(PACING_PHASES - 1)];
    calls.admit(a);
    calls.admit(b);
    await new Promise((resolve) => setTimeout(resolve, 200));
    // 200 ms of 20 ms frames: about ten each, whichever slot of the period renders them.
    expect(a.ticks).toBeGreaterThan(3);
    expect(Math.abs(a.ticks - b.ticks)).toBeLessThanOrEqual(1);
    expect(a.asked).toContain('deadlines');
    calls.release(a);
    const before = a.ticks;
    await new Promise((resolve) => setTimeout(resolve, 60));
    expect(a.ticks).toBe(before);
    expect(b.ticks).toBeGreaterThan(before);
  });
});

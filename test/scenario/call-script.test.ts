import { describe, expect, it } from 'vitest';
import { CallScript, placesPhoneCall, type ScriptEnv } from '../../src/scenario/call-script.ts';
import type { SimCall } from '../../src/scenario/sim-call.ts';
import { parse } from './helpers.ts';

/** A script env on a clock the test sets; the call is a stand-in, since wait steps never touch it. */
function envAt(clock: { now: number }): ScriptEnv {
  return {
    ivr: undefined as never,
    sampleRate: 8000,
    ids: { conferences: new Map(), users: new Set() },
    now: () => clock.now,
    log: () => {},
    record: () => {},
    placeCall: (spec) => ({ id: spec.id, ended: false }) as SimCall,
    ready: () => {},
    touched: () => {},
  };
}

describe('CallScript', () => {
  it('fails loudly, naming the call and step, when it is advanced later than its step could run', async () => {
    const spec = await parse(`calls:
  - id: slow
    at: 2s
    steps:
      - wait: 1s
      - wait: 1s
`);
    const clock = { now: 2000 };
    const script = new CallScript(spec.calls[0]!, 0, envAt(clock));
    await script.advance();
    clock.now = 3000;
    await script.advance();
    clock.now = 4250;
    await expect(script.advance()).rejects.toThrow('internal: call slow: the end of its steps ran at 0:04.250, 250 ms after it could run (0:04.000)');
  });

  it('fails loudly when the call is placed later than its at', async () => {
    const spec = await parse(`calls:
  - id: late
    at: 2s
    steps:
      - wait: 1s
`);
    const clock = { now: 2500 };
    const script = new CallScript(spec.calls[0]!, 0, envAt(clock));
    await expect(script.advance()).rejects.toThrow(/^internal: call late: step calls\[0\]\.steps\[0\]\.wait \(line \d+\) ran at 0:02\.500, 500 ms after it could run \(0:02\.000\)$/);
  });

  it('places a phone call unless every step is an app action or a wait between them', async () => {
    const spec = await parse(`calls:
  - id: app
    steps:
      - app-join: amos
      - wait: 1m
      - end-meeting: "123456"
  - id: caller
    steps:
      - app-join: amos
      - expect: { state: in-meeting }
  - id: silent
    steps:
      - wait: 1m
`);
    expect(spec.calls.map(placesPhoneCall)).toEqual([false, true, true]);
  });
});

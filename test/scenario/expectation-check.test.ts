import { describe, expect, it } from 'vitest';
import type { ScenarioResult } from '../../src/scenario/scenario-result.ts';
import { run, TO_LEADER_QUESTION } from './helpers.ts';

// The default flow: welcome plays 0:00–0:02.780, enter-conference-id
// 0:02.780–0:06.580, and without a key it is played again at 0:16.580.

const expects = (result: ScenarioResult) => result.expectations.filter((item) => item.call !== undefined);

describe('expect hears', () => {
  it('fails for a prompt that ended before the step started', async () => {
    const result = await run(`calls:
  - id: c
    steps:
      - wait: 30s
      - expect: { hears: welcome, within: 1s }
`);
    expect(result.passed).toBe(false);
    expect(expects(result)[0]!.problem).toMatch(/; hears enter-conference-id \(welcome stopped at 0:02\.780, before this expect\)$/);
  });

  it('takes what plays now, so a prompt and then silence cannot both hold at one instant', async () => {
    const body = (hears: string) => `calls:
  - id: c
    steps:
      - expect: { prompt: enter-conference-id }
      - wait: 10s
      - expect: { hears: ${hears}, within: 1s }
`;
    const prompt = await run(body('enter-conference-id'));
    expect(prompt.passed).toBe(false);
    expect(expects(prompt)[1]!.problem).toMatch(/hears silence \(enter-conference-id stopped at 0:06\.580, before this expect\)/);
    const silence = await run(body('silence'));
    expect(silence.passed).toBe(true);
    expect(expects(silence)[1]!.atMs).toBe(12_780);
  });

  it('passes when the caller starts hearing it while the step waits', async () => {
    const result = await run(`calls:
  - id: c
    steps:
      - expect: { prompt: enter-conference-id }
      - wait: 10s
      - expect: { hears: enter-conference-id }
`);
    expect(result.passed).toBe(true);
    expect(expects(result)[1]!.atMs).toBe(16_580);
  });
});

describe('expect state', () => {
  it('fails for a state the call left before the step and never entered since the previous expect', async () => {
    const result = await run(`calls:
  - id: c
    steps:
${TO_LEADER_QUESTION}      - press: "#"
      - expect: { state: leader-question, within: 2s }
`);
    expect(result.passed).toBe(false);
    expect(expects(result).at(-1)!.problem).toBe('call was in lobby; saw prompts: waiting-for-leader; entered: lobby');
  });

  it('passes for a state a press passed through since the previous expect', async () => {
    const result = await run(`calls:
  - id: c
    steps:
${TO_LEADER_QUESTION}      - press: "*"
      - expect: { prompt: enter-pin }
      - press: "11111#"
      - expect: { state: verifying-pin, within: 1s }
      - expect: { state: collecting-pin, within: 1s }
`);
    expect(result.passed).toBe(true);
  });
});

describe('expect digits', () => {
  it('fails at once, with what was heard, when more digits were heard than expected', async () => {
    const result = await run(`calls:
  - id: c
    steps:
      - press: "123456#"
      - expect: { digits: "12" }
`);
    expect(result.passed).toBe(false);
    const missed = expects(result)[0]!;
    expect(missed.problem).toMatch(/heard digits: 123456#$/);
    const press = result.timeline.find((event) => event.type === 'step' && event.step === 'press')!;
    expect(missed.atMs - press.atMs).toBeLessThan(2000);
  });

  it('fails at the deadline with the digits heard when fewer came', async () => {
    const result = await run(`calls:
  - id: c
    steps:
      - press: "12"
      - expect: { digits: "123", within: 2s }
`);
    expect(result.passed).toBe(false);
    expect(expects(result)[0]!.problem).toMatch(/heard digits: 12$/);
    expect(expects(result)[0]!.atMs).toBe(400 + 2000);
  });

  it('waits for the last key of a press that ends with its tone', async () => {
    const result = await run(`calls:
  - id: c
    steps:
      - press: { digits: "5", offMs: 0 }
      - expect: { digits: "5", within: 1s }
`);
    expect(result.passed).toBe(true);
    const digit = result.timeline.find((event) => event.type === 'digit-heard')!;
    expect(digit.atMs).toBeGreaterThan(100);
    expect(expects(result)[0]!.atMs).toBe(digit.atMs);
  });
});

describe('when an expect is met', () => {
  const line = (result: ScenarioResult, predicate: (event: ScenarioResult['timeline'][number]) => boolean) => result.timeline.findIndex(predicate);

  it('meets digits when the decoder reports the last of them, so the prompt that key started counts for the next expect', async () => {
    const result = await run(`calls:
  - id: c
    steps:
      - expect: { prompt: enter-conference-id }
      - press: "123456#"
      - expect: { digits: "123456#" }
      - expect: { prompt: leader-question, within: 1s }
`);
    expect(result.passed).toBe(true);
    const pound = line(result, (event) => event.type === 'digit-heard' && event.digit === '#');
    const met = line(result, (event) => event.type === 'expect' && event.expectation === 'digits 123456#');
    const prompt = line(result, (event) => event.type === 'prompt-started' && event.prompt === 'leader-question');
    expect(met).toBe(pound + 1);
    expect(prompt).toBeGreaterThan(met);
    expect(expects(result)[1]!.atMs).toBe(result.timeline[pound]!.atMs);
  });

  it('meets a state at its entry during the press before it, so what came after counts for the next expect', async () => {
    const result = await run(`calls:
  - id: c
    steps:
${TO_LEADER_QUESTION}      - press: "#"
      - expect: { state: lobby }
      - expect: { prompt: waiting-for-leader, within: 1s }
`);
    expect(result.passed).toBe(true);
    const entered = result.timeline.find((event) => event.type === 'state-entered' && event.state === 'lobby')!;
    expect(expects(result)[2]!.atMs).toBe(entered.atMs);
    expect(result.timeline[result.timeline.indexOf(entered) + 1]).toMatchObject({ type: 'expect', expectation: 'state lobby' });
  });

  it('meets admitted at the admission that happened during a wait', async () => {
    const result = await run(`calls:
  - id: c
    steps:
${TO_LEADER_QUESTION}      - press: "#"
      - expect: { state: lobby }
      - wait: 30s
      - expect: { admitted: true }
  - id: amos-app
    at: 10s
    steps:
      - app-join: amos
`);
    expect(result.passed).toBe(true);
    expect(expects(result).at(-1)!.atMs).toBe(10_000);
    const admitted = result.timeline.findIndex((event) => event.type === 'admitted');
    expect(result.timeline[admitted + 1]).toMatchObject({ type: 'expect', expectation: 'admitted', atMs: 10_000 });
  });

  it('meets hears and a state held all along when the step starts', async () => {
    const result = await run(`calls:
  - id: c
    steps:
      - expect: { state: greeting }
      - wait: 1s
      - expect: { hears: welcome, state: greeting }
`);
    expect(result.passed).toBe(true);
    expect(expects(result).map((item) => item.atMs)).toEqual([0, 1000]);
  });
});

describe('expect on a call that is over', () => {
  const HUNG_UP = `calls:
  - id: c
    steps:
      - expect: { prompt: enter-conference-id }
      - press: "1#"
      - expect: { prompt: invalid-conference-id }
      - press: "2#"
      - expect: { prompt: invalid-conference-id }
      - press: "3#"
`;

  it('fails at once when the call hangs up while the step waits', async () => {
    const result = await run(`${HUNG_UP}      - expect: { prompt: locked-out }\n`);
    expect(result.passed).toBe(false);
    const hungUp = result.timeline.find((event) => event.type === 'hung-up')!;
    const missed = expects(result).at(-1)!;
    expect(missed.atMs).toBe(hungUp.atMs);
    expect(missed.problem).toMatch(/^the call ended at 0:\d\d\.\d{3}; saw prompts: .*goodbye$/);
  });

  it('fails at once when the step starts after the call ended', async () => {
    const result = await run(`${HUNG_UP}      - wait: 1m\n      - expect: { state: collecting-conference-id }\n`);
    expect(result.passed).toBe(false);
    const wait = result.timeline.find((event) => event.type === 'step' && event.step === 'wait')!;
    expect(expects(result).at(-1)!.atMs).toBe(wait.atMs + 60_000);
  });

  it('still passes what holds after the call ended', async () => {
    const result = await run(`${HUNG_UP}      - expect: { prompt: goodbye }\n      - expect: { state: disconnected, hears: silence }\n`);
    expect(result.passed).toBe(true);
  });
});

import { mkdtemp, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { synthesizeDtmf } from '../../src/dsp/dtmf-generator.ts';
import { parseScenario } from '../../src/scenario/parse-scenario.ts';
import { runScenario, runScenarioFile } from '../../src/scenario/run-scenario.ts';
import { formatTranscript } from '../../src/scenario/transcript.ts';
import type { ScenarioResult, TimelineEvent } from '../../src/scenario/scenario-result.ts';
import { writeWav } from '../../src/wav/wav-writer.ts';
import { run, scenarioText, TO_LEADER_QUESTION } from './helpers.ts';

const of = (result: ScenarioResult, call: string) => result.timeline.filter((event) => event.call === call);
const types = (events: readonly TimelineEvent[], type: TimelineEvent['type']) => events.filter((event) => event.type === type);
const digitsHeard = (result: ScenarioResult, call: string) => of(result, call).flatMap((event) => (event.type === 'digit-heard' ? [event.digit] : [])).join('');

describe('runScenario steps', () => {
  it('presses keys as audio through the decoder, in real simulated time', async () => {
    const result = await run(`calls:
  - id: c
    steps:
      - expect: { prompt: enter-conference-id }
      - press: "123456#"
      - expect: { prompt: leader-question }
`);
    expect(result.passed).toBe(true);
    expect(digitsHeard(result, 'c')).toBe('123456#');
    const press = result.timeline.find((event) => event.type === 'step' && event.step === 'press')!;
    expect(press).toMatchObject({ detail: '123456#', heard: '123456#' });
    // Seven keys of 100 ms tone + 100 ms silence: each tone starts 200 ms after the last.
    const tones = types(of(result, 'c'), 'digit-heard').map((event) => (event.type === 'digit-heard' ? event.toneStartMs : 0));
    tones.forEach((start, i) => expect(Math.abs(start - (press.atMs + 200 * i))).toBeLessThanOrEqual(5));
    // The expect after the press is met when # started leader-question, 80 ms before the press's audio is over.
    const prompt = of(result, 'c').find((event) => event.type === 'prompt-started' && event.prompt === 'leader-question')!;
    expect(result.expectations[1]!.atMs).toBe(prompt.atMs);
    expect(prompt.atMs).toBeLessThan(press.atMs + 1400);
  });

  it('hears keys pressed with impairments the way synth makes them', async () => {
    const result = await run(`calls:
  - id: c
    steps:
      - press: { digits: "123456#", leadMs: 3000, onMs: 45, offMs: 45, levelDbm0: -24, twistDb: -4, snrDb: 18, frequencyErrorPct: 1.2, seed: 3 }
      - expect: { digits: "123456#", prompt: leader-question }
`);
    expect(result.passed).toBe(true);
  });

  it('misses keys the detector must reject: a tone too short for ITU-T Q.24', async () => {
    const result = await run(`calls:
  - id: c
    steps:
      - press: { digits: "123", onMs: 15, offMs: 60, leadMs: 3000 }
      - expect: { digits: "123", within: 2s }
`);
    expect(result.passed).toBe(false);
    expect(result.expectations[0]!.problem).toMatch(/heard no digits/);
  });

  it('plays a recording through the decoder', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'dialin-play-'));
    await writeFile(join(dir, 'keys.wav'), writeWav({ sampleRate: 8000, samples: synthesizeDtmf('123456#', { sampleRate: 8000, leadMs: 500, levelDbm0: -16 }) }));
    await writeFile(join(dir, 's.yaml'), scenarioText(`calls:\n  - id: c\n    steps:\n      - expect: { prompt: enter-conference-id }\n      - play: keys.wav\n      - expect: { digits: "123456#", prompt: leader-question }\n`));
    const result = await runScenarioFile(join(dir, 's.yaml'));
    expect(result.passed).toBe(true);
    expect(result.timeline.find((event) => event.type === 'step' && event.step === 'play')).toMatchObject({ detail: 'keys.wav', heard: '123456#' });
  });

  it('waits an hour of simulated time in well under a second', async () => {
    const started = performance.now();
    const result = await run(`calls:
  - id: c
    steps:
${TO_LEADER_QUESTION}      - press: "#"
      - expect: { state: lobby }
      - wait: 1h
      - expect: { state: lobby, hears: hold-music }
`);
    expect(result.passed).toBe(true);
    expect(result.simulatedMs).toBeGreaterThan(3_600_000);
    expect(performance.now() - started).toBeLessThan(1000);
    const wait = result.timeline.find((event) => event.type === 'step' && event.step === 'wait')!;
    expect(result.expectations.at(-1)!.atMs - wait.atMs).toBe(3_600_000);
  });

  it('hangs up for the caller, which takes the call out of the lobby', async () => {
    const result = await run(`calls:
  - id: c
    steps:
${TO_LEADER_QUESTION}      - press: "#"
      - expect: { state: lobby }
      - hangup: {}
      - expect: { state: disconnected, hears: silence }
expect:
  - { conference: "123456", lobby: [] }
  - { call: c, state: disconnected }
`);
    expect(result.passed).toBe(true);
    expect(of(result, 'c').at(-2)).toMatchObject({ type: 'hung-up', by: 'caller' });
  });

  it('lets the organizer join from the app, which starts the meeting and admits the lobby', async () => {
    const result = await run(`calls:
  - id: c
    steps:
${TO_LEADER_QUESTION}      - press: "#"
      - expect: { state: lobby }
      - app-join: amos
      - expect: { admitted: true, prompt: joining-meeting }
expect:
  - { conference: "123456", started: true, participants: [c, amos], lobby: [] }
`);
    expect(result.passed).toBe(true);
    expect(result.timeline.find((event) => event.type === 'meeting-started')).toMatchObject({ call: 'app:amos', conference: '123456' });
  });

  it('places no phone call for an entry whose steps are only app actions: they happen at its at', async () => {
    const result = await run(`calls:
  - id: c
    steps:
${TO_LEADER_QUESTION}      - press: "#"
      - expect: { state: lobby }
      - expect: { admitted: true, within: 30s }
  - id: amos-app
    at: 20s
    steps:
      - app-join: amos
      - wait: 1m
      - end-meeting: "123456"
`);
    expect(result.passed).toBe(true);
    expect(of(result, 'amos-app').map((event) => [event.type, event.atMs])).toEqual([
      ['step', 20_000],
      ['step', 20_000],
      ['step', 80_000],
    ]);
    expect(of(result, 'c').find((event) => event.type === 'admitted')).toMatchObject({ atMs: 20_000, conference: '123456' });
  });

  it('counts keys pressed after an unknown conference ID: they barge into invalid-conference-id', async () => {
    // The lookup takes no simulated time, so the * of one breath falls in the error prompt.
    const result = await run(`calls:
  - id: c
    steps:
      - expect: { prompt: enter-conference-id }
      - press: "999999#*24680#"
      - expect: { prompt: invalid-conference-id }
      - expect: { prompt: enter-conference-id }
      - expect: { prompt: invalid-conference-id }
`);
    expect(result.passed).toBe(true);
    expect(digitsHeard(result, 'c')).toBe('999999#*24680#');
    const star = of(result, 'c').find((event) => event.type === 'digit-heard' && event.digit === '*')!;
    expect(of(result, 'c')).toContainEqual({ type: 'prompt-stopped', atMs: star.atMs, call: 'c', prompt: 'invalid-conference-id', reason: 'barge-in' });
  });

  it('fails an app-join the IVR refuses: only the organizer may start from the app', async () => {
    const result = await run(`calls:
  - id: c
    steps:
${TO_LEADER_QUESTION}      - app-join: { user: bea, conference: "123456" }
      - expect: { state: leader-question }
`);
    expect(result.passed).toBe(false);
    expect(result.expectations.at(-1)).toMatchObject({ passed: false, problem: 'app-join bea: the IVR refused (not-organizer)' });
    expect(result.timeline.some((event) => event.type === 'step-failed')).toBe(true);
  });

  it('ends the meeting: its callers hear goodbye and are hung up', async () => {
    const result = await run(`calls:
  - id: c
    steps:
      - app-join: amos
      - expect: { prompt: enter-conference-id }
      - press: "123456#"
      - expect: { prompt: joining-meeting }
      - expect: { state: in-meeting }
      - end-meeting: {}
      - expect: { prompt: goodbye }
      - expect: { state: disconnected }
`);
    expect(result.passed).toBe(true);
    expect(of(result, 'c').find((event) => event.type === 'hung-up')).toMatchObject({ by: 'ivr', reason: 'meeting-ended' });
  });

  it('fails a press into a call the IVR has already hung up', async () => {
    const result = await run(`calls:
  - id: c
    steps:
      - expect: { prompt: enter-conference-id }
      - press: "1#"
      - expect: { prompt: invalid-conference-id }
      - press: "2#"
      - expect: { prompt: invalid-conference-id }
      - press: "3#"
      - expect: { state: disconnected }
      - press: "4"
`);
    expect(result.passed).toBe(false);
    expect(result.expectations.at(-1)!.problem).toMatch(/^press 4: the call had already ended at 0:\d\d\.\d{3}$/);
  });
});

describe('runScenario expectations', () => {
  it('counts a prompt only once: two expects of invalid-pin need two invalid-pin prompts', async () => {
    const body = (wrongPins: number) => `calls:
  - id: c
    steps:
${TO_LEADER_QUESTION}      - press: "*"
      - expect: { prompt: enter-pin }
${Array.from({ length: wrongPins }, () => '      - press: "11111#"\n').join('')}      - expect: { prompt: invalid-pin }
      - expect: { prompt: invalid-pin, within: 8s }
`;
    expect((await run(body(1))).passed).toBe(false);
    const twice = await run(body(2));
    expect(twice.passed).toBe(true);
  });

  it('takes the state the call is already in, and one it enters later', async () => {
    const result = await run(`calls:
  - id: c
    steps:
      - expect: { state: greeting }
      - expect: { state: greeting }
      - expect: { state: collecting-conference-id }
`);
    expect(result.passed).toBe(true);
  });

  it('checks what the caller hears now: hold music, or silence', async () => {
    const result = await run(`calls:
  - id: c
    steps:
${TO_LEADER_QUESTION}      - press: "#"
      - expect: { hears: waiting-for-leader }
      - expect: { hears: hold-music }
      - hangup: {}
      - expect: { hears: silence }
`);
    expect(result.passed).toBe(true);
  });

  it('compares digits heard since the last met expectation', async () => {
    const result = await run(`calls:
  - id: c
    steps:
      - press: { digits: "12", leadMs: 3000 }
      - expect: { digits: "12" }
      - press: "3456#"
      - expect: { digits: "3456#" }
`);
    expect(result.passed).toBe(true);
  });

  it('reports a missed expectation with what happened instead', async () => {
    const result = await run(`calls:
  - id: c
    steps:
${TO_LEADER_QUESTION}      - press: "*"
      - expect: { prompt: enter-pin }
      - press: "11111#"
      - expect: { state: in-meeting }
`);
    expect(result.passed).toBe(false);
    const missed = result.expectations.at(-1)!;
    expect(missed.expectation).toBe('state in-meeting within 15s');
    expect(missed.problem).toBe('call was in collecting-pin; saw prompts: invalid-pin, enter-pin; entered: verifying-pin, collecting-pin');
    const timelineEntry = result.timeline.find((event) => event.type === 'expect' && !event.passed)!;
    // Given up exactly when the deadline passed.
    const start = result.timeline.filter((event) => event.type === 'step').at(-1)!.atMs;
    expect(timelineEntry.atMs - start).toBeGreaterThanOrEqual(15_000);
    expect(timelineEntry.atMs - start).toBeLessThanOrEqual(15_000 + 1400);
  });

  it('checks conferences, users, the outbox and calls at the end', async () => {
    const result = await run(`calls:
  - id: c
    steps:
${TO_LEADER_QUESTION}      - press: "*"
      - expect: { prompt: enter-pin }
      - press: "11111#"
      - expect: { prompt: invalid-pin }
expect:
  - { conference: "123456", started: false, participants: [], lobby: [] }
  - { user: amos, lockedOut: false, failures: 1, pinExpired: false }
  - { user: bea, failures: 0 }
  - { outbox: { count: 0 } }
  - { call: c, state: collecting-pin }
  - { conference: "123456", started: true }
  - { user: amos, lockedOut: true, failures: 0 }
  - { outbox: { to: amos@contoso.com, count: 1 } }
  - { call: c, state: lobby }
`);
    const finals = result.expectations.filter((item) => item.call === undefined);
    expect(finals.map((item) => item.passed)).toEqual([true, true, true, true, true, false, false, false, false]);
    expect(finals.slice(5).map((item) => item.problem)).toEqual(['it was not started', 'was not locked out; had 1 failure', 'found 0 mails', 'it ended in collecting-pin']);
  });

  it('sees PIN mail in the outbox after an automatic PIN reset', async () => {
    const spec = await parseScenario(
      `name: auto reset
deployment:
  policy: { logonFailuresBeforePinReset: 2 }
  users:
    - { id: amos, name: Amos Marble, email: amos@contoso.com, pin: "24680" }
  conferences:
    - { id: "123456", organizer: amos }
calls:
  - id: c
    steps:
${TO_LEADER_QUESTION}      - press: "*"
      - expect: { prompt: enter-pin }
      - press: "11111#"
      - expect: { prompt: invalid-pin }
      - press: "11112#"
      - expect: { prompt: invalid-pin }
expect:
  - { outbox: { to: amos@contoso.com, count: 1 } }
  - { outbox: { to: bea@contoso.com, count: 0 } }
`,
      'auto-reset.yaml',
    );
    const result = await runScenario(spec);
    expect(result.expectations.filter((item) => item.call === undefined).map((item) => item.passed)).toEqual([true, true]);
  });

  it('gives the same timeline on every run', async () => {
    const body = `calls:
  - id: a
    steps:
${TO_LEADER_QUESTION}      - press: "#"
      - expect: { state: lobby }
  - id: b
    at: 7.3s
    steps:
${TO_LEADER_QUESTION}      - press: "*"
      - press: { digits: "24680#", snrDb: 12 }
      - expect: { state: in-meeting }
`;
    const first = await run(body);
    const second = await run(body);
    expect(second.timeline).toEqual(first.timeline);
    expect(first.passed).toBe(true);
  });
});

describe('runScenario call order', () => {
  // Two guests due at the same moment and an organizer who arrives later, on
  // a flow that hangs up after 3 s without a key: a press started late shows.
  const calls = {
    'guest-b': `  - id: guest-b
    steps:
${TO_LEADER_QUESTION}      - press: "#"
      - expect: { state: lobby }
`,
    'guest-a': `  - id: guest-a
    steps:
${TO_LEADER_QUESTION}      - press: "#"
      - expect: { state: lobby }
`,
    amos: `  - id: amos
    at: 20s
    steps:
      - expect: { prompt: enter-conference-id }
      - press: "123456#"
      - press: "*"
      - expect: { prompt: enter-pin }
      - press: "24680#"
      - expect: { state: in-meeting }
`,
  };
  const body = (order: readonly (keyof typeof calls)[]) => `options:
  flow: { firstDigitTimeoutMs: 3s, maxConferenceIdFailures: 1 }
calls:
${order.map((id) => calls[id]).join('')}expect:
  - { conference: "123456", started: true, participants: [guest-a, guest-b, amos], lobby: [] }
`;
  const permutations = <T>(items: readonly T[]): T[][] =>
    items.length <= 1 ? [[...items]] : items.flatMap((item, i) => permutations([...items.slice(0, i), ...items.slice(i + 1)]).map((rest) => [item, ...rest]));

  it('gives the same transcript whatever order the calls are listed in', async () => {
    const orders = permutations(Object.keys(calls) as (keyof typeof calls)[]);
    expect(orders).toHaveLength(6);
    const transcripts: string[] = [];
    for (const order of orders) {
      const result = await run(body(order));
      expect(result.passed, `${order.join(', ')}: ${formatTranscript(result)}`).toBe(true);
      transcripts.push(formatTranscript(result));
    }
    for (const [i, transcript] of transcripts.entries()) expect(transcript, orders[i]!.join(', ')).toBe(transcripts[0]);
  });

  it('presses the moment the expect before the press is met, for a call listed after a later one', async () => {
    const result = await run(body(['amos', 'guest-b', 'guest-a']));
    for (const call of ['guest-a', 'guest-b', 'amos']) {
      const events = of(result, call);
      const prompt = events.find((event) => event.type === 'prompt-started' && event.prompt === 'enter-conference-id')!;
      const press = events.find((event) => event.type === 'step' && event.step === 'press')!;
      expect(press.atMs, call).toBe(prompt.atMs);
    }
  });
});

import { mkdtemp, writeFile, mkdir } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { synthesizeDtmf } from '../../../src/dsp/dtmf-generator.ts';
import { parseScenario } from '../../../src/scenario/parse/parse-scenario.ts';
import { PROMPTS } from '../../../src/flow/names.ts';
import { ScenarioError } from '../../../src/scenario/parse/scenario-error.ts';
import { writeWav } from '../../../src/wav/wav-writer.ts';
import { parse, scenarioText } from '../helpers.ts';

const GOOD_CALL = `calls:
  - id: guest
    from: "+15550001"
    at: 1.5s
    steps:
      - expect: { prompt: enter-conference-id, within: 2m }
      - press: "123456#"
      - press: { digits: "*", onMs: 60, offMs: 40, levelDbm0: -18, twistDb: 3, snrDb: 20, seed: 4 }
      - wait: 500ms
      - app-join: amos
      - app-join: { user: bea, conference: "654321" }
      - end-meeting: "123456"
      - hangup: {}
      - expect: { state: disconnected, hears: silence, digits: "", admitted: true }
expect:
  - { conference: "123456", started: true, participants: [guest, amos], lobby: [] }
  - { user: amos, lockedOut: false, failures: 0, pinExpired: false }
  - { outbox: { to: amos@contoso.com, count: 1 } }
  - { call: guest, state: disconnected }
`;

/** The 1-based line of `text` where `marker` first appears. */
const lineOf = (text: string, marker: string) => text.slice(0, text.indexOf(marker)).split('\n').length;

/** Parses `text` and returns the ScenarioError it must throw. */
async function problem(text: string, file = 'scenarios/x.yaml'): Promise<ScenarioError> {
  try {
    await parseScenario(text, file);
  } catch (error) {
    expect(error).toBeInstanceOf(ScenarioError);
    return error as ScenarioError;
  }
  throw new Error('the scenario was accepted');
}

describe('parseScenario', () => {
  it('reads every step and expectation kind with its line', async () => {
    const spec = await parse(GOOD_CALL);
    expect(spec.name).toBe('test scenario');
    const call = spec.calls[0]!;
    expect(call).toMatchObject({ id: 'guest', from: '+15550001', atMs: 1500 });
    expect(call.steps.map((step) => step.kind)).toEqual(['expect', 'press', 'press', 'wait', 'app-join', 'app-join', 'end-meeting', 'hangup', 'expect']);
    expect(call.steps[0]).toMatchObject({ kind: 'expect', expect: { prompt: 'enter-conference-id', withinMs: 120_000 }, source: { line: 14, path: 'calls[0].steps[0].expect' } });
    expect(call.steps[1]).toMatchObject({ kind: 'press', press: { digits: '123456#', onMs: 100, offMs: 100, levelDbm0: -10, twistDb: 0, snrDb: undefined } });
    expect(call.steps[2]).toMatchObject({ kind: 'press', press: { digits: '*', onMs: 60, offMs: 40, levelDbm0: -18, twistDb: 3, snrDb: 20, seed: 4 } });
    expect(call.steps[3]).toMatchObject({ kind: 'wait', ms: 500 });
    expect(call.steps[4]).toMatchObject({ kind: 'app-join', user: 'amos', conference: undefined });
    expect(call.steps[5]).toMatchObject({ kind: 'app-join', user: 'bea', conference: '654321' });
    expect(call.steps[6]).toMatchObject({ kind: 'end-meeting', conference: '123456' });
    expect(call.steps[8]).toMatchObject({ expect: { state: 'disconnected', hears: 'silence', digits: '', admitted: true, withinMs: 15_000 } });
    expect(spec.expect.map((item) => item.kind)).toEqual(['conference', 'user', 'outbox', 'call']);
    expect(spec.expect[0]).toMatchObject({ conference: '123456', started: true, participants: ['guest', 'amos'], lobby: [], source: { line: 24 } });
    expect(spec.expect[2]).toMatchObject({ to: 'amos@contoso.com', count: 1 });
    expect(spec.deployment.ids.users).toEqual(new Set(['amos', 'bea']));
  });

  it('keeps keys and caller ids as written, not as YAML numbers', async () => {
    const spec = await parse(`calls:\n  - id: c\n    from: +15550001\n    steps:\n      - press: 0123\n`);
    expect(spec.calls[0]!.from).toBe('+15550001');
    expect(spec.calls[0]!.steps[0]).toMatchObject({ press: { digits: '0123' } });
  });

  it('reads options: sample rate, start date and flow options with durations', async () => {
    const spec = await parseScenario(
      scenarioText(`options: { sampleRate: 16000, start: "2025-03-01T08:00:00Z", flow: { maxPinAttempts: 2, interDigitTimeoutMs: 3s } }\ncalls:\n  - { id: c, steps: [] }\n`),
      'x.yaml',
    );
    expect(spec.options).toEqual({ sampleRate: 16000, startEpochMs: Date.UTC(2025, 2, 1, 8), flow: { maxPinAttempts: 2, interDigitTimeoutMs: 3000 } });
  });

  it('reads a deployment file relative to the scenario and a recording to play', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'dialin-scenario-'));
    await mkdir(join(dir, 'audio'));
    await writeFile(join(dir, 'deployment.yaml'), 'users:\n  - { id: amos, name: A, email: a@b.c, pin: "24680" }\nconferences:\n  - { id: "1", organizer: amos }\n');
    await writeFile(join(dir, 'audio', 'keys.wav'), writeWav({ sampleRate: 16000, samples: synthesizeDtmf('1#', { sampleRate: 16000 }) }));
    const file = join(dir, 'scenario.yaml');
    const spec = await parseScenario('name: files\ndeployment: ./deployment.yaml\ncalls:\n  - id: c\n    steps:\n      - play: audio/keys.wav\n', file);
    expect(spec.deployment.file).toBe(join(dir, 'deployment.yaml'));
    const step = spec.calls[0]!.steps[0]!;
    // Resampled from 16 kHz to the scenario's 8 kHz: 400 ms.
    expect(step.kind === 'play' && step.samples.length).toBe(3200);
  });

  const cases: [string, string, RegExp, string | undefined, string][] = [
    ['YAML syntax', 'name: x\ncalls: [\n', /not valid YAML/, undefined, 'E_SCENARIO_YAML'],
    ['unknown top-level field', scenarioText('calls:\n  - { id: c, steps: [] }\ncals: []\n'), /unknown field 'cals'/, 'cals:', 'E_SCENARIO_UNKNOWN_FIELD'],
    ['missing calls', 'name: x\ndeployment:\n  users: []\n', /missing field 'calls'/, 'name: x', 'E_SCENARIO_MISSING'],
    ['no calls', scenarioText('calls: []\n'), /at least one call/, 'calls: []', 'E_SCENARIO_VALUE'],
    ['unknown step', scenarioText('calls:\n  - id: c\n    steps:\n      - presss: "1"\n'), /calls\[0\]\.steps\[0\]: unknown step 'presss' \(did you mean 'press'\?\)/, 'presss', 'E_SCENARIO_UNKNOWN_STEP'],
    ['two actions in one step', scenarioText('calls:\n  - id: c\n    steps:\n      - { press: "1", wait: 1s }\n'), /a step does one thing, got press and wait/, '{ press: "1", wait', 'E_SCENARIO_VALUE'],
    ['unknown press field', scenarioText('calls:\n  - id: c\n    steps:\n      - press:\n          digits: "1"\n          volume: 3\n'), /unknown field 'volume'/, 'volume', 'E_SCENARIO_UNKNOWN_FIELD'],
    ['bad key', scenarioText('calls:\n  - id: c\n    steps:\n      - press: "1"\n      - press: "5x"\n'), /: calls\[0\]\.steps\[1\]\.press: '5x' has 'x', not a DTMF key \(0-9 \* # A-D\)/, '"5x"', 'E_SCENARIO_DIGIT'],
    ['lower-case letter key', scenarioText('calls:\n  - id: c\n    steps:\n      - press: "1a"\n'), /keys A-D are upper-case/, '"1a"', 'E_SCENARIO_DIGIT'],
    ['level out of range', scenarioText('calls:\n  - id: c\n    steps:\n      - press: { digits: "1", levelDbm0: 6 }\n'), /calls\[0\]\.steps\[0\]\.press\.levelDbm0: 6 dBm0 is out of range/, 'levelDbm0: 6', 'E_SCENARIO_VALUE'],
    ['unknown prompt', scenarioText('calls:\n  - id: c\n    steps:\n      - expect: { prompt: enter-pn }\n'), /unknown prompt 'enter-pn' \(did you mean 'enter-pin'\?\)/, 'enter-pn', 'E_SCENARIO_NAME'],
    ['unknown state', scenarioText('calls:\n  - id: c\n    steps:\n      - expect: { state: in-meting }\n'), /unknown state 'in-meting' \(did you mean 'in-meeting'\?\)/, 'in-meting', 'E_SCENARIO_NAME'],
    ['unknown hears', scenarioText('calls:\n  - id: c\n    steps:\n      - expect: { hears: silense }\n'), /unknown sound 'silense' \(did you mean 'silence'\?\); hears takes silence, welcome, /, 'silense', 'E_SCENARIO_NAME'],
    ['a step name without its value', scenarioText('calls:\n  - id: c\n    steps:\n      - wait: 1s\n      - hangup\n'), /calls\[0\]\.steps\[1\]: 'hangup' needs a colon and a value: write 'hangup: \{\}'$/, '- hangup', 'E_SCENARIO_VALUE'],
    ['empty expectation', scenarioText('calls:\n  - id: c\n    steps:\n      - expect: { within: 2s }\n'), /needs at least one of prompt, rule, state, hears, digits, admitted/, 'within: 2s', 'E_SCENARIO_MISSING'],
    ['admitted false', scenarioText('calls:\n  - id: c\n    steps:\n      - expect: { admitted: false }\n'), /cannot be waited for/, 'admitted: false', 'E_SCENARIO_VALUE'],
    ['call id twice', scenarioText('calls:\n  - { id: c, steps: [] }\n  - { id: c, from: "2", steps: [] }\n'), /calls\[1\]\.id: call id 'c' is used twice/, 'from: "2"', 'E_SCENARIO_DUPLICATE'],
    ['duration without unit', scenarioText('calls:\n  - id: c\n    steps:\n      - wait: 30\n'), /'30' needs a unit: 30s or 30ms \(a bare number means milliseconds only in fields whose name ends in Ms\)/, 'wait: 30', 'E_SCENARIO_DURATION'],
    ['bad duration', scenarioText('calls:\n  - id: c\n    at: soon\n    steps: []\n'), /calls\[0\]\.at: 'soon' is not a duration/, 'at: soon', 'E_SCENARIO_DURATION'],
    ['unknown user in app-join', scenarioText('calls:\n  - id: c\n    steps:\n      - app-join: amoss\n'), /unknown user 'amoss' \(did you mean 'amos'\?\); the deployment has amos, bea/, 'amoss', 'E_SCENARIO_REFERENCE'],
    ['unknown conference', scenarioText('calls:\n  - { id: c, steps: [] }\nexpect:\n  - { conference: "999" }\n'), /expect\[0\]\.conference: unknown conference '999'/, '"999"', 'E_SCENARIO_REFERENCE'],
    ['unknown participant', scenarioText('calls:\n  - { id: c, steps: [] }\nexpect:\n  - { conference: "123456", participants: [c, zed] }\n'), /participants\[1\]: 'zed' is neither a call id/, 'zed', 'E_SCENARIO_REFERENCE'],
    ['unknown call in a final expect', scenarioText('calls:\n  - { id: c, steps: [] }\nexpect:\n  - { call: d, state: lobby }\n'), /unknown call 'd'/, 'call: d', 'E_SCENARIO_REFERENCE'],
    ['missing play file', scenarioText('calls:\n  - id: c\n    steps:\n      - play: nowhere.wav\n'), /calls\[0\]\.steps\[0\]\.play: cannot play scenarios\/nowhere\.wav/, 'nowhere.wav', 'E_SCENARIO_FILE'],
    ['missing deployment file', 'name: x\ndeployment: ./missing.yaml\ncalls:\n  - { id: c, steps: [] }\n', /cannot read deployment file scenarios\/missing\.yaml/, 'missing.yaml', 'E_SCENARIO_FILE'],
    ['bad inline deployment, at its line', 'name: x\ncalls:\n  - { id: c, steps: [] }\ndeployment:\n  users:\n    - { id: amos, name: A, email: a@b.c }\n  conferences:\n    - { id: "1", organizer: nobody }\n', /organizer 'nobody' is not one of the users/, 'organizer: nobody', 'E_SCENARIO_DEPLOYMENT'],
    ['a site policy for a site no user has, at its line', 'name: x\ncalls:\n  - { id: c, steps: [] }\ndeployment:\n  policies:\n    - { site: apac, minLength: 6 }\n  users:\n    - { id: amos, name: A, email: a@b.c, site: emea }\n', /policies\[0\]\.site 'apac' is not the site of any user \(emea\)/, 'site: apac', 'E_SCENARIO_DEPLOYMENT'],
    ['unknown flow option', scenarioText('options: { flow: { maxPinAttempt: 2 } }\ncalls:\n  - { id: c, steps: [] }\n'), /unknown field 'maxPinAttempt' \(did you mean 'maxPinAttempts'\?\)/, 'maxPinAttempt:', 'E_SCENARIO_UNKNOWN_FIELD'],
    ['a bare number in a duration not named ...Ms', scenarioText('calls:\n  - id: c\n    at: 30\n    steps: []\n'), /calls\[0\]\.at: '30' needs a unit: 30s or 30ms \(a bare number means milliseconds only in fields whose name ends in Ms\)/, 'at: 30', 'E_SCENARIO_DURATION'],
    ['a press length out of range', scenarioText('calls:\n  - id: c\n    steps:\n      - press: { digits: "1", onMs: 11s }\n'), /calls\[0\]\.steps\[0\]\.press\.onMs: 11s is out of range \(1ms to 10s\)/, '{ digits', 'E_SCENARIO_VALUE'],
    ['an unknown policy rule', scenarioText('calls:\n  - id: c\n    steps:\n      - expect: { prompt: pin-policy-rejected, rule: phone }\n'), /rule: unknown rule 'phone'.*rules are digits-only, min-length, max-length, repeated-digit, consecutive-digits, extension, phone-number, history/, 'rule: phone', 'E_SCENARIO_NAME'],
    ['a rule with another prompt', scenarioText('calls:\n  - id: c\n    steps:\n      - expect: { prompt: invalid-pin, rule: history }\n'), /it goes with prompt: pin-policy-rejected, not invalid-pin/, 'rule: history', 'E_SCENARIO_VALUE'],
    ['an unknown lock kind', scenarioText('calls:\n  - { id: c, steps: [] }\nexpect:\n  - { user: amos, locked: true }\n'), /expect\[0\]\.locked: 'true' is not a lock; locked takes false, local/, 'locked: true', 'E_SCENARIO_VALUE'],
    ['an end-meeting of an unknown conference', scenarioText('calls:\n  - id: c\n    steps:\n      - end-meeting: { conference: "999" }\n'), /end-meeting\.conference: unknown conference '999'/, '999', 'E_SCENARIO_REFERENCE'],
    ['bad sample rate', scenarioText('options: { sampleRate: 11025 }\ncalls:\n  - { id: c, steps: [] }\n'), /sample rate must be one of 8000, 16000, 48000/, '11025', 'E_SCENARIO_VALUE'],
  ];


  for (const [title, text, message, marker, code] of cases) {
    it(`refuses ${title} with the file, line and field`, async () => {
      const error = await problem(text);
      expect(error.code).toBe(code);
      expect(error.message).toMatch(message);
      expect(error.file).toBe('scenarios/x.yaml');
      const line = marker === undefined ? 0 : lineOf(text, marker);
      if (line > 0) {
        expect(error.line).toBe(line);
        expect(error.message.startsWith(`scenarios/x.yaml:${line}: `)).toBe(true);
      } else {
        expect(error.line).toBeGreaterThan(0);
      }
    });
  }

  describe('YAML syntax errors', () => {
    const EIGHT_LINES = 'name: "x\ndeployment:\n  users: []\ncalls:\n  - id: a\n    steps:\n      - wait: 1s\n      - wait: 2s\n';

    it('points at the line where an unclosed quote opens, not the end of the file', async () => {
      const error = await problem(EIGHT_LINES);
      expect(error.code).toBe('E_SCENARIO_YAML');
      expect(error.line).toBe(1);
      expect(error.message).toBe('scenarios/x.yaml:1: not valid YAML: Missing closing "quote (opened on line 1, still open at the end of the file)');
    });

    it('names both the line of an unclosed { and the line where the parser noticed it', async () => {
      const error = await problem('name: x\ndeployment: {users: []\ncalls:\n  - id: a\n    steps: []\n');
      expect(error.line).toBe(2);
      expect(error.message).toMatch(/^scenarios\/x\.yaml:2: not valid YAML: Flow map .* end with a \} \(opened on line 2, still open on line 3\)$/);
    });

    it('points at an unclosed [ inside a step', async () => {
      const error = await problem(scenarioText('calls:\n  - id: a\n    steps:\n      - press: [1, 2\n'));
      expect(error.line).toBe(12);
      expect(error.message).toMatch(/\(opened on line 12, still open at the end of the file\)$/);
    });

    it('keeps the line the parser gives for other errors', async () => {
      const error = await problem(scenarioText('calls:\n  - id: a\n    steps:\n     - wait: 1s\n      - hangup: {}\n'));
      expect(error.line).toBe(13);
      expect(error.message).toBe('scenarios/x.yaml:13: not valid YAML: All sequence items must start at the same column');
    });
  });

  it('reads durations with units in press fields and bare milliseconds only in fields named ...Ms', async () => {
    const spec = await parse(`calls:\n  - id: c\n    at: 2m\n    steps:\n      - press: { digits: "1", leadMs: 3s, onMs: 60, offMs: 0.5s }\n      - wait: 0\n`);
    expect(spec.calls[0]!.atMs).toBe(120_000);
    expect(spec.calls[0]!.steps[0]).toMatchObject({ press: { leadMs: 3000, onMs: 60, offMs: 500 } });
    expect(spec.calls[0]!.steps[1]).toMatchObject({ kind: 'wait', ms: 0 });
  });

  it('reads end-meeting as {}, an id, or { conference: ID }', async () => {
    const spec = await parse(`calls:\n  - id: c\n    steps:\n      - end-meeting: {}\n      - end-meeting: "654321"\n      - end-meeting: { conference: "123456" }\n`);
    expect(spec.calls[0]!.steps.map((step) => step.kind === 'end-meeting' && step.conference)).toEqual([undefined, '654321', '123456']);
  });

  it('reads a rule to expect, a lock kind and failures since the last logon', async () => {
    const spec = await parse(`calls:\n  - id: c\n    steps:\n      - expect: { prompt: pin-policy-rejected, rule: phone-number }\nexpect:\n  - { user: amos, locked: false, globalFailures: 3 }\n  - { user: bea, locked: admin }\n`);
    expect(spec.calls[0]!.steps[0]).toMatchObject({ expect: { prompt: 'pin-policy-rejected', rule: 'phone-number' } });
    expect(spec.expect).toMatchObject([{ user: 'amos', locked: false, globalFailures: 3 }, { user: 'bea', locked: 'admin' }]);
  });

  it('reports every problem of a file, each on its own line with file, line and field', async () => {
    const text = scenarioText(`calls:
  - id: c
    at: 30
    steps:
      - press: "12E4#"
      - presss: "1"
      - press: { digits: "1", volume: 3 }
      - expect: { prompt: enter-pim }
  - id: c
    steps: []
expect:
  - { user: nobody }
`);
    const error = await problem(text);
    expect(error.code).toBe('E_SCENARIO_DURATION');
    const lines = error.message.split('\n');
    expect(lines).toEqual([
      `scenarios/x.yaml:${lineOf(text, 'at: 30')}: calls[0].at: '30' needs a unit: 30s or 30ms (a bare number means milliseconds only in fields whose name ends in Ms)`,
      `scenarios/x.yaml:${lineOf(text, '12E4#')}: calls[0].steps[0].press: '12E4#' has 'E', not a DTMF key (0-9 * # A-D)`,
      `scenarios/x.yaml:${lineOf(text, 'presss')}: calls[0].steps[1]: unknown step 'presss' (did you mean 'press'?); steps are press, play, wait, hangup, app-join, end-meeting, expect`,
      `scenarios/x.yaml:${lineOf(text, 'volume')}: calls[0].steps[2].press: unknown field 'volume'; known fields: digits, onMs, offMs, leadMs, levelDbm0, twistDb, snrDb, frequencyErrorPct, seed`,
      `scenarios/x.yaml:${lineOf(text, 'enter-pim')}: calls[0].steps[3].expect.prompt: unknown prompt 'enter-pim' (did you mean 'enter-pin'?); prompts are ${PROMPTS.join(', ')}`,
      `scenarios/x.yaml:${lineOf(text, '  - id: c\n    steps: []')}: calls[1].id: call id 'c' is used twice; each call needs its own id`,
      `scenarios/x.yaml:${lineOf(text, 'nobody')}: expect[0].user: unknown user 'nobody'; the deployment has amos, bea`,
    ]);
    expect(error.problems.map((item) => item.code)).toEqual(['E_SCENARIO_DURATION', 'E_SCENARIO_DIGIT', 'E_SCENARIO_UNKNOWN_STEP', 'E_SCENARIO_UNKNOWN_FIELD', 'E_SCENARIO_NAME', 'E_SCENARIO_DUPLICATE', 'E_SCENARIO_REFERENCE']);
  });

  it('stops at 20 problems', async () => {
    const steps = Array.from({ length: 30 }, (_, i) => `      - wait: ${i + 1}\n`).join('');
    const error = await problem(scenarioText(`calls:\n  - id: c\n    steps:\n${steps}`));
    expect(error.problems).toHaveLength(20);
    expect(error.message.split('\n')).toHaveLength(20);
    expect(error.problems.at(-1)!.path).toBe('calls[0].steps[19].wait');
  });

  it('still checks the calls when the deployment is bad, without guessing at its users', async () => {
    const error = await problem('name: x\ndeployment:\n  users: 3\ncalls:\n  - id: c\n    steps:\n      - app-join: amos\n      - press: "x"\n');
    expect(error.problems.map((item) => [item.code, item.line])).toEqual([['E_SCENARIO_DEPLOYMENT', 3], ['E_SCENARIO_DIGIT', 8]]);
  });

  it('names the scenario file even for an empty one', async () => {
    const error = await problem('');
    expect(error.code).toBe('E_SCENARIO_YAML');
    expect(error.message).toMatch(/^scenarios\/x\.yaml:1: the file is empty/);
  });

  it('says so when given a deployment file instead of a scenario', async () => {
    const error = await problem('users:\n  - { id: amos, name: A, email: a@b.c }\nconferences: []\n');
    expect(error.code).toBe('E_SCENARIO_YAML');
    expect(error.message).toBe(
      'scenarios/x.yaml:1: this is a deployment file (tenant, policy, users, conferences), not a scenario; a scenario uses it with `deployment: ./FILE.yaml`',
    );
  });
});

import { access, mkdtemp, readFile, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { main } from '../../src/cli/main.ts';
import { decodeWav } from '../../src/wav/wav-reader.ts';
import { scenarioText } from '../scenario/helpers.ts';

async function cli(...argv: string[]): Promise<{ code: number; out: string[]; err: string[] }> {
  const out: string[] = [];
  const err: string[] = [];
  const code = await main(argv, { out: (line) => out.push(line), err: (line) => err.push(line) });
  return { code, out, err };
}

async function tempScenario(body: string): Promise<string> {
  const dir = await mkdtemp(join(tmpdir(), 'dialin-run-'));
  const file = join(dir, 'case.yaml');
  await writeFile(file, scenarioText(body, 'cli case'));
  return file;
}

const LOBBY = `calls:
  - id: guest
    steps:
      - expect: { prompt: enter-conference-id }
      - press: "123456#"
      - expect: { prompt: leader-question }
      - press: "#"
      - expect: { state: lobby, within: 2s }
`;

describe('dialin-sim run', () => {
  it('prints the timeline with simulated times, events and ✓ expectations', async () => {
    const { code, out } = await cli('run', 'scenarios/organizer-pin-starts-meeting-admits-lobby.yaml');
    expect(code).toBe(0);
    expect(out[0]).toMatch(/^organizer PIN starts the meeting and admits the lobby {2}scenarios\/organizer-pin/);
    expect(out).toContain('  0:00.000  guest  call      from +15550001');
    expect(out.some((line) => /^ {2}0:4\d\.\d{3} {2}amos {3}✓ expect {2}state in-meeting$/.test(line))).toBe(true);
    expect(out.some((line) => /^ {2}0:4\d\.\d{3} {2}guest {2}admitted {2}to 123456$/.test(line))).toBe(true);
    expect(out.some((line) => /digit {5}4 {2}tone 0:44\.\d{3}–0:44\.\d{3}/.test(line))).toBe(true);
    expect(out.at(-1)).toMatch(/✓ passed {2}0:46\.\d{3} simulated in \d+ ms/);
    expect(out.join('\n')).not.toMatch(/\u001b\[/);
  });

  it('exits 1 and says what happened instead when an expectation fails', async () => {
    const file = await tempScenario(LOBBY.replace('state: lobby, within: 2s', 'state: in-meeting, within: 2s'));
    const { code, out } = await cli('run', file);
    expect(code).toBe(1);
    expect(out.some((line) => line.endsWith(`✗ expect  state in-meeting within 2s — call was in lobby; saw prompts: waiting-for-leader; entered: lobby  (${file}:16)`))).toBe(true);
    expect(out.at(-1)).toMatch(/✗ failed \(1 of 3 expectations\)/);
  });

  it('prints the event log as JSON lines', async () => {
    const { code, out } = await cli('run', '--json', await tempScenario(LOBBY));
    expect(code).toBe(0);
    const events = out.map((line) => JSON.parse(line) as Record<string, unknown>);
    expect(events[0]).toEqual({ scenario: 'cli case', type: 'call-started', atMs: 0, call: 'guest' });
    expect(events.filter((event) => event.type === 'digit-heard').map((event) => event.digit).join('')).toBe('123456##');
    expect(events.at(-1)).toMatchObject({ type: 'scenario-result', passed: true, expectations: [{ passed: true }, { passed: true }, { passed: true }] });
  });

  it('refuses a malformed scenario before running any, naming file and line', async () => {
    const good = await tempScenario(LOBBY);
    const bad = await tempScenario(LOBBY.replace('"#"', '"#x"'));
    const { code, out, err } = await cli('run', good, bad);
    expect(code).toBe(1);
    expect(out).toEqual([]);
    expect(err).toEqual([`dialin-sim run: ${bad}:15: calls[0].steps[3].press: '#x' has 'x', not a DTMF key (0-9 * # A-D)`]);
  });

  it('prefixes every problem of a malformed scenario, each on its own line', async () => {
    const bad = await tempScenario(LOBBY.replace('"123456#"', '"12E4#"').replace('"#"', '"#x"'));
    const { code, err } = await cli('run', bad);
    expect(code).toBe(1);
    expect(err).toEqual([
      `dialin-sim run: ${bad}:13: calls[0].steps[1].press: '12E4#' has 'E', not a DTMF key (0-9 * # A-D)`,
      `dialin-sim run: ${bad}:15: calls[0].steps[3].press: '#x' has 'x', not a DTMF key (0-9 * # A-D)`,
    ]);
  });

  it('records each call as a stereo WAV and an SVG picture', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'dialin-record-'));
    const file = await tempScenario(LOBBY);
    const { code, out } = await cli('run', '--record', dir, file);
    expect(code).toBe(0);
    const wav = join(dir, 'case', 'guest.wav');
    expect(out).toContain(`  recorded ${wav}`);
    const audio = await decodeWav(await readFile(wav), { channel: 2 });
    expect(audio).toMatchObject({ channels: 2, sampleRate: 8000 });
    expect((await readFile(join(dir, 'case', 'guest.svg'), 'utf8')).startsWith('<svg ')).toBe(true);
  });

  it('runs with a flow option changed', async () => {
    const file = await tempScenario(`calls:
  - id: c
    steps:
      - expect: { prompt: enter-conference-id }
      - expect: { prompt: enter-conference-id, within: 9s }
`);
    expect((await cli('run', file)).code).toBe(1);
    expect((await cli('run', '--flow', 'firstDigitTimeoutMs=2s', file)).code).toBe(0);
  });

  it('colours its output only when asked or on a terminal', async () => {
    const file = await tempScenario(LOBBY);
    expect((await cli('run', '--color', file)).out.join('\n')).toMatch(/\u001b\[32m✓ expect/);
    expect((await cli('run', '--no-color', file)).out.join('\n')).not.toMatch(/\u001b\[/);
  });

  it('answers bad command lines with exit 2', async () => {
    expect(await cli('run')).toMatchObject({ code: 2, err: ["dialin-sim run: no scenario files given (see 'dialin-sim run --help')"] });
    expect((await cli('run', '--engine', 'fft', 'x.yaml')).code).toBe(2);
    expect((await cli('run', '--flow', 'maxPinAttempts=0', 'x.yaml')).err[0]).toMatch(/--flow: flow option maxPinAttempts must be an integer >= 1/);
    const missing = await cli('run', 'no-such.yaml');
    expect(missing).toMatchObject({ code: 1, err: ['dialin-sim run: no-such.yaml: no such file'] });
    await expect(access('no-such.yaml')).rejects.toThrow();
  });
});

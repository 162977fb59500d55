import { cp, mkdir, mkdtemp, readFile, readdir, stat, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { runScenarioFile } from '../../../src/scenario/run/run-scenario.ts';
import { runSuite } from '../../../src/scenario/report/run-suite.ts';
import { compareTranscript, formatTranscript, transcriptPathFor } from '../../../src/scenario/report/transcript.ts';

const BUNDLED = 'scenarios';

/** A temporary copy of two bundled scenarios with their golden transcripts. */
async function copyOfScenarios(names: readonly string[]): Promise<string> {
  const dir = await mkdtemp(join(tmpdir(), 'dialin-golden-'));
  for (const name of names) {
    await cp(join(BUNDLED, `${name}.yaml`), join(dir, `${name}.yaml`));
    await cp(join(BUNDLED, `${name}.transcript`), join(dir, `${name}.transcript`));
  }
  return dir;
}

describe('golden transcripts', () => {
  it('leaves out wall-clock time and per-digit times, and keeps what each press was heard as', async () => {
    const result = await runScenarioFile(join(BUNDLED, 'three-wrong-pins-hangs-up.yaml'));
    const transcript = formatTranscript(result);
    expect(transcript).not.toMatch(/ms\)|simulated in/);
    expect(transcript).not.toMatch(/tone \d/);
    expect(transcript).toMatch(/^ {2}0:04 {2}guesser {2}press {5}11111# {2}\(heard 11111#\)$/m);
    expect(transcript).toMatch(/hung up {3}by the IVR \(pin-failures\)/);
    expect(transcript.endsWith('  passed\n')).toBe(true);
  });

  it('matches the golden transcript of every bundled scenario', async () => {
    const cases = await runSuite(BUNDLED);
    expect(cases.length).toBeGreaterThanOrEqual(16);
    expect(cases.filter((testCase) => !testCase.passed).map((testCase) => testCase.name)).toEqual([]);
  });

  it('fails when the flow changes: two PIN attempts instead of three', async () => {
    const dir = await copyOfScenarios(['three-wrong-pins-hangs-up', 'organizer-pin-starts-meeting-admits-lobby']);
    const cases = await runSuite(dir, { flow: { maxPinAttempts: 2 } });
    const changed = cases.find((testCase) => testCase.name === 'three-wrong-pins-hangs-up')!;
    expect(changed.passed).toBe(false);
    expect(changed.transcript).toBe('differs');
    expect(changed.diff!.slice(0, 2)).toEqual([`--- ${join(dir, 'three-wrong-pins-hangs-up.transcript')} (golden)`, '+++ this run']);
    expect(changed.diff).toContain('-  0:06  guesser  prompt    invalid-pin');
    expect(changed.diff!.some((line) => line.startsWith('+') && line.includes('goodbye'))).toBe(true);
    // The scenario that never keys a wrong PIN is unaffected.
    expect(cases.find((testCase) => testCase.name === 'organizer-pin-starts-meeting-admits-lobby')!.passed).toBe(true);
  });

  it('fails on an edited golden transcript and shows the difference', async () => {
    const dir = await copyOfScenarios(['fast-keying-40ms']);
    const golden = join(dir, 'fast-keying-40ms.transcript');
    await writeFile(golden, (await readFile(golden, 'utf8')).replace('prompt    leader-question', 'prompt    enter-pin'));
    const [testCase] = await runSuite(dir);
    expect(testCase!.passed).toBe(false);
    expect(testCase!.diff).toEqual(expect.arrayContaining(['-  0:03  dialler  prompt    enter-pin', '+  0:03  dialler  prompt    leader-question']));
  });

  it('fails without a golden transcript, and --update writes one that then matches', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'dialin-golden-'));
    await cp(join(BUNDLED, 'fast-keying-40ms.yaml'), join(dir, 'fast-keying-40ms.yaml'));
    await writeFile(join(dir, 'deployment.yaml'), 'users: []\n');
    const [missing] = await runSuite(dir);
    expect(missing).toMatchObject({ passed: false, transcript: 'missing' });
    const [updated] = await runSuite(dir, { update: true });
    expect(updated).toMatchObject({ passed: true, transcript: 'updated' });
    const [again] = await runSuite(dir, { update: true });
    expect(again).toMatchObject({ passed: true, transcript: 'unchanged' });
    const [checked] = await runSuite(dir);
    expect(checked).toMatchObject({ passed: true, transcript: 'match' });
    // The deployment file is not a scenario.
    expect((await readdir(dir)).sort()).toEqual(['deployment.yaml', 'fast-keying-40ms.transcript', 'fast-keying-40ms.yaml']);
  });

  it('reports a golden transcript that cannot be read as an error naming the file, without writing it', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'dialin-golden-'));
    await cp(join(BUNDLED, 'fast-keying-40ms.yaml'), join(dir, 'fast-keying-40ms.yaml'));
    // A folder where the transcript should be: EISDIR, which no permission bits (ignored by root) could give.
    const transcriptFile = join(dir, 'fast-keying-40ms.transcript');
    await mkdir(transcriptFile);
    for (const update of [false, true]) {
      const [testCase] = await runSuite(dir, { update });
      expect(testCase).toMatchObject({ passed: false, transcript: 'kept', errorCode: 'E_SCENARIO_FILE' });
      expect(testCase!.error!.startsWith(`${transcriptFile}: cannot read the golden transcript: EISDIR: `)).toBe(true);
      expect(testCase!.error).not.toContain('\n');
    }
    expect((await stat(transcriptFile)).isDirectory()).toBe(true);
  });

  it('does not write the transcript of a scenario that fails its expectations', async () => {
    const dir = await copyOfScenarios(['three-wrong-pins-hangs-up']);
    const before = await readFile(transcriptPathFor(join(dir, 'three-wrong-pins-hangs-up.yaml')), 'utf8');
    const [testCase] = await runSuite(dir, { update: true, flow: { maxPinAttempts: 5 } });
    expect(testCase).toMatchObject({ passed: false, transcript: 'kept' });
    expect(await readFile(join(dir, 'three-wrong-pins-hangs-up.transcript'), 'utf8')).toBe(before);
  });

  it('ignores line-ending differences', () => {
    expect(compareTranscript('a\r\nb\r\n', 'a\nb\n', 'x').equal).toBe(true);
    expect(compareTranscript('a\nb\n', 'a\nc\n', 'x').equal).toBe(false);
  });
});

/**
 * The README's "Measured" section is what `npm run bench` prints: the same
 * headings, prose, tables, column headers and row labels, section by
 * section. The benchmarks are not run: each section's pure `render` is fed
 * made-up figures, and only the shape (numbers replaced) is compared.
 */
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { REQUIREMENTS, type Conformance } from '../../bench/decoder-conformance.ts';
import * as decoder from '../../bench/decoder.ts';
import * as directory from '../../bench/directory.ts';
import * as flow from '../../bench/flow.ts';
import {
  formatSection,
  markdownShape,
  ReadmeMarkerError,
  replaceSection,
  sectionText,
  type Machine,
} from '../../bench/readme-section.ts';
import * as scenarios from '../../bench/scenarios.ts';
import * as startup from '../../bench/startup.ts';
import * as decodeProcess from '../../bench/decode-process.ts';
import * as talkOffCorpus from '../../bench/talk-off-corpus.ts';
import { SECTIONS, type SectionName } from '../../bench/sections.ts';

const README = readFileSync(new URL('../../README.md', import.meta.url), 'utf8');
const MACHINE: Machine = { cpuModel: 'Some CPU', cores: 2, node: 'v20.0.0', platform: 'linux/x64' };

const conformance = (figure: string) =>
  Object.fromEntries(Object.keys(REQUIREMENTS).map((key) => [key, { pass: true, figure }])) as Conformance;
const engine = { mix: { median: 1000, runs: [1, 2, 3, 4, 5] }, activeMedian: 900, accuracy: '1/1 planted digits found, 0 extra' };
const loop = { wallMs: 1, p50DelayMs: 1, p99DelayMs: 1, maxDelayMs: 1, worstGapMs: 1, ticks: 1, tickMs: 10 };

/** Each section's output for made-up figures. */
const RENDERED: Record<SectionName, string> = {
  decoder: formatSection(
    decoder.title,
    MACHINE,
    decoder.render({
      minutes: 1,
      activeMinutes: 1,
      shares: { pause: 0.2, dtmf: 0.2, speech: 0.2, music: 0.2, noise: 0.2 },
      gated: 0.1,
      gatedActive: 0.1,
      native: engine,
      baseline: engine,
      heapPerDetectorBytes: 1,
      stateBytes8k: 1,
      stateBytes48k: 1,
      planBytes8k: 1,
      conformance: { native: conformance('16/16 keys'), baseline: conformance('0/16 keys') },
    }),
  ),
  flow: formatSection(flow.title, MACHINE, flow.render({ admittedMs: 1, admittedCpuMs: 1, inMeetingMs: 1, setupMs: 1 })),
  directory: formatSection(
    directory.title,
    MACHINE,
    directory.render({
      cost: { N: 16384, r: 8, p: 1 },
      pool: '4 (default)',
      cores: 2,
      verifyPinMs: [1, 2],
      rightPinMs: [1, 2],
      wrongPinMs: [1, 2],
      concurrent: loop,
      blocking: loop,
    }),
  ),
  scenarios: formatSection(scenarios.title, MACHINE, scenarios.render({ count: 1, suiteMs: 1, cliMs: 1, crowdMs: 1, simulatedMs: 1 })),
  startup: formatSection(
    startup.title,
    MACHINE,
    startup.render({ nodeMs: 1, helpMs: 1, decodeMs: 1, helpFromSourceMs: 1, decodeFromSourceMs: 1 }),
  ),
  'decode-process': formatSection(
    decodeProcess.title,
    MACHINE,
    decodeProcess.render({
      minutes: 1, oursMs: [1, 2, 3, 4, 5], multimonMs: [1, 2, 3, 4, 5], pooledMs: 1, oneByOneMs: 1, cores: 2, musicSpeechSpeed: 1,
    }),
  ),
  'talk-off-corpus': formatSection(
    talkOffCorpus.title,
    MACHINE,
    talkOffCorpus.render({
      dir: '~/.cache/dialin-sim/talk-off-corpus',
      missing: null,
      files: [{
        file: 'music/p/x.ogg.wav', kind: 'music', codec: 'linear', package: 'p', language: '', seconds: 3600,
        digits: [{ digit: 'C', startMs: 1, endMs: 2 }],
      }],
      multimon: [{ kind: 'music', codec: 'linear', digits: 1 }],
    }),
  ),
};

describe('README "Measured" section', () => {
  it('renders every bench section', () => {
    expect(Object.keys(RENDERED).sort()).toEqual(Object.keys(SECTIONS).sort());
  });

  it.each(Object.keys(SECTIONS) as SectionName[])('has the %s section in the shape the bench prints', (name) => {
    expect(markdownShape(sectionText(README, name))).toEqual(markdownShape(RENDERED[name]));
  });

  it('says which machine each section was measured on', () => {
    for (const name of Object.keys(SECTIONS)) expect(sectionText(README, name)).toMatch(/^### .+\n\nMeasured on .+, \d+ cores, Node v\d+/);
  });

  it('lists the ±(1.5 % + 2 Hz) row with the unit test\'s eight cases per key', () => {
    expect(sectionText(README, 'decoder')).toContain(`| ${REQUIREMENTS.frequencyAccept} |`);
  });
});

describe('bench output shape', () => {
  const table = '### T\n\nMeasured on X, 2 cores, Node v20.1.0, linux/x64.\n\n| a | b |\n| --- | --- |\n| row one 5 ms | 7 |';

  it('ignores the numbers, the cells after the first and the machine', () => {
    const other = table.replace('5 ms', '12.5 ms').replace('| 7 |', '| 9, met |').replace('X, 2', 'Y, 64');
    expect(markdownShape(other)).toEqual(markdownShape(table));
  });

  it('tells a changed row label, column header, heading or added line apart', () => {
    for (const other of [
      table.replace('row one', 'row two'),
      table.replace('| a | b |', '| a | c |'),
      table.replace('### T', '### U'),
      `${table}\n| row three | 1 |`,
      `${table}\n\nreal\t0m24.721s`,
    ]) {
      expect(markdownShape(other)).not.toEqual(markdownShape(table));
    }
  });

  it('replaces only the text between a section\'s markers', () => {
    const readme = 'intro\n<!-- bench:flow:begin -->\nold\n<!-- bench:flow:end -->\noutro\n';
    const updated = replaceSection(readme, 'flow', 'new\ntext\n');
    expect(updated).toBe('intro\n<!-- bench:flow:begin -->\nnew\ntext\n<!-- bench:flow:end -->\noutro\n');
    expect(sectionText(updated, 'flow')).toBe('new\ntext');
  });

  it('names the section whose markers are missing', () => {
    const error = (() => {
      try {
        replaceSection('no markers', 'decoder', 'x');
      } catch (caught) {
        return caught;
      }
    })();
    expect(error).toBeInstanceOf(ReadmeMarkerError);
    expect(error).toMatchObject({ code: 'E_README_MARKERS' });
    expect((error as Error).message).toMatch(/^README\.md: no '<!-- bench:decoder:begin -->' .* for bench section 'decoder'$/);
  });
});

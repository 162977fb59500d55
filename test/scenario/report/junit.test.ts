import { describe, expect, it } from 'vitest';
import { escapeXml, formatJunit } from '../../../src/scenario/report/junit.ts';
import { allElements, parseXml } from '../helpers.ts';

describe('JUnit XML', () => {
  const xml = formatJunit([
    {
      name: 'scenarios',
      timestamp: '2025-01-06T09:00:00.000Z',
      cases: [
        { name: 'organizer-pin', classname: 'scenarios/organizer-pin.yaml', timeMs: 23 },
        {
          name: 'three-wrong <pins> & "quotes"',
          classname: 'scenarios/three.yaml',
          timeMs: 1500,
          failure: { message: `guesser: state in-meeting — call was in collecting-pin & <lobby> 'x'`, type: 'expectation', details: 'line 1\n--- a\n+++ b\n]]> \u0007 bell' },
        },
        { name: 'broken', classname: 'scenarios/broken.yaml', timeMs: 1, error: { message: 'x.yaml:3: bad', type: 'E_SCENARIO_YAML', details: 'x.yaml:3: bad' } },
      ],
    },
  ]);
  const root = parseXml(xml);

  it('nests testsuites > testsuite > testcase > failure|error with the required attributes', () => {
    expect(xml.startsWith('<?xml version="1.0" encoding="UTF-8"?>\n')).toBe(true);
    expect(root.name).toBe('testsuites');
    expect(root.attributes).toMatchObject({ tests: '3', failures: '1', errors: '1' });
    const [suite] = root.children;
    expect(suite!.name).toBe('testsuite');
    expect(suite!.attributes).toMatchObject({ name: 'scenarios', tests: '3', failures: '1', errors: '1', skipped: '0', time: '1.524', timestamp: '2025-01-06T09:00:00.000Z' });
    expect(suite!.children.map((child) => child.name)).toEqual(['testcase', 'testcase', 'testcase']);
    for (const testCase of suite!.children) {
      expect(Object.keys(testCase.attributes).sort()).toEqual(['classname', 'name', 'time']);
      for (const child of testCase.children) expect(['failure', 'error']).toContain(child.name);
    }
    expect(suite!.children[0]!.children).toEqual([]);
    expect(suite!.children[2]!.children[0]!.attributes).toEqual({ message: 'x.yaml:3: bad', type: 'E_SCENARIO_YAML' });
    for (const element of allElements(root)) expect(['testsuites', 'testsuite', 'testcase', 'failure', 'error']).toContain(element.name);
  });

  it('escapes names, messages and details so they read back unchanged', () => {
    const failed = root.children[0]!.children[1]!;
    expect(failed.attributes.name).toBe('three-wrong <pins> & "quotes"');
    const failure = failed.children[0]!;
    expect(failure.attributes.message).toBe(`guesser: state in-meeting — call was in collecting-pin & <lobby> 'x'`);
    // A control character XML cannot carry becomes U+FFFD; ]]> is harmless as text.
    expect(failure.text).toBe('line 1\n--- a\n+++ b\n]]> \ufffd bell');
  });

  it('strips terminal colours from reports', () => {
    expect(escapeXml('\u001b[31m✗\u001b[0m')).toBe('✗');
  });
});

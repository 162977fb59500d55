import { describe, expect, it } from 'vitest';
import { diffLines, unifiedDiff } from '../../../src/scenario/report/line-diff.ts';

/** Applies an edit script: it must turn `before` into `after`. */
function apply(ops: ReturnType<typeof diffLines>): { before: string[]; after: string[] } {
  return { before: ops.filter((op) => op.op !== '+').map((op) => op.line), after: ops.filter((op) => op.op !== '-').map((op) => op.line) };
}

describe('line diff', () => {
  it('finds a longest common subsequence: only changed lines are marked', () => {
    const ops = diffLines(['a', 'b', 'c', 'd'], ['a', 'x', 'c', 'd', 'e']);
    expect(ops).toEqual([
      { op: ' ', line: 'a' },
      { op: '-', line: 'b' },
      { op: '+', line: 'x' },
      { op: ' ', line: 'c' },
      { op: ' ', line: 'd' },
      { op: '+', line: 'e' },
    ]);
  });

  it('always produces a script that rebuilds both texts', () => {
    let seed = 7;
    const random = () => ((seed = (seed * 1103515245 + 12345) % 2 ** 31) / 2 ** 31);
    for (let round = 0; round < 50; round++) {
      const before = Array.from({ length: Math.floor(random() * 30) }, () => String(Math.floor(random() * 6)));
      const after = Array.from({ length: Math.floor(random() * 30) }, () => String(Math.floor(random() * 6)));
      expect(apply(diffLines(before, after))).toEqual({ before, after });
    }
  });

  it('writes unified hunks with line numbers and three lines of context', () => {
    const before = Array.from({ length: 20 }, (_, i) => `line ${i + 1}`);
    const after = [...before];
    after[9] = 'line 10 changed';
    expect(unifiedDiff(before, after, { beforeLabel: 'golden', afterLabel: 'run' })).toEqual([
      '--- golden',
      '+++ run',
      '@@ -7,7 +7,7 @@',
      ' line 7',
      ' line 8',
      ' line 9',
      '-line 10',
      '+line 10 changed',
      ' line 11',
      ' line 12',
      ' line 13',
    ]);
  });

  it('keeps far-apart changes in separate hunks and near ones in one', () => {
    const before = Array.from({ length: 30 }, (_, i) => `${i + 1}`);
    const far = [...before];
    far[2] = 'x';
    far[25] = 'y';
    expect(unifiedDiff(before, far).filter((line) => line.startsWith('@@'))).toEqual(['@@ -1,6 +1,6 @@', '@@ -23,7 +23,7 @@']);
    const near = [...before];
    near[2] = 'x';
    near[6] = 'y';
    expect(unifiedDiff(before, near).filter((line) => line.startsWith('@@'))).toEqual(['@@ -1,10 +1,10 @@']);
  });

  it('is empty for equal texts and handles insertions into an empty text', () => {
    expect(unifiedDiff(['a'], ['a'])).toEqual([]);
    expect(unifiedDiff([], ['a', 'b'])).toEqual(['--- expected', '+++ actual', '@@ -0,0 +1,2 @@', '+a', '+b']);
  });
});

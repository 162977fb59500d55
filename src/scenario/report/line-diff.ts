/**
 * A unified diff of two texts by lines, from a longest common subsequence:
 * what `dialin-sim test` shows when a run no longer matches its golden
 * transcript. Common head and tail are cut first, so a change in a long
 * transcript costs only the size of the changed region.
 */

export type DiffOp = { readonly op: ' ' | '-' | '+'; readonly line: string };

/** Regions larger than this (lines × lines) are shown as removed-then-added rather than aligned. */
const MAX_TABLE_CELLS = 4_000_000;

/** The edit script turning `before` into `after`. */
export function diffLines(before: readonly string[], after: readonly string[]): DiffOp[] {
  let head = 0;
  while (head < before.length && head < after.length && before[head] === after[head]) head++;
  let tail = 0;
  while (
    tail < before.length - head &&
    tail < after.length - head &&
    before[before.length - 1 - tail] === after[after.length - 1 - tail]
  ) {
    tail++;
  }
  const a = before.slice(head, before.length - tail);
  const b = after.slice(head, after.length - tail);
  const ops: DiffOp[] = before.slice(0, head).map((line) => ({ op: ' ', line }));
  ops.push(...middle(a, b));
  ops.push(...before.slice(before.length - tail).map((line) => ({ op: ' ' as const, line })));
  return ops;
}

function middle(a: readonly string[], b: readonly string[]): DiffOp[] {
  if ((a.length + 1) * (b.length + 1) > MAX_TABLE_CELLS) {
    return [...a.map((line) => ({ op: '-' as const, line })), ...b.map((line) => ({ op: '+' as const, line }))];
  }
  // lengths[i][j]: LCS of a[i..] and b[j..], in one flat array.
  const width = b.length + 1;
  const lengths = new Uint32Array((a.length + 1) * width);
  for (let i = a.length - 1; i >= 0; i--) {
    for (let j = b.length - 1; j >= 0; j--) {
      lengths[i * width + j] =
        a[i] === b[j] ? lengths[(i + 1) * width + j + 1]! + 1 : Math.max(lengths[(i + 1) * width + j]!, lengths[i * width + j + 1]!);
    }
  }
  const ops: DiffOp[] = [];
  let i = 0;
  let j = 0;
  while (i < a.length && j < b.length) {
    if (a[i] === b[j]) {
      ops.push({ op: ' ', line: a[i]! });
      i++;
      j++;
    } else if (lengths[(i + 1) * width + j]! >= lengths[i * width + j + 1]!) {
      ops.push({ op: '-', line: a[i++]! });
    } else {
      ops.push({ op: '+', line: b[j++]! });
    }
  }
  while (i < a.length) ops.push({ op: '-', line: a[i++]! });
  while (j < b.length) ops.push({ op: '+', line: b[j++]! });
  return ops;
}

export interface UnifiedDiffOptions {
  /** Label of the old text (`--- label`). */
  beforeLabel: string;
  /** Label of the new text (`+++ label`). */
  afterLabel: string;
  /** Unchanged lines shown around each change. */
  context: number;
}

/** A unified diff (`---`, `+++`, `@@ -a,b +c,d @@` hunks); empty when the texts are equal. */
export function unifiedDiff(before: readonly string[], after: readonly string[], partial: Partial<UnifiedDiffOptions> = {}): string[] {
  const options: UnifiedDiffOptions = { beforeLabel: 'expected', afterLabel: 'actual', context: 3, ...partial };
  const ops = diffLines(before, after);
  if (ops.every((op) => op.op === ' ')) return [];
  const out = [`--- ${options.beforeLabel}`, `+++ ${options.afterLabel}`];
  // Old and new line numbers (1-based) at each op.
  const positions: { oldLine: number; newLine: number }[] = [];
  let oldLine = 1;
  let newLine = 1;
  for (const op of ops) {
    positions.push({ oldLine, newLine });
    if (op.op !== '+') oldLine++;
    if (op.op !== '-') newLine++;
  }
  let index = 0;
  while (index < ops.length) {
    while (index < ops.length && ops[index]!.op === ' ') index++;
    if (index >= ops.length) break;
    const start = Math.max(0, index - options.context);
    let end = index;
    // Extend the hunk while the next change is within 2 × context lines.
    for (;;) {
      while (end < ops.length && ops[end]!.op !== ' ') end++;
      let next = end;
      while (next < ops.length && ops[next]!.op === ' ') next++;
      if (next < ops.length && next - end <= 2 * options.context) end = next;
      else break;
    }
    const stop = Math.min(ops.length, end + options.context);
    const hunk = ops.slice(start, stop);
    const oldCount = hunk.filter((op) => op.op !== '+').length;
    const newCount = hunk.filter((op) => op.op !== '-').length;
    const first = positions[start]!;
    const oldStart = oldCount === 0 ? first.oldLine - 1 : first.oldLine;
    const newStart = newCount === 0 ? first.newLine - 1 : first.newLine;
    out.push(`@@ -${oldStart},${oldCount} +${newStart},${newCount} @@`);
    for (const op of hunk) out.push(`${op.op}${op.line}`);
    index = stop;
  }
  return out;
}

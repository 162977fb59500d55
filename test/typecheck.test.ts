/**
 * The strict compiler settings hold for the whole tree (src, tests, bench,
 * scripts): tsx and vitest strip types without checking them, so without
 * this a type error would only show up in an editor.
 */
import { spawnSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';

describe('the TypeScript project', () => {
  it('type-checks under strict, noUncheckedIndexedAccess and verbatimModuleSyntax', () => {
    const tsc = fileURLToPath(new URL('../node_modules/typescript/bin/tsc', import.meta.url));
    const run = spawnSync(process.execPath, [tsc, '--noEmit', '-p', '.'], { cwd: fileURLToPath(new URL('..', import.meta.url)), encoding: 'utf8' });
    expect(run.stdout + run.stderr).toBe('');
    expect(run.status).toBe(0);
    // A whole-tree check takes about 15 s of CPU; the other test worker shares the machine.
  }, 120_000);
});

/**
 * The DSP layer is the bottom of the stack: it imports nothing from the
 * layers above (engines, session, server, ...) and its files import each
 * other without a cycle, so each can be read and tested on its own.
 */
import { readdirSync, readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';

const DSP = new URL('../../src/dsp/', import.meta.url);
const FILES = readdirSync(DSP).filter((name) => name.endsWith('.ts'));

/** Relative import specifiers of a DSP file, type-only ones included. */
function importsOf(name: string): string[] {
  const text = readFileSync(new URL(name, DSP), 'utf8');
  return [...text.matchAll(/^(?:import|export)[^'"]*?from '(\.[^']+)'/gm)].map((match) => match[1]!);
}

describe('src/dsp dependencies', () => {
  it('imports nothing from outside src/dsp but the shared error classes', () => {
    const outward = FILES.flatMap((name) =>
      importsOf(name)
        .filter((spec) => spec.startsWith('../') && spec !== '../errors.ts')
        .map((spec) => `${name} -> ${spec}`),
    );
    expect(outward).toEqual([]);
  });

  it('has no import cycle between its files', () => {
    const edges = new Map(FILES.map((name) => [name, importsOf(name).filter((s) => s.startsWith('./')).map((s) => s.slice(2))]));
    const cycles: string[] = [];
    const visit = (name: string, path: string[]): void => {
      if (path.includes(name)) {
        cycles.push([...path.slice(path.indexOf(name)), name].join(' -> '));
        return;
      }
      for (const next of edges.get(name) ?? []) visit(next, [...path, name]);
    };
    for (const name of FILES) visit(name, []);
    expect(cycles).toEqual([]);
  });
});

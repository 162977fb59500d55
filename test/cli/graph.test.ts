import { describe, expect, it } from 'vitest';
import { main } from '../../src/cli/main.ts';
import { captureIo } from './capture-io.ts';

describe('dialin-sim graph', () => {
  it('prints the call and conference machines as Mermaid state diagrams', async () => {
    const { io, out, err } = captureIo();
    expect(await main(['graph'], io)).toBe(0);
    expect(err).toEqual([]);
    expect(out.filter((line) => line === 'stateDiagram-v2')).toHaveLength(2);
    expect(out[0]).toBe('%% call machine');
    expect(out).toContain('%% conference machine');
    expect(out).toContain('  [*] --> greeting');
    expect(out).toContain('  [*] --> not_started');
  });

  it('wraps each diagram in a mermaid fence with --format markdown', async () => {
    const { io, out } = captureIo();
    expect(await main(['graph', '--format', 'markdown', '--machine', 'conference'], io)).toBe(0);
    expect(out.slice(0, 4)).toEqual(['### conference machine', '', '```mermaid', 'stateDiagram-v2']);
    expect(out.at(-1)).toBe('```');
    expect(out).not.toContain('  [*] --> greeting');
  });

  it('rejects an unknown format or machine with a usage error', async () => {
    for (const args of [['--format', 'dot'], ['--machine', 'lobby'], ['extra']]) {
      const { io, err } = captureIo();
      expect(await main(['graph', ...args], io)).toBe(2);
      expect(err).toHaveLength(1);
      expect(err[0]).toMatch(/^dialin-sim graph: /);
    }
  });
});

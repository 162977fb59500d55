import { describe, expect, it } from 'vitest';
import { COMMANDS, main } from '../../src/cli/main.ts';
import { captureIo } from './capture-io.ts';

describe('dialin-sim help', () => {
  it("lists each command with the summary the command itself gives", async () => {
    for (const [name, entry] of Object.entries(COMMANDS)) {
      expect(entry.summary, name).toBe((await entry.load()).command.summary);
    }
    const { io, out } = captureIo();
    expect(await main(['help'], io)).toBe(0);
    expect(out.filter((line) => line.startsWith('  '))).toEqual(
      Object.entries(COMMANDS).map(([name, { summary }]) => `  ${name.padEnd(8)} ${summary}`),
    );
  });

  it('rejects a command named like a property every object has', async () => {
    for (const name of ['constructor', 'toString', '__proto__']) {
      const { io, out, err } = captureIo();
      expect(await main([name], io), name).toBe(2);
      expect(out).toEqual([]);
      expect(err).toEqual([`dialin-sim: unknown command '${name}' (try 'dialin-sim help')`]);
    }
  });
});

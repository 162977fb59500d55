import { describe, expect, it } from 'vitest';
import { COMMANDS, HELP_NAME_WIDTH, main } from '../../src/cli/main.ts';
import { captureIo } from './capture-io.ts';

describe('dialin-sim help', () => {
  it("lists each command with the summary the command itself gives", async () => {
    for (const [name, entry] of Object.entries(COMMANDS)) {
      expect(entry.summary, name).toBe((await entry.load()).command.summary);
    }
    const { io, out } = captureIo();
    expect(await main(['help'], io)).toBe(0);
    expect(out.filter((line) => line.startsWith('  '))).toEqual(
      Object.entries(COMMANDS).map(([name, { summary }]) => `  ${name.padEnd(HELP_NAME_WIDTH)} ${summary}`),
    );
  });

  it('lines up the summaries after the longest command name', async () => {
    const { io, out } = captureIo();
    await main(['help'], io);
    const columns = Object.entries(COMMANDS).map(([name, { summary }]) => out.find((line) => line.startsWith(`  ${name} `))!.indexOf(summary));
    expect(new Set(columns)).toEqual(new Set([2 + Math.max(...Object.keys(COMMANDS).map((name) => name.length)) + 1]));
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

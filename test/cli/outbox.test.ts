import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { cliFixture } from './directory-fixture.ts';

let fixture: ReturnType<typeof cliFixture>;
beforeEach(async () => {
  fixture = cliFixture();
  expect((await fixture.run('outbox', '--config', fixture.config)).out).toEqual(['The outbox is empty.']);
});
afterEach(() => fixture.cleanup());

function pinOf(line: string): string {
  return /: ([0-9]+) \(/.exec(line)![1]!;
}

describe('dialin-sim outbox', () => {
  it('lists the mail carrying each new PIN', async () => {
    const amos = pinOf((await fixture.run('pin', 'set', 'amos')).out[0]!);
    const bela = pinOf((await fixture.run('pin', 'reset', 'bela', '--expired')).out[0]!);
    const { code, out } = await fixture.run('outbox');
    expect(code).toBe(0);
    expect(out[0]).toMatch(/^#1 \S+Z to amos@contoso\.com \(user amos\)$/);
    expect(out.slice(1, 9)).toEqual([
      'Subject: Your dial-in conferencing PIN',
      '  Hello Amos Marble,',
      '',
      '  A dial-in conferencing PIN has been set for you.',
      `  Your new PIN is: ${amos}`,
      '',
      '  Use it to start your meetings when you dial in.',
      '',
    ]);
    expect(out[9]).toMatch(/^#2 \S+Z to bela@contoso\.com \(user bela\)$/);
    expect(out).toContain(`  Your new PIN is: ${bela}`);
    expect(out).toContain('  You will be asked to choose a new PIN the next time you dial in.');
  });

  it('filters by user', async () => {
    await fixture.run('pin', 'set', 'amos');
    await fixture.run('pin', 'set', 'bela');
    const { out } = await fixture.run('outbox', '--user', 'bela');
    expect(out.filter((line) => line.startsWith('#'))).toHaveLength(1);
    expect(out[0]).toContain('(user bela)');
  });

  it('sends to the override address, and nothing when the tenant sends no PIN mail', async () => {
    await fixture.run('policy', 'set', '--email-override', 'pins@contoso.com');
    expect((await fixture.run('pin', 'set', 'amos')).out[0]).toMatch(/it has been mailed to pins@contoso\.com\)$/);
    await fixture.run('policy', 'set', '--send-email-to-user', 'false');
    expect((await fixture.run('pin', 'set', 'bela')).out[0]).toMatch(/not mailed: the tenant does not send PIN mail\)$/);
    const { out } = await fixture.run('outbox');
    expect(out.filter((line) => line.startsWith('#'))).toEqual([expect.stringMatching(/to pins@contoso\.com \(user amos\)$/)]);
  });

  it('deletes messages with --clear', async () => {
    await fixture.run('pin', 'set', 'amos');
    await fixture.run('pin', 'set', 'bela');
    expect((await fixture.run('outbox', '--clear', '--user', 'amos')).out).toEqual(['Deleted 1 message.']);
    expect((await fixture.run('outbox', '--user', 'amos')).out).toEqual(['The outbox is empty.']);
    expect((await fixture.run('outbox', '--clear')).out).toEqual(['Deleted 1 message.']);
    expect((await fixture.run('outbox', '--clear')).out).toEqual(['Deleted 0 messages.']);
  });

  it('names an unknown user, refuses extra arguments, and cannot clear a read-only database', async () => {
    const unknown = await fixture.run('outbox', '--user', 'zed');
    expect(unknown.code).toBe(1);
    expect(unknown.err).toEqual(["dialin-sim outbox: no user 'zed' in the directory"]);
    const extra = await fixture.run('outbox', 'amos');
    expect(extra.code).toBe(2);
    expect(extra.err).toEqual(["dialin-sim outbox: unexpected argument 'amos'"]);
    const readonly = await fixture.run('outbox', '--clear', '--read-only');
    expect(readonly.code).toBe(1);
    expect(readonly.err).toEqual([`dialin-sim outbox: ${fixture.db} is read-only: cannot clear the outbox`]);
  });
});

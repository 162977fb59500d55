import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { PinDirectory } from '../../src/directory/pin-directory.ts';
import { cliFixture } from './directory-fixture.ts';

let fixture: ReturnType<typeof cliFixture>;
beforeEach(async () => {
  fixture = cliFixture();
  expect((await fixture.run('pin', 'set', 'amos', '--pin', '80317', '--config', fixture.config)).code).toBe(0);
});
afterEach(() => fixture.cleanup());

describe('dialin-sim conference', () => {
  it('lists the conferences with their organizers and start rule', async () => {
    const { code, out } = await fixture.run('conference', 'list');
    expect(code).toBe(0);
    expect(out).toEqual([
      '123456       amos         waits for the organizer (tenant setting)',
      '424242       bela         may start without the organizer',
    ]);
  });

  it('gives a meeting a new ID at once, mails it and audits it', async () => {
    const { code, out } = await fixture.run('conference', 'reset-id', '123456');
    expect(code).toBe(0);
    const match = /^Conference 123456 is now ([1-9]\d{5}) \(organizer amos; 123456 no longer works; mailed to amos@contoso\.com\)$/.exec(out[0]!);
    expect(match).not.toBeNull();
    const newId = match![1]!;
    const directory = await PinDirectory.open(fixture.db);
    try {
      expect(await directory.findConference('123456')).toBeUndefined();
      expect(await directory.verifyLeaderPin(newId, '80317')).toMatchObject({ outcome: 'accepted' });
    } finally {
      await directory.close();
    }
    expect((await fixture.run('outbox', '--user', 'amos')).out).toContain(`  Your meeting has a new dial-in conference ID: ${newId}`);
    expect((await fixture.run('pin', 'audit', 'amos')).out.at(-1)).toMatch(
      new RegExp(`amos {9}conference-id by cli, conference 123456 is now ${newId}; mailed to amos@contoso\\.com$`),
    );
    // The deployment file still says 123456: loading it again keeps the new ID.
    const ids = (await fixture.run('conference', 'list', '--config', fixture.config)).out.map((line) => line.split(/ +/).slice(0, 2).join(' '));
    expect(ids.sort()).toEqual([`${newId} amos`, '424242 bela'].sort());
  });

  it('names an unknown conference', async () => {
    const { code, err } = await fixture.run('conference', 'reset-id', '999999');
    expect(code).toBe(1);
    expect(err).toEqual(["dialin-sim conference: no conference '999999' in the directory"]);
  });

  it('refuses malformed command lines with exit code 2', async () => {
    const cases: [string[], string][] = [
      [[], 'dialin-sim conference: missing action (list or reset-id)'],
      [['delete'], "dialin-sim conference: unknown action 'delete' (expected list or reset-id)"],
      [['reset-id'], 'dialin-sim conference: reset-id needs a conference ID'],
      [['list', '123456'], "dialin-sim conference: list: unexpected argument '123456'"],
      [['reset-id', '123456', '424242'], "dialin-sim conference: reset-id: unexpected argument '424242'"],
    ];
    for (const [args, message] of cases) {
      const { code, out, err } = await fixture.run('conference', ...args);
      expect(code, args.join(' ')).toBe(2);
      expect(out).toEqual([]);
      expect(err).toEqual([message]);
    }
  });
});

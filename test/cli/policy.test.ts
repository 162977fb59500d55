import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { main } from '../../src/cli/main.ts';
import { SETTING_FLAGS } from '../../src/cli/setting-flags.ts';
import { captureIo } from './capture-io.ts';
import { CLI_DEPLOYMENT, cliFixture } from './directory-fixture.ts';

let fixture: ReturnType<typeof cliFixture>;
beforeEach(async () => {
  fixture = cliFixture();
  // Only a deployment file (or the server) creates a directory.
  expect((await fixture.run('policy', 'show', '--config', fixture.config)).code).toBe(0);
});
afterEach(() => fixture.cleanup());

const DEFAULTS = [
  'PIN policy',
  '  minLength                     5',
  '  historyCount                  5',
  '  lifetimeDays                  0 (PINs never expire)',
  '  allowCommonPatterns           false',
  '  maxLogonAttempts              auto (by PIN length: 4 digits 10/100, 5 digits 25/1000, 6 or more 25/5000)',
  '  logonFailuresBeforePinReset   off',
  'Tenant',
  '  pinLength                     5',
  '  allowAnonymousStart           false',
  '  sendEmailToUser               true',
  '  emailOverride                 off',
];

describe('dialin-sim policy', () => {
  it('shows the defaults of a new directory', async () => {
    const { code, out, err } = await fixture.run('policy', 'show');
    expect(code).toBe(0);
    expect(err).toEqual([]);
    expect(out).toEqual(DEFAULTS);
  });

  it('sets policy and tenant settings together and shows the result', async () => {
    const { code, out } = await fixture.run(
      'policy', 'set',
      '--min-length', '6', '--history-count', '3', '--lifetime-days', '90', '--allow-common-patterns', 'true',
      '--max-logon-attempts', '10/100', '--logon-failures-before-pin-reset', '7',
      '--pin-length', '8', '--allow-anonymous-start', 'true', '--send-email-to-user', 'false', '--email-override', 'pins@contoso.com',
    );
    expect(code).toBe(0);
    expect(out).toEqual([
      'PIN policy',
      '  minLength                     6',
      '  historyCount                  3',
      '  lifetimeDays                  90',
      '  allowCommonPatterns           true',
      '  maxLogonAttempts              10 within 30 minutes (1-hour lock) / 100 since the last logon (lock until unlocked)',
      '  logonFailuresBeforePinReset   7',
      'Tenant',
      '  pinLength                     8',
      '  allowAnonymousStart           true',
      '  sendEmailToUser               false',
      '  emailOverride                 pins@contoso.com',
    ]);
    expect((await fixture.run('policy', 'show')).out).toEqual(out);
  });

  it('turns settings back to auto and off', async () => {
    await fixture.run('policy', 'set', '--max-logon-attempts', '3/9', '--logon-failures-before-pin-reset', '2', '--email-override', 'a@contoso.com');
    const { out } = await fixture.run('policy', 'set', '--max-logon-attempts', 'auto', '--logon-failures-before-pin-reset', 'off', '--email-override', 'off');
    expect(out).toEqual(DEFAULTS);
  });

  it('takes one number as the local limit alone and shows the automatic global limit it keeps', async () => {
    const limitsLine = (out: string[]) => out.find((line) => line.startsWith('  maxLogonAttempts'));
    const set = await fixture.run('policy', 'set', '--max-logon-attempts', '10');
    expect(set.code).toBe(0);
    expect(limitsLine(set.out)).toBe('  maxLogonAttempts              10 within 30 minutes (1-hour lock) / 1000 since the last logon (lock until unlocked; automatic for minLength 5)');
    // The automatic global limit follows the policy's minimum PIN length ...
    const longer = await fixture.run('policy', 'set', '--min-length', '6');
    expect(limitsLine(longer.out)).toBe('  maxLogonAttempts              10 within 30 minutes (1-hour lock) / 5000 since the last logon (lock until unlocked; automatic for minLength 6)');
    // ... and is never below the local limit.
    const high = await fixture.run('policy', 'set', '--max-logon-attempts', '999', '--min-length', '4');
    expect(limitsLine(high.out)).toBe('  maxLogonAttempts              999 within 30 minutes (1-hour lock) / 999 since the last logon (lock until unlocked; automatic for minLength 4, raised to the local limit)');
    const tooMany = await fixture.run('policy', 'set', '--max-logon-attempts', '1000');
    expect(tooMany.code).toBe(2);
    expect(tooMany.err).toEqual(['dialin-sim policy: --max-logon-attempts LOCAL must be a whole number from 1 to 999, got 1000']);
  });

  it("means by one number what a deployment file's maxLogonAttempts: N means", async () => {
    const config = join(fixture.dir, 'local-only.yaml');
    writeFileSync(config, `policy:\n  maxLogonAttempts: 10\n${CLI_DEPLOYMENT}`);
    const { io, out } = captureIo();
    expect(await main(['policy', 'show', '--config', config, '--db', join(fixture.dir, 'from-file.db')], io)).toBe(0);
    expect(out).toEqual((await fixture.run('policy', 'set', '--max-logon-attempts', '10')).out);
  });

  it('makes new generated PINs follow --pin-length', async () => {
    await fixture.run('policy', 'set', '--pin-length', '9', '--config', fixture.config);
    const { out } = await fixture.run('pin', 'set', 'amos');
    expect(out[0]).toMatch(/^New PIN for amos: [0-9]{9} /);
  });

  it('names the flag whose value is out of range, exits 2 and changes nothing', async () => {
    const cases: [string[], string][] = [
      [['--min-length', '3'], '--min-length must be a whole number from 4 to 24, got 3'],
      [['--min-length', '25'], '--min-length must be a whole number from 4 to 24, got 25'],
      [['--history-count', '21'], '--history-count must be a whole number from 0 to 20, got 21'],
      [['--lifetime-days', '1000'], '--lifetime-days must be a whole number from 0 to 999, got 1000'],
      [['--lifetime-days', '-1'], '--lifetime-days must be a whole number from 0 to 999, got -1'],
      [['--lifetime-days', '30', '--history-count', '0'], '--history-count must be above 0 when --lifetime-days is above 0 (an expired PIN could be set again)'],
      [['--max-logon-attempts', '10/5'], '--max-logon-attempts GLOBAL must be at least the local limit (10), got 5'],
      [['--max-logon-attempts', '0/5'], '--max-logon-attempts LOCAL must be a whole number from 1 to 999, got 0'],
      [['--logon-failures-before-pin-reset', '0'], '--logon-failures-before-pin-reset must be a whole number from 1 to 999 or off, got 0'],
      [['--pin-length', '13', '--min-length', '6'], '--pin-length must be a whole number from 4 to 12, got 13'],
      [['--email-override', 'nobody'], "--email-override must be an e-mail address or off, got 'nobody'"],
    ];
    for (const [args, message] of cases) {
      const { code, out, err } = await fixture.run('policy', 'set', ...args);
      expect(code, args.join(' ')).toBe(2);
      expect(out).toEqual([]);
      expect(err).toEqual([`dialin-sim policy: ${message}`]);
    }
    expect((await fixture.run('policy', 'show')).out).toEqual(DEFAULTS);
  });

  it('names an option given without its value, or one it does not know, in one line', async () => {
    const cases: [string[], string][] = [
      [['set', '--min-length'], '--min-length needs a whole number from 4 to 24'],
      [['set', '--min-length', '--history-count', '3'], '--min-length needs a whole number from 4 to 24'],
      [['set', '--email-override'], '--email-override needs an e-mail address or off'],
      [['show', '--db'], '--db needs a database file name or postgres:// URL'],
      [['show', '--config', '--read-only'], '--config needs a deployment file name'],
      [['show', '--read-only=yes'], '--read-only takes no value'],
      [['show', '--frobnicate'], 'unknown option --frobnicate'],
      [['show', '-x'], 'unknown option -x'],
    ];
    for (const [args, message] of cases) {
      const { code, out, err } = await fixture.run('policy', ...args);
      expect(code, args.join(' ')).toBe(2);
      expect(out).toEqual([]);
      expect(err).toEqual([`dialin-sim policy: ${message}`]);
    }
  });

  it('refuses values of the wrong kind and malformed command lines with exit code 2', async () => {
    const cases: [string[], string][] = [
      [['set', '--min-length', 'six'], "--min-length expects a number, got 'six'"],
      [['set', '--allow-common-patterns', 'yes'], "--allow-common-patterns expects true or false, got 'yes'"],
      [['set', '--max-logon-attempts', '5/'], "--max-logon-attempts expects LOCAL/GLOBAL (like 10/100), N (the local limit alone) or auto, got '5/'"],
      [['set'], 'nothing to set (see dialin-sim policy --help)'],
      [['show', '--min-length', '6'], "show takes no settings (did you mean 'policy set'?)"],
      [[], 'missing action (show, set or remove)'],
      [['list'], "unknown action 'list' (expected show, set or remove)"],
      [['show', 'extra'], "show: unexpected argument 'extra'"],
    ];
    for (const [args, message] of cases) {
      const { code, err } = await fixture.run('policy', ...args);
      expect(code).toBe(2);
      expect(err).toEqual([`dialin-sim policy: ${message}`]);
    }
  });

  it('shows from a read-only database and refuses to change it', async () => {
    await fixture.run('policy', 'show');
    expect((await fixture.run('policy', 'show', '--read-only')).out).toEqual(DEFAULTS);
    const { code, err } = await fixture.run('policy', 'set', '--min-length', '6', '--read-only');
    expect(code).toBe(1);
    expect(err).toEqual([`dialin-sim policy: ${fixture.db} is read-only: cannot save settings`]);
  });

  it('documents every setting in its usage', async () => {
    const { out } = await fixture.run('policy', '--help');
    const usage = out.join('\n');
    for (const flag of Object.values(SETTING_FLAGS)) expect(usage).toContain(`--${flag} `);
  });
});

describe('dialin-sim policy for a site or a user', () => {
  beforeEach(() => {
    writeFileSync(fixture.config, CLI_DEPLOYMENT.replace('extension: "4071" }', 'extension: "4071", site: emea }'));
  });

  it('sets a site policy, shows whose policy applies to a user and the global value beside each that differs', async () => {
    const set = await fixture.run('policy', 'set', '--site', 'emea', '--min-length', '6', '--config', fixture.config);
    expect(set.code).toBe(0);
    expect(set.out).toEqual([
      'PIN policy for site emea: the policy of site emea',
      '  minLength                     6  (global: 5)',
      ...DEFAULTS.slice(2, 7),
    ]);
    expect((await fixture.run('policy', 'show', '--user', 'amos')).out[0]).toBe('PIN policy for user amos: the policy of site emea');
    expect((await fixture.run('policy', 'show', '--user', 'bela')).out).toEqual(['PIN policy for user bela: the global policy', ...DEFAULTS.slice(1, 7)]);
    expect((await fixture.run('policy', 'show')).out).toEqual([...DEFAULTS, 'Site and user policies', '  site emea']);
    const pin = await fixture.run('pin', 'set', 'amos');
    expect(pin.out[0]).toMatch(/^New PIN for amos: [0-9]{6} /);
    expect((await fixture.run('pin', 'status', 'amos')).out.at(-1)).toBe('  Policy:    site emea');
  });

  it("sets a user's policy over the site's and removes it again", async () => {
    await fixture.run('policy', 'set', '--site', 'emea', '--min-length', '6', '--config', fixture.config);
    const set = await fixture.run('policy', 'set', '--user', 'amos', '--lifetime-days', '30');
    expect(set.out.slice(0, 4)).toEqual([
      'PIN policy for user amos: the policy of user amos',
      '  minLength                     6  (global: 5)',
      '  historyCount                  5',
      '  lifetimeDays                  30  (global: 0 (PINs never expire))',
    ]);
    const removed = await fixture.run('policy', 'remove', '--user', 'amos');
    expect(removed.out[0]).toBe('Removed the PIN policy of user amos.');
    expect(removed.out[1]).toBe('PIN policy for user amos: the policy of site emea');
    const again = await fixture.run('policy', 'remove', '--user', 'amos');
    expect(again).toMatchObject({ code: 1, err: ['dialin-sim policy: user amos has no PIN policy of its own'] });
  });

  it('refuses a scope without a name, two scopes, tenant settings for a scope, remove without one and an unknown user', async () => {
    await fixture.run('policy', 'show', '--config', fixture.config);
    const cases: [string[], number, string][] = [
      [['set', '--site', 'emea', '--user', 'amos', '--min-length', '6'], 2, '--site and --user do not go together (a policy has one scope)'],
      [['set', '--site', 'emea', '--pin-length', '6'], 2, 'tenant settings apply to everyone: they cannot be set for site emea'],
      [['remove'], 2, 'remove needs --site NAME or --user ID (the global policy stays)'],
      [['remove', '--site', 'emea', '--min-length', '6'], 2, "remove takes no settings (did you mean 'policy set'?)"],
      [['show', '--user', 'zed'], 1, "no user 'zed' in the directory"],
      [['set', '--site', 'emea', '--min-length', '3'], 2, '--min-length must be a whole number from 4 to 24, got 3'],
    ];
    for (const [args, code, message] of cases) {
      const result = await fixture.run('policy', ...args);
      expect(result, args.join(' ')).toMatchObject({ code, err: [`dialin-sim policy: ${message}`] });
    }
  });
});

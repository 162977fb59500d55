import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { LoadArgsError, parseLoadArgs } from '../../bench/load-args.ts';

const DEFAULT_STEPS = [100, 250];
const README = readFileSync(new URL('../../README.md', import.meta.url), 'utf8');

describe('npm run load arguments', () => {
  it('mixes native, Twilio and SIP calls over the default ramp when given nothing', () => {
    expect(parseLoadArgs([], {}, DEFAULT_STEPS)).toEqual({ steps: [100, 250], mix: ['native', 'twilio', 'sip'] });
  });

  it('takes call counts as steps, --protocol for one protocol alone and --mix or LOAD_MIX for several', () => {
    expect(parseLoadArgs(['--protocol', 'sip', '1000'], {}, DEFAULT_STEPS)).toEqual({ steps: [1000], mix: ['sip'] });
    expect(parseLoadArgs(['50', '--mix', 'native,sip', '100'], {}, DEFAULT_STEPS)).toEqual({ steps: [50, 100], mix: ['native', 'sip'] });
    expect(parseLoadArgs([], { LOAD_MIX: 'twilio' }, DEFAULT_STEPS).mix).toEqual(['twilio']);
    expect(parseLoadArgs(['--mix', 'sip'], { LOAD_MIX: 'twilio' }, DEFAULT_STEPS).mix).toEqual(['sip']);
  });

  it('takes --workers N for the server, and leaves it unset when not given', () => {
    expect(parseLoadArgs(['--workers', '2', '1000'], {}, DEFAULT_STEPS)).toEqual({ steps: [1000], mix: ['native', 'twilio', 'sip'], workers: 2 });
    expect(parseLoadArgs(['500'], {}, DEFAULT_STEPS)).not.toHaveProperty('workers');
  });

  it('takes --generators K for the callers\' side, and leaves it unset when not given', () => {
    expect(parseLoadArgs(['--workers', '2', '--generators', '3', '2000'], {}, DEFAULT_STEPS)).toEqual({ steps: [2000], mix: ['native', 'twilio', 'sip'], workers: 2, generators: 3 });
    expect(parseLoadArgs(['--workers', '2'], {}, DEFAULT_STEPS)).not.toHaveProperty('generators');
  });

  it('refuses an unknown protocol, a missing value, a list after --protocol and a count or worker number that is not a positive integer, naming the culprit', () => {
    const refused = (args: string[], env: Record<string, string> = {}) => {
      try {
        parseLoadArgs(args, env, DEFAULT_STEPS);
      } catch (error) {
        expect(error).toBeInstanceOf(LoadArgsError);
        expect(error).toMatchObject({ code: 'E_LOAD_ARGS' });
        return (error as Error).message;
      }
      throw new Error(`accepted ${args.join(' ')}`);
    };
    expect(refused(['--protocol', 'rtp'])).toBe("--protocol: unknown protocol 'rtp' (one of native, twilio, sip)");
    expect(refused([], { LOAD_MIX: 'native,,sip' })).toContain("LOAD_MIX: unknown protocol ''");
    expect(refused(['--mix'])).toBe('--mix needs a value');
    expect(refused(['--protocol', 'native,sip'])).toContain('--protocol takes one protocol');
    expect(refused(['0'])).toContain("'0' is neither a call count");
    expect(refused(['1.5'])).toContain("'1.5'");
    expect(refused(['--workers'])).toBe('--workers needs a positive integer (got nothing)');
    expect(refused(['--workers', '0'])).toBe("--workers needs a positive integer (got '0')");
    expect(refused(['--generators', 'two'])).toBe("--generators needs a positive integer (got 'two')");
  });

  it('accepts the commands the README shows, with the meaning it gives them', () => {
    const section = README.slice(README.indexOf('### Live calls (`npm run load`)'), README.indexOf('## Architecture'));
    const commands = [...section.matchAll(/^npm run load -- (.*?)\s+#/gm)].map((match) => match[1]!.split(' '));
    expect(commands.map((args) => parseLoadArgs(args, {}, DEFAULT_STEPS))).toEqual([
      { steps: [200, 400], mix: ['native', 'twilio', 'sip'] },
      { steps: [1000], mix: ['sip'] },
      { steps: [100, 250], mix: ['native', 'twilio'] },
      { steps: [1000], mix: ['native', 'twilio', 'sip'], workers: 2 },
      { steps: [1000], mix: ['native', 'twilio', 'sip'], generators: 2 },
    ]);
    expect(section).toContain('LOAD_MIX=native,twilio');
    expect(parseLoadArgs([], { LOAD_MIX: 'native,twilio' }, DEFAULT_STEPS).mix).toEqual(['native', 'twilio']);
  });
});

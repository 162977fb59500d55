/**
 * baresip, a softphone nobody here wrote, dials the SIP service on
 * loopback, keys the conference ID and the organizer's PIN with its
 * `sndcode` command (RFC 4733 telephone-events) and hangs up.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { BARESIP_FIXTURES, BaresipPhone } from './baresip-phone.ts';
import { startSipTestService, TEST_PIN } from './sip-test-service.ts';
import { until } from './sipp.ts';
import { digitLines, heardKeys, keyOrganizer, onlyCallId, ORGANIZER_KEYS } from './softphone-dial-in.ts';

const README = readFileSync(join(import.meta.dirname, '../../../README.md'), 'utf8');

describe('baresip dialing in', () => {
  it('starts the meeting on the conference ID and PIN keyed as RFC 4733 events, each heard once, and ends the call on its hangup', async () => {
    const service = await startSipTestService();
    let phone: BaresipPhone | undefined;
    try {
      phone = await BaresipPhone.start();
      await phone.command('dial', `sip:123456@127.0.0.1:${service.udpPort}`);
      await phone.event('CALL_ESTABLISHED', 10_000);
      const callId = await onlyCallId(service);
      expect(service.lines.join('\n')).toMatch(new RegExp(` ${callId} call-started protocol=sip-udp rate=8000 from=sip:tester@127.0.0.1`));
      await until(() => service.lines.some((line) => line.endsWith(` ${callId} state-entered collecting-conference-id`)), 15_000, 'the IVR to ask for the conference ID');

      await keyOrganizer(service, callId, TEST_PIN, async (key) => void (await phone!.command('sndcode', key)));
      expect(service.lines.join('\n')).toMatch(new RegExp(` ${callId} meeting-started 123456`));

      await phone.command('hangup');
      await until(() => service.lines.some((line) => line.endsWith(` ${callId} hung-up caller`)), 10_000, 'the call to end');
      expect(service.lines.join('\n')).toMatch(new RegExp(` ${callId} sip call ended remote-bye`));
      await until(() => service.stats().calls === 0, 5000, 'the SIP call to be released');

      const keys = ORGANIZER_KEYS(TEST_PIN).map(([k]) => k).join('');
      expect(heardKeys(service.events.get(callId)!)).toBe(keys);
      const lines = digitLines(service, callId);
      expect(lines).toHaveLength(keys.length);
      expect(lines.every((line) => / digit-heard [x*#] out-of-band /.test(line))).toBe(true);
      // baresip's RFC 4733 sender (audio.c) names each key it sends; it has no SIP INFO mode.
      expect(phone.output.match(/audio: send DTMF digit: /g)).toHaveLength(keys.length);
      expect(service.lines.join('\n')).not.toContain(TEST_PIN);
    } finally {
      await phone?.close();
      await service.close();
    }
  }, 45_000);

  it('is documented in the README with the config the test runs', () => {
    expect(README).toContain(readFileSync(join(BARESIP_FIXTURES, 'config'), 'utf8'));
    expect(README).toContain(readFileSync(join(BARESIP_FIXTURES, 'accounts'), 'utf8'));
  });
});

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
import { callEndsByCaller, callEnters, expectMeetingStartedOnKeysHeardOnce, keyOrganizer, onlyCallId, organizerKeys } from './softphone-dial-in.ts';

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
      await callEnters(service, callId, 'collecting-conference-id');

      await keyOrganizer(service, callId, TEST_PIN, async (key) => void (await phone!.command('sndcode', key)));

      await phone.command('hangup');
      await callEndsByCaller(service, callId);
      expectMeetingStartedOnKeysHeardOnce(service, callId, TEST_PIN);
      // baresip's RFC 4733 sender (audio.c) names each key it sends.
      expect(phone.output.match(/audio: send DTMF digit: /g)).toHaveLength(organizerKeys(TEST_PIN).length);
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

/**
 * linphonec, a softphone nobody here wrote, dials the SIP service on
 * loopback, keys the conference ID and the organizer's PIN as DTMF (which
 * liblinphone sends as RFC 4733 telephone-events by default) and hangs up,
 * all through linphonecsh.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { LINPHONE_FIXTURES, LinphonePhone } from './linphone-phone.ts';
import { startSipTestService, TEST_PIN } from './sip-test-service.ts';
import { callEndsByCaller, callEnters, expectMeetingStartedOnKeysHeardOnce, keyOrganizer, onlyCallId, organizerKeys } from './softphone-dial-in.ts';

const README = readFileSync(join(import.meta.dirname, '../../../README.md'), 'utf8');

describe('linphonec dialing in', () => {
  it('starts the meeting on the conference ID and PIN keyed as RFC 4733 events, each heard once, and ends the call on its terminate', async () => {
    const service = await startSipTestService();
    let phone: LinphonePhone | undefined;
    try {
      phone = await LinphonePhone.start();
      expect(await phone.run('dial', `sip:123456@127.0.0.1:${service.udpPort}`)).toContain('Establishing call');
      const callId = await onlyCallId(service);
      expect(service.lines.join('\n')).toMatch(new RegExp(` ${callId} call-started protocol=sip-udp rate=8000 from=sip:tester@`));
      await callEnters(service, callId, 'collecting-conference-id');

      await keyOrganizer(service, callId, TEST_PIN, async (key) => void (await phone!.run('generic', key)));

      expect(await phone.run('generic', 'terminate')).toContain('ended');
      await callEndsByCaller(service, callId);
      expectMeetingStartedOnKeysHeardOnce(service, callId, TEST_PIN);
      // mediastreamer's RFC 2833/4733 sender reports each key it sent; no SIP INFO left the phone.
      expect(phone.log.match(/Finished sending RFC2833 dtmf/g)).toHaveLength(organizerKeys(TEST_PIN).length);
      expect(phone.log).not.toMatch(/INFO sip:/);
    } finally {
      await phone?.close();
      await service.close();
    }
  }, 60_000);

  it('is documented in the README with the linphonerc the test runs', () => {
    expect(README).toContain(readFileSync(join(LINPHONE_FIXTURES, 'linphonerc'), 'utf8'));
  });
});

/**
 * A caller on this host signals over loopback but offers the address of its
 * default interface, as baresip 1.0 and liblinphone 5 do out of the box
 * (here 192.0.2.2, what this container's eth0 has): its RTP still comes
 * from loopback, and the service latches it instead of dropping every
 * packet, keys included.
 */
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { buildRtpPacket } from '../../../src/rtp/rtp-packet.ts';
import { buildTelephoneEvent, keyEvent } from '../../../src/rtp/telephone-event.ts';
import { RawSipPhone } from './raw-sip-phone.ts';
import { startSipTestService, type SipTestService } from './sip-test-service.ts';
import { until } from './sipp.ts';
import { heardKeys } from './softphone-dial-in.ts';

let service: SipTestService;
beforeEach(async () => {
  service = await startSipTestService();
});
afterEach(async () => {
  await service.close();
});

describe('a loopback caller offering another address of its host', () => {
  it('has its RFC 4733 keys heard from the loopback source', async () => {
    const phone = await RawSipPhone.open(service.udpPort);
    try {
      const loopbackSdp = phone.sdp.bind(phone);
      phone.sdp = () => loopbackSdp().replace('c=IN IP4 127.0.0.1', 'c=IN IP4 192.0.2.2');
      await phone.call();
      const [callId] = [...service.events.keys()];
      await until(() => service.lines.some((line) => line.endsWith(` ${callId} state-entered collecting-conference-id`)), 15_000, 'the conference ID prompt');

      // One press of 5: three event packets, the last one three times with the E bit (RFC 4733 section 2.5.1.4).
      const send = (sequenceNumber: number, end: boolean, duration: number) =>
        new Promise((resolve) =>
          phone.media.send(
            buildRtpPacket({ payloadType: 101, marker: sequenceNumber === 1, sequenceNumber, timestamp: 8000, ssrc: 0x5ca1ab1e, payload: buildTelephoneEvent({ event: keyEvent('5'), end, volume: 10, duration }) }),
            service.rtpPortOf(phone.callId),
            '127.0.0.1',
            resolve,
          ),
        );
      for (const [seq, end, duration] of [[1, false, 160], [2, false, 320], [3, true, 480], [4, true, 480], [5, true, 480]] as const) await send(seq, end, duration);

      await until(() => heardKeys(service.events.get(callId!)!) === '5', 5000, `the key\n${service.lines.join('\n')}`);
      phone.request('BYE');
      await until(() => service.lines.some((line) => / rtp accepted=/.test(line)), 10_000, 'the call to end');
    } finally {
      phone.close();
    }
    expect(service.lines.find((line) => / rtp accepted=/.test(line))).toMatch(/ rtp accepted=5 dropped foreign=0 /);
  }, 30_000);
});

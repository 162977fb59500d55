import { describe, expect, it } from 'vitest';
import { WebRtcOfferError, type OfferProblem } from '../../../src/server/webrtc/webrtc-errors.ts';
import { checkWebRtcOffer } from '../../../src/server/webrtc/webrtc-offer.ts';
import { BROWSER_OFFER, LINPHONE_OFFER } from '../../sdp/helpers/offers.ts';

function refusal(sdp: string): unknown {
  try {
    checkWebRtcOffer(sdp);
  } catch (error) {
    return error;
  }
  return undefined;
}

function expectRefused(sdp: string, problem: OfferProblem): void {
  const error = refusal(sdp);
  expect(error).toBeInstanceOf(WebRtcOfferError);
  expect(error).toMatchObject({ code: 'E_WEBRTC_OFFER', problem });
}

const withoutLine = (prefix: string) => BROWSER_OFFER.split('\r\n').filter((line) => !line.startsWith(prefix)).join('\r\n');

describe('checkWebRtcOffer', () => {
  it('accepts a browser offer with PCMU and its telephone-event type', () => {
    const { audio } = checkWebRtcOffer(BROWSER_OFFER);
    expect(audio.codec).toEqual({ name: 'PCMU', payloadType: 0 });
    expect(audio.telephoneEvent).toEqual({ payloadType: 126, events: '0-15' });
    expect(audio.answerDirection).toBe('sendrecv');
  });

  it('reads a sendonly offer as hold', () => {
    const { audio } = checkWebRtcOffer(BROWSER_OFFER.replace('a=sendrecv', 'a=sendonly'));
    expect([audio.onHold, audio.answerDirection]).toEqual([true, 'recvonly']);
  });

  it('refuses an offer without G.711', () => {
    const opusOnly = BROWSER_OFFER.replace('UDP/TLS/RTP/SAVPF 111 0 8 126', 'UDP/TLS/RTP/SAVPF 111 126');
    expectRefused(opusOnly.split('\r\n').filter((line) => !/^a=rtpmap:[08] /.test(line)).join('\r\n'), 'no-common-codec');
  });

  it('refuses plain RTP, which is not a WebRTC leg', () => {
    expectRefused(LINPHONE_OFFER, 'not-webrtc');
  });

  it('refuses an offer without ICE credentials', () => {
    expectRefused(withoutLine('a=ice-pwd:'), 'no-ice');
  });

  it('refuses an offer without a DTLS fingerprint', () => {
    expectRefused(withoutLine('a=fingerprint:'), 'no-fingerprint');
  });

  it('refuses an offer without rtcp-mux', () => {
    expectRefused(withoutLine('a=rtcp-mux'), 'no-rtcp-mux');
  });

  it('refuses text that is not SDP', () => {
    expectRefused('INVITE sip:x SIP/2.0\r\n', 'malformed');
  });

  it('refuses an offer without an audio stream', () => {
    expectRefused(LINPHONE_OFFER.replace('m=audio 7078', 'm=audio 0'), 'no-audio');
  });
});

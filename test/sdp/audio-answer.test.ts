import { describe, expect, it } from 'vitest';
import { answerAudioOffer, type AudioAnswer } from '../../src/sdp/audio-answer.ts';
import { fmtp, mediaDirection } from '../../src/sdp/media-attributes.ts';
import { parseSdp } from '../../src/sdp/sdp-parser.ts';
import { serializeSdp } from '../../src/sdp/sdp-serializer.ts';
import { intersectEvents } from '../../src/sdp/telephone-event-range.ts';
import { BROWSER_OFFER, LINPHONE_OFFER } from './helpers/offers.ts';

const LOCAL = { address: '192.0.2.1', port: 20000, sessionId: '11', sessionVersion: '1' };

function accepted(result: AudioAnswer) {
  if (!result.ok) throw new Error(`offer refused: ${result.reason}`);
  return result;
}

const offer = (text: string) => answerAudioOffer(parseSdp(text), LOCAL);

describe('answerAudioOffer', () => {
  it('picks the first G.711 codec in the offerer order and keeps telephone-event with its payload type', () => {
    const { answer, audio } = accepted(offer(LINPHONE_OFFER));
    expect(audio.codec).toEqual({ name: 'PCMA', payloadType: 8 });
    expect(audio.telephoneEvent).toEqual({ payloadType: 101, events: '0-15' });
    expect(audio.remote).toEqual({ address: '192.0.2.10', port: 7078 });
    expect([audio.answerDirection, audio.onHold, audio.rtcpMux, audio.ptimeMs]).toEqual(['sendrecv', false, true, 20]);
    expect(serializeSdp(answer)).toBe(
      [
        'v=0',
        'o=- 11 1 IN IP4 192.0.2.1',
        's=-',
        'c=IN IP4 192.0.2.1',
        't=0 0',
        'm=audio 20000 RTP/AVP 8 101',
        'a=rtpmap:8 PCMA/8000',
        'a=rtpmap:101 telephone-event/8000',
        'a=fmtp:101 0-15',
        'a=ptime:20',
        'a=sendrecv',
        'a=rtcp-mux',
        'm=video 0 RTP/AVP 97',
        '',
      ].join('\r\n'),
    );
  });

  it('picks PCMU when the offer lists it before PCMA', () => {
    expect(accepted(offer(LINPHONE_OFFER.replace('96 8 0 101', '0 8 101'))).audio.codec).toEqual({ name: 'PCMU', payloadType: 0 });
  });

  it('accepts G.711 under a dynamic payload type named by rtpmap', () => {
    const text = LINPHONE_OFFER.replace('96 8 0 101', '98 101').replace('a=rtpmap:96 opus/48000/2', 'a=rtpmap:98 pcmu/8000');
    expect(accepted(offer(text)).audio.codec).toEqual({ name: 'PCMU', payloadType: 98 });
  });

  it('says no-common-codec when the offer has no PCMU or PCMA', () => {
    expect(offer(LINPHONE_OFFER.replace('96 8 0 101', '96 101'))).toEqual({ ok: false, reason: 'no-common-codec' });
  });

  it('says no-audio when no audio stream is usable', () => {
    expect(offer(LINPHONE_OFFER.replace('m=audio 7078', 'm=audio 0'))).toEqual({ ok: false, reason: 'no-audio' });
    expect(offer(LINPHONE_OFFER.replace('RTP/AVP 96 8 0 101', 'RTP/SAVP 96 8 0 101'))).toEqual({ ok: false, reason: 'no-audio' });
  });

  it.each([
    ['sendonly', 'recvonly', true],
    ['recvonly', 'sendonly', false],
    ['inactive', 'inactive', true],
    ['sendrecv', 'sendrecv', false],
  ] as const)('answers %s with %s', (offered, answered, onHold) => {
    const { answer, audio } = accepted(offer(LINPHONE_OFFER.replace('a=ptime:20', `a=ptime:20\r\na=${offered}`)));
    expect([audio.offerDirection, audio.answerDirection, audio.onHold]).toEqual([offered, answered, onHold]);
    expect(mediaDirection(answer, answer.media[0]!)).toBe(answered);
  });

  it('sees the old c=0.0.0.0 form as hold', () => {
    const { audio } = accepted(offer(LINPHONE_OFFER.replace('c=IN IP4 192.0.2.10', 'c=IN IP4 0.0.0.0')));
    expect([audio.onHold, audio.remote.address]).toEqual([true, '0.0.0.0']);
  });

  it('leaves telephone-event out when it is not offered, and rtcp-mux out when not offered', () => {
    const text = LINPHONE_OFFER.replace('96 8 0 101', '0').replace('a=rtcp-mux\r\n', '');
    const { answer, audio } = accepted(offer(text));
    expect(audio.telephoneEvent).toBeUndefined();
    expect(answer.media[0]!.formats).toEqual(['0']);
    expect(answer.media[0]!.attributes.some((a) => a.name === 'rtcp-mux')).toBe(false);
  });

  it('answers a WebRTC offer in its profile, passing its ICE and DTLS lines through for the WebRTC layer', () => {
    const local = { ...LOCAL, mediaAttributes: [{ name: 'setup', value: 'active' }] };
    const { answer, audio } = accepted(answerAudioOffer(parseSdp(BROWSER_OFFER), local));
    expect([audio.proto, audio.codec.name, audio.telephoneEvent?.payloadType]).toEqual(['UDP/TLS/RTP/SAVPF', 'PCMU', 126]);
    expect(audio.iceDtls.iceUfrag).toBe('F7gI');
    expect(answer.media[0]!.proto).toBe('UDP/TLS/RTP/SAVPF');
    expect(fmtp(answer.media[0]!, '126')).toBe('0-15');
    expect(answer.media[0]!.attributes.at(-1)).toEqual({ name: 'setup', value: 'active' });
  });
});

describe('intersectEvents', () => {
  it('keeps the DTMF events 0-15 of an offered list', () => {
    expect(intersectEvents('0-16')).toBe('0-15');
    expect(intersectEvents('0-11,16')).toBe('0-11');
    expect(intersectEvents('1,2,3,5')).toBe('1-3,5');
    expect(intersectEvents('16-20')).toBeUndefined();
    expect(intersectEvents('x')).toBeUndefined();
  });
});

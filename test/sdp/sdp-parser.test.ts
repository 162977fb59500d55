import { describe, expect, it } from 'vitest';
import { seededRandom } from '../../src/dsp/random.ts';
import { iceDtlsParameters, fmtp, mediaDirection, ptime, rtpMap } from '../../src/sdp/media-attributes.ts';
import { SdpParseError } from '../../src/sdp/sdp-error.ts';
import { parseSdp } from '../../src/sdp/sdp-parser.ts';
import { serializeSdp } from '../../src/sdp/sdp-serializer.ts';
import { BROWSER_OFFER, LINPHONE_OFFER } from './helpers/offers.ts';

function parseError(text: string): SdpParseError {
  try {
    parseSdp(text);
  } catch (error) {
    expect(error).toBeInstanceOf(SdpParseError);
    return error as SdpParseError;
  }
  throw new Error('expected an SdpParseError');
}

describe('parseSdp', () => {
  it('reads origin, connection, media line and attributes of a softphone offer', () => {
    const sdp = parseSdp(LINPHONE_OFFER);
    expect(sdp.origin).toEqual({ username: 'alice', sessionId: '3456', sessionVersion: '789', addressType: 'IP4', address: '192.0.2.10' });
    expect(sdp.connection).toEqual({ addressType: 'IP4', address: '192.0.2.10' });
    const audio = sdp.media[0]!;
    expect([audio.media, audio.port, audio.proto, audio.formats]).toEqual(['audio', 7078, 'RTP/AVP', ['96', '8', '0', '101']]);
    expect(rtpMap(audio, '96')).toEqual({ encoding: 'opus', clockRate: 48000, channels: 2 });
    expect(rtpMap(audio, '0')).toEqual({ encoding: 'PCMU', clockRate: 8000, channels: 1 });
    expect(fmtp(audio, '101')).toBe('0-16');
    expect(ptime(audio)).toBe(20);
    expect(mediaDirection(sdp, audio)).toBe('sendrecv');
    expect(sdp.media[1]!.media).toBe('video');
  });

  it('takes the session-level direction when the media has none', () => {
    const sdp = parseSdp(LINPHONE_OFFER.replace('t=0 0\r\n', 't=0 0\r\na=sendonly\r\n'));
    expect(mediaDirection(sdp, sdp.media[0]!)).toBe('sendonly');
  });

  it('collects ICE and DTLS attributes without interpreting them', () => {
    const sdp = parseSdp(BROWSER_OFFER);
    expect(iceDtlsParameters(sdp, sdp.media[0]!)).toEqual({
      iceUfrag: 'F7gI',
      icePwd: 'x9cml/YzichV2+XlhiMu8g',
      iceOptions: 'trickle',
      candidates: ['1 1 udp 2122260223 192.0.2.30 54400 typ host generation 0', '2 1 tcp 1518280447 192.0.2.30 9 typ host tcptype active'],
      endOfCandidates: true,
      fingerprint: { hash: 'sha-256', value: '49:66:12:17:0D:1C:91:AE:57:4C:C6:36:DD:D5:97:D2:7D:62:C9:9A:7F:B9:A3:F2:5C:0D:9B:5C:D1:2A:9F:1B' },
      setup: 'actpass',
    });
  });

  it('accepts LF line ends and serializes back with CRLF', () => {
    const sdp = parseSdp(LINPHONE_OFFER.replace(/\r\n/g, '\n'));
    expect(serializeSdp(sdp)).toBe(LINPHONE_OFFER);
  });

  it.each([
    ['bad-version', 'v=1\r\no=- 1 1 IN IP4 a\r\ns=-\r\n'],
    ['bad-line', 'v=0\r\no=- 1 1 IN IP4 a\r\ns=-\r\nnot a line\r\n'],
    ['missing-line', 'v=0\r\ns=-\r\n'],
    ['bad-origin', 'v=0\r\no=- x 1 IN IP4 a\r\ns=-\r\n'],
    ['bad-connection', 'v=0\r\no=- 1 1 IN IP4 a\r\ns=-\r\nc=IN IP9 a\r\n'],
    ['bad-media', 'v=0\r\no=- 1 1 IN IP4 a\r\ns=-\r\nm=audio 99999 RTP/AVP 0\r\n'],
    ['bad-media', 'v=0\r\no=- 1 1 IN IP4 a\r\ns=-\r\nm=audio 4000 RTP/AVP\r\n'],
  ])('rejects a description with %s', (problem, text) => {
    const error = parseError(text);
    expect([error.code, error.problem]).toEqual(['E_SDP_MALFORMED', problem]);
  });

  it('throws only SdpParseError on damaged descriptions', () => {
    const random = seededRandom(4566);
    for (let round = 0; round < 1000; round++) {
      const chars = [...LINPHONE_OFFER];
      for (let i = 0; i < 3; i++) chars[Math.floor(random() * chars.length)] = String.fromCharCode(Math.floor(random() * 128));
      try {
        parseSdp(chars.join(''));
      } catch (error) {
        expect(error).toBeInstanceOf(SdpParseError);
      }
    }
  });
});

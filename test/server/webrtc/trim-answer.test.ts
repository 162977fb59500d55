import { describe, expect, it } from 'vitest';
import { parseSdp } from '../../../src/sdp/sdp-parser.ts';
import { attributeValues } from '../../../src/sdp/session-description.ts';
import { candidateCount, keepCandidatesOn, keepPayloadTypes } from '../../../src/server/webrtc/trim-answer.ts';

const ANSWER = [
  'v=0',
  'o=- 1 0 IN IP4 0.0.0.0',
  's=-',
  't=0 0',
  'm=audio 9 UDP/TLS/RTP/SAVPF 0 110 126',
  'c=IN IP4 0.0.0.0',
  'a=candidate:a 1 udp 2130706431 192.0.2.2 40001 typ host',
  'a=candidate:b 1 udp 2130706431 127.0.0.1 40002 typ host',
  'a=ice-lite',
  'a=rtpmap:0 PCMU/8000',
  'a=rtpmap:110 telephone-event/48000',
  'a=rtpmap:126 telephone-event/8000',
  'a=fmtp:126 0-15',
  '',
].join('\r\n');

describe('keepCandidatesOn', () => {
  it('keeps only the candidates on the listening address and every other attribute', () => {
    const kept = keepCandidatesOn(parseSdp(ANSWER), '127.0.0.1');
    expect(attributeValues(kept.media[0]!.attributes, 'candidate')).toEqual(['b 1 udp 2130706431 127.0.0.1 40002 typ host']);
    expect(kept.media[0]!.attributes.map((attribute) => attribute.name)).toEqual(['candidate', 'ice-lite', 'rtpmap', 'rtpmap', 'rtpmap', 'fmtp']);
    expect(candidateCount(kept)).toBe(1);
  });

  it('leaves no candidate when none is on the address', () => {
    expect(candidateCount(keepCandidatesOn(parseSdp(ANSWER), '10.0.0.1'))).toBe(0);
  });
});

describe('keepPayloadTypes', () => {
  it('keeps only the served payload types and their rtpmap and fmtp lines', () => {
    const kept = keepPayloadTypes(parseSdp(ANSWER), [0, 126]);
    expect(kept.media[0]!.formats).toEqual(['0', '126']);
    expect(attributeValues(kept.media[0]!.attributes, 'rtpmap')).toEqual(['0 PCMU/8000', '126 telephone-event/8000']);
    expect(attributeValues(kept.media[0]!.attributes, 'fmtp')).toEqual(['126 0-15']);
    expect(candidateCount(kept)).toBe(2);
  });
});

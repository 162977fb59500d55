import { describe, expect, it } from 'vitest';
import { parseSdp } from '../../../src/sdp/sdp-parser.ts';
import { attributeValues } from '../../../src/sdp/session-description.ts';
import { candidateCount, keepCandidatesOn } from '../../../src/server/webrtc/answer-candidates.ts';

const ANSWER = [
  'v=0',
  'o=- 1 0 IN IP4 0.0.0.0',
  's=-',
  't=0 0',
  'm=audio 9 UDP/TLS/RTP/SAVPF 0',
  'c=IN IP4 0.0.0.0',
  'a=candidate:a 1 udp 2130706431 192.0.2.2 40001 typ host',
  'a=candidate:b 1 udp 2130706431 127.0.0.1 40002 typ host',
  'a=ice-lite',
  'a=rtpmap:0 PCMU/8000',
  '',
].join('\r\n');

describe('keepCandidatesOn', () => {
  it('keeps only the candidates on the listening address and every other attribute', () => {
    const kept = keepCandidatesOn(parseSdp(ANSWER), '127.0.0.1');
    expect(attributeValues(kept.media[0]!.attributes, 'candidate')).toEqual(['b 1 udp 2130706431 127.0.0.1 40002 typ host']);
    expect(kept.media[0]!.attributes.map((attribute) => attribute.name)).toEqual(['candidate', 'ice-lite', 'rtpmap']);
    expect(candidateCount(kept)).toBe(1);
  });

  it('leaves no candidate when none is on the address', () => {
    expect(candidateCount(keepCandidatesOn(parseSdp(ANSWER), '10.0.0.1'))).toBe(0);
  });
});

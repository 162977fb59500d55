import { describe, expect, it } from 'vitest';
import { seededRandom } from '../../src/dsp/random.ts';
import { RtpParseError } from '../../src/rtp/rtp-error.ts';
import { buildRtpPacket, parseRtpPacket, rtpPacketLength } from '../../src/rtp/rtp-packet.ts';

function parseError(bytes: Uint8Array): RtpParseError {
  try {
    parseRtpPacket(bytes);
  } catch (error) {
    expect(error).toBeInstanceOf(RtpParseError);
    return error as RtpParseError;
  }
  throw new Error('expected an RtpParseError');
}

describe('RTP packets', () => {
  it('reads the fixed header fields from known bytes', () => {
    // V=2 P=0 X=0 CC=0, M=1 PT=0, seq 0xfffe, ts 0x01020304, SSRC 0xdeadbeef, payload ff ff.
    const bytes = Uint8Array.of(0x80, 0x80, 0xff, 0xfe, 1, 2, 3, 4, 0xde, 0xad, 0xbe, 0xef, 0xff, 0xff);
    const packet = parseRtpPacket(bytes);
    expect(packet).toMatchObject({ marker: true, payloadType: 0, sequenceNumber: 0xfffe, timestamp: 0x01020304, ssrc: 0xdeadbeef, csrcs: [], extension: undefined, paddingBytes: 0 });
    expect([...packet.payload]).toEqual([0xff, 0xff]);
  });

  it('round-trips CSRCs, a header extension and padding', () => {
    const fields = {
      marker: false,
      payloadType: 101,
      sequenceNumber: 65535,
      timestamp: 0xffffffff,
      ssrc: 42,
      csrcs: [1, 0x80000000],
      extension: { profile: 0xbede, data: Uint8Array.of(0x10, 0xaa, 0, 0) },
      paddingBytes: 3,
      payload: Uint8Array.of(1, 2, 3, 4),
    };
    const bytes = buildRtpPacket(fields);
    expect(bytes.length).toBe(12 + 8 + 8 + 4 + 3);
    expect(bytes[0]).toBe(0x80 | 0x20 | 0x10 | 2);
    const packet = parseRtpPacket(bytes);
    expect({ ...packet, payload: [...packet.payload], extension: { ...packet.extension, data: [...packet.extension!.data] } }).toEqual({
      ...fields,
      payload: [1, 2, 3, 4],
      extension: { profile: 0xbede, data: [0x10, 0xaa, 0, 0] },
    });
  });

  it('writes the same bytes into a view of a larger buffer as into its own, and refuses a view of the wrong size', () => {
    const fields = {
      marker: true,
      payloadType: 0,
      sequenceNumber: 0x1234,
      timestamp: 0x89abcdef,
      ssrc: 0xfedcba98,
      csrcs: [7],
      extension: { profile: 0xbede, data: Uint8Array.of(1, 2, 3, 4) },
      paddingBytes: 2,
      payload: Uint8Array.from({ length: 160 }, (_, i) => i),
    };
    const length = rtpPacketLength(fields);
    expect(length).toBe(12 + 4 + 8 + 160 + 2);
    const slab = new Uint8Array(length + 20).fill(0xee);
    const written = buildRtpPacket(fields, slab.subarray(10, 10 + length));
    expect([...written]).toEqual([...buildRtpPacket(fields)]);
    expect(written.buffer).toBe(slab.buffer);
    expect([...slab.subarray(0, 10), ...slab.subarray(10 + length)].every((byte) => byte === 0xee)).toBe(true);
    expect(() => buildRtpPacket(fields, new Uint8Array(length - 1))).toThrow(RangeError);
  });

  it('reads a packet inside a larger buffer at an offset', () => {
    const inner = buildRtpPacket({ payloadType: 8, sequenceNumber: 7, timestamp: 160, ssrc: 9, payload: Uint8Array.of(0xd5) });
    const outer = new Uint8Array(inner.length + 5);
    outer.set(inner, 5);
    expect(parseRtpPacket(outer.subarray(5))).toMatchObject({ payloadType: 8, sequenceNumber: 7, ssrc: 9 });
  });

  it.each([
    ['too-short', Uint8Array.of(0x80, 0, 0, 1, 0, 0, 0, 0, 0, 0, 0)],
    ['bad-version', Uint8Array.of(0x40, 0, 0, 1, 0, 0, 0, 0, 0, 0, 0, 1)],
    ['truncated-csrc', Uint8Array.of(0x82, 0, 0, 1, 0, 0, 0, 0, 0, 0, 0, 1, 0, 0, 0, 1)],
    ['truncated-extension', Uint8Array.of(0x90, 0, 0, 1, 0, 0, 0, 0, 0, 0, 0, 1, 0xbe, 0xde, 0, 2, 0, 0, 0, 0)],
    ['bad-padding', Uint8Array.of(0xa0, 0, 0, 1, 0, 0, 0, 0, 0, 0, 0, 1, 9, 9, 0)],
    ['bad-padding', Uint8Array.of(0xa0, 0, 0, 1, 0, 0, 0, 0, 0, 0, 0, 1, 9, 9, 4)],
  ])('rejects a %s packet', (problem, bytes) => {
    const error = parseError(bytes);
    expect([error.code, error.problem]).toEqual(['E_RTP_PACKET', problem]);
  });

  it('throws only RtpParseError on random bytes', () => {
    const random = seededRandom(3550);
    for (let round = 0; round < 2000; round++) {
      const bytes = new Uint8Array(Math.floor(random() * 40));
      for (let i = 0; i < bytes.length; i++) bytes[i] = Math.floor(random() * 256);
      if (bytes.length > 0 && round % 2 === 0) bytes[0] = 0x80 | (bytes[0]! & 0x3f);
      try {
        const packet = parseRtpPacket(bytes);
        expect(packet.payload.length).toBeLessThanOrEqual(bytes.length - 12);
      } catch (error) {
        expect(error).toBeInstanceOf(RtpParseError);
      }
    }
  });
});

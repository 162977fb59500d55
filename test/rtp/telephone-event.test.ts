import { describe, expect, it } from 'vitest';
import { DTMF_KEYS } from '../../src/dsp/dtmf-keys.ts';
import { RtpParseError } from '../../src/rtp/rtp-error.ts';
import { buildTelephoneEvent, eventKey, keyEvent, parseTelephoneEvent } from '../../src/rtp/telephone-event.ts';

describe('telephone-event payload', () => {
  it('reads event, E bit, volume and duration from known bytes', () => {
    // Event 11 (#), E set, R set (ignored), volume 10, duration 0x0640.
    expect(parseTelephoneEvent(Uint8Array.of(11, 0xca, 0x06, 0x40))).toEqual({ event: 11, end: true, volume: 10, duration: 1600 });
  });

  it('builds the bytes back with the reserved bit clear', () => {
    expect([...buildTelephoneEvent({ event: 11, end: true, volume: 10, duration: 1600 })]).toEqual([11, 0x8a, 0x06, 0x40]);
    expect([...buildTelephoneEvent({ event: 0, end: false, volume: 63, duration: 0xffff })]).toEqual([0, 63, 0xff, 0xff]);
  });

  it('rejects payloads that are not 4 bytes and fields out of range', () => {
    expect(() => parseTelephoneEvent(Uint8Array.of(1, 2, 3, 4, 5))).toThrow(RtpParseError);
    expect(() => buildTelephoneEvent({ event: 1, end: false, volume: 64, duration: 0 })).toThrow(RangeError);
  });

  it('maps event codes 0-15 to keys and back (RFC 4733 section 3.2)', () => {
    expect(Array.from({ length: 16 }, (_, code) => eventKey(code)).join('')).toBe('0123456789*#ABCD');
    expect(eventKey(16)).toBeUndefined();
    for (const key of DTMF_KEYS) expect(eventKey(keyEvent(key))).toBe(key);
  });
});

import { describe, expect, it } from 'vitest';
import { advertisedAddress } from '../../../src/server/sip/advertised-address.ts';

describe('advertisedAddress', () => {
  it('names a specific bind address as it is', () => {
    expect(advertisedAddress('127.0.0.1', 'sip:123456@192.0.2.7')).toBe('127.0.0.1');
    expect(advertisedAddress('192.0.2.10', 'sip:ivr@example.com')).toBe('192.0.2.10');
  });

  it('names the address the caller dialled on a wildcard bind, never 0.0.0.0', () => {
    expect(advertisedAddress('0.0.0.0', 'sip:123456@192.0.2.7:5060;transport=udp')).toBe('192.0.2.7');
    expect(advertisedAddress('::', 'sip:ivr@[2001:db8::7]:5060')).toBe('2001:db8::7');
  });

  it('falls back to loopback when the Request-URI names no usable address', () => {
    expect(advertisedAddress('0.0.0.0', 'sip:ivr@ivr.example.com')).toBe('127.0.0.1');
    expect(advertisedAddress('0.0.0.0', 'sip:ivr@0.0.0.0')).toBe('127.0.0.1');
    expect(advertisedAddress('0.0.0.0', 'sip:ivr@[2001:db8::7]')).toBe('127.0.0.1');
    expect(advertisedAddress('::', 'sip:ivr@192.0.2.7')).toBe('::1');
  });
});

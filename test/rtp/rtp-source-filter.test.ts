import { describe, expect, it } from 'vitest';
import { RtpSourceFilter, usableAddress } from '../../src/rtp/rtp-source-filter.ts';

describe('RtpSourceFilter', () => {
  it('accepts only the address and port of the offer', () => {
    const filter = new RtpSourceFilter({ address: '127.0.0.1', port: 6000 }, '127.0.0.1');
    expect(filter.check({ address: '127.0.0.1', port: 6000 })).toBe('accept');
    expect(filter.check({ address: '127.0.0.1', port: 6002 })).toBe('foreign');
    expect(filter.check({ address: '203.0.113.9', port: 6000 })).toBe('foreign');
    expect(filter.check({ address: '::ffff:127.0.0.1', port: 6000 })).toBe('accept');
  });

  it('latches the first source when the offer says 0.0.0.0, then refuses others', () => {
    const filter = new RtpSourceFilter({ address: '0.0.0.0', port: 6000 }, '198.51.100.7');
    expect(filter.source).toBeUndefined();
    expect(filter.check({ address: '198.51.100.7', port: 40000 })).toBe('latched');
    expect(filter.check({ address: '198.51.100.7', port: 40000 })).toBe('accept');
    expect(filter.check({ address: '198.51.100.8', port: 40000 })).toBe('foreign');
    expect(filter.source).toEqual({ address: '198.51.100.7', port: 40000 });
  });

  it('latches when the offer names a private address the SIP request did not come from (NAT)', () => {
    expect(usableAddress({ address: '192.168.1.20', port: 4000 }, '198.51.100.7')).toBe(false);
    expect(usableAddress({ address: '10.0.0.5', port: 4000 }, '10.0.0.5')).toBe(true);
    expect(usableAddress({ address: '172.20.0.5', port: 4000 }, '198.51.100.7')).toBe(false);
    expect(usableAddress({ address: 'fd00::5', port: 4000 }, '2001:db8::1')).toBe(false);
    expect(usableAddress({ address: '198.51.100.9', port: 4000 }, '198.51.100.7')).toBe(true);
    expect(usableAddress({ address: '198.51.100.9', port: 0 }, '198.51.100.7')).toBe(false);
  });

  it('latches when a caller on loopback offers another address of its host (baresip 1.0, liblinphone 5)', () => {
    expect(usableAddress({ address: '192.0.2.2', port: 4000 }, '127.0.0.1')).toBe(false);
    expect(usableAddress({ address: '2001:db8::2', port: 4000 }, '::ffff:127.0.0.1')).toBe(false);
    expect(usableAddress({ address: '127.0.0.1', port: 4000 }, '127.0.0.1')).toBe(true);
    expect(usableAddress({ address: '::1', port: 4000 }, '::1')).toBe(true);
    const filter = new RtpSourceFilter({ address: '192.0.2.2', port: 4000 }, '127.0.0.1');
    expect(filter.check({ address: '127.0.0.1', port: 4000 })).toBe('latched');
    expect(filter.check({ address: '127.0.0.1', port: 4002 })).toBe('foreign');
  });

  it('moves to the address of a new usable offer and keeps a latch on an unusable one', () => {
    const filter = new RtpSourceFilter({ address: '0.0.0.0', port: 0 }, '198.51.100.7');
    filter.check({ address: '198.51.100.7', port: 40000 });
    filter.update({ address: '0.0.0.0', port: 0 }, '198.51.100.7');
    expect(filter.check({ address: '198.51.100.7', port: 40000 })).toBe('accept');
    filter.update({ address: '198.51.100.7', port: 41000 }, '198.51.100.7');
    expect(filter.check({ address: '198.51.100.7', port: 40000 })).toBe('foreign');
    expect(filter.check({ address: '198.51.100.7', port: 41000 })).toBe('accept');
  });
});

import { describe, expect, it } from 'vitest';
import { parseDtmfInfo } from '../../../src/sip/message/dtmf-info-body.ts';

const bytes = (text: string) => new TextEncoder().encode(text);

describe('parseDtmfInfo', () => {
  it('reads the key and duration of an application/dtmf-relay body as JsSIP and SIP.js send it', () => {
    expect(parseDtmfInfo('application/dtmf-relay', bytes('Signal=5\r\nDuration=160\r\n'))).toEqual({ key: '5', durationMs: 160 });
    expect(parseDtmfInfo('Application/DTMF-Relay; charset=utf-8', bytes('Signal= #\nDuration= 100'))).toEqual({ key: '#', durationMs: 100 });
  });

  it('reads the event codes 10 and 11 as * and #', () => {
    expect(parseDtmfInfo('application/dtmf-relay', bytes('Signal=10\r\n'))?.key).toBe('*');
    expect(parseDtmfInfo('application/dtmf-relay', bytes('Signal=11\r\n'))?.key).toBe('#');
  });

  it('reads an application/dtmf body as the key itself', () => {
    expect(parseDtmfInfo('application/dtmf', bytes('7\r\n'))).toEqual({ key: '7', durationMs: 0 });
    expect(parseDtmfInfo('application/dtmf', bytes('b'))).toEqual({ key: 'B', durationMs: 0 });
  });

  it('finds no key in other bodies, unknown signals, or oversized bodies', () => {
    expect(parseDtmfInfo('application/sdp', bytes('Signal=5'))).toBeUndefined();
    expect(parseDtmfInfo(undefined, bytes('Signal=5'))).toBeUndefined();
    expect(parseDtmfInfo('application/dtmf-relay', bytes('Signal=55\r\nDuration=160'))).toBeUndefined();
    expect(parseDtmfInfo('application/dtmf-relay', bytes('Duration=160'))).toBeUndefined();
    expect(parseDtmfInfo('application/dtmf', bytes('12'))).toBeUndefined();
    expect(parseDtmfInfo('application/dtmf-relay', bytes(`Signal=5\r\n${'x'.repeat(300)}`))).toBeUndefined();
  });

  it('caps a stated duration and ignores a malformed one', () => {
    expect(parseDtmfInfo('application/dtmf-relay', bytes('Signal=1\r\nDuration=999999'))?.durationMs).toBe(60_000);
    expect(parseDtmfInfo('application/dtmf-relay', bytes('Signal=1\r\nDuration=-5'))?.durationMs).toBe(0);
  });
});

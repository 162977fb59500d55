import { describe, expect, it } from 'vitest';
import { callIdOf, workerFor } from '../../../src/server/cluster/call-id-route.ts';

const bytes = (text: string) => new TextEncoder().encode(text);

const invite = (callIdLine: string, body = '') =>
  bytes(`INVITE sip:ivr@127.0.0.1 SIP/2.0\r\nVia: SIP/2.0/UDP 127.0.0.1:5070;branch=z9hG4bK1\r\n${callIdLine}\r\nCSeq: 1 INVITE\r\nContent-Length: ${body.length}\r\n\r\n${body}`);

describe('callIdOf', () => {
  it('reads the Call-ID header in any case, and its compact form i', () => {
    expect(callIdOf(invite('Call-ID: a84b4c76e66710@pc33'))).toBe('a84b4c76e66710@pc33');
    expect(callIdOf(invite('call-id:a84b4c76e66710'))).toBe('a84b4c76e66710');
    expect(callIdOf(invite('i: f81d4fae  '))).toBe('f81d4fae');
  });

  it('reads headers only, never the body', () => {
    expect(callIdOf(invite('Subject: x', 'Call-ID: from-the-body\r\n'))).toBeUndefined();
  });

  it('finds none in a keep-alive or in bytes that are not SIP', () => {
    expect(callIdOf(bytes('\r\n\r\n'))).toBeUndefined();
    expect(callIdOf(Uint8Array.from([0xff, 0x00, 0x13]))).toBeUndefined();
  });
});

describe('workerFor', () => {
  it('sends one Call-ID to one worker every time, and none-at-all to the first', () => {
    expect(workerFor('a84b4c76e66710@pc33', 4)).toBe(workerFor('a84b4c76e66710@pc33', 4));
    expect(workerFor(undefined, 4)).toBe(0);
  });

  it('spreads Call-IDs over every worker', () => {
    const counts = [0, 0, 0];
    for (let i = 0; i < 3000; i++) counts[workerFor(`call-${i}@host`, 3)]!++;
    for (const count of counts) expect(count).toBeGreaterThan(800);
  });
});

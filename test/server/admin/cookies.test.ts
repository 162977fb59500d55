import type { IncomingMessage } from 'node:http';
import { describe, expect, it } from 'vitest';
import { clearedCookie, readCookie, sessionCookie } from '../../../src/server/admin/cookies.ts';

const request = (cookie: string | undefined, encrypted = false) => ({ headers: cookie === undefined ? {} : { cookie }, socket: { encrypted } }) as unknown as IncomingMessage;

describe('session cookies', () => {
  it('reads the named cookie and ignores values a session token cannot have', () => {
    expect(readCookie(request('a=1; dialin_admin=abc_DEF-123; b=2'), 'dialin_admin')).toBe('abc_DEF-123');
    expect(readCookie(request('dialin_admin="><script>'), 'dialin_admin')).toBeUndefined();
    expect(readCookie(request('xdialin_admin=abc'), 'dialin_admin')).toBeUndefined();
    expect(readCookie(request(undefined), 'dialin_admin')).toBeUndefined();
  });

  it('is Secure only on a request that came over TLS', () => {
    expect(sessionCookie(request(undefined), 'dialin_me', 'tok')).toBe('dialin_me=tok; Path=/; HttpOnly; SameSite=Strict');
    expect(sessionCookie(request(undefined, true), 'dialin_me', 'tok')).toBe('dialin_me=tok; Path=/; HttpOnly; SameSite=Strict; Secure');
    expect(clearedCookie(request(undefined), 'dialin_me')).toBe('dialin_me=; Path=/; HttpOnly; SameSite=Strict; Max-Age=0');
  });

  it('refuses to write a value that could split the header', () => {
    expect(() => sessionCookie(request(undefined), 'dialin_me', 'a;b')).toThrow(RangeError);
  });
});

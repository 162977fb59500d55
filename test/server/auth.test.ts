import type { IncomingMessage } from 'node:http';
import { describe, expect, it } from 'vitest';
import { createAuthorizer, presentedToken, tokenMatches } from '../../src/server/auth.ts';

const request = (url: string, authorization?: string) =>
  ({ url, headers: authorization === undefined ? {} : { authorization } }) as unknown as IncomingMessage;

describe('auth', () => {
  it('reads the token from a bearer header before the query string', () => {
    expect(presentedToken(request('/call?token=query', 'Bearer header'))).toBe('header');
    expect(presentedToken(request('/call?token=query'))).toBe('query');
    expect(presentedToken(request('/call', 'Basic abc'))).toBeUndefined();
  });

  it('accepts only the exact token, of any length', () => {
    expect(tokenMatches('open-sesame', 'open-sesame')).toBe(true);
    expect(tokenMatches('open-sesame', 'open-sesam')).toBe(false);
    expect(tokenMatches('open-sesame', 'open-sesame!')).toBe(false);
    expect(tokenMatches('open-sesame', undefined)).toBe(false);
    expect(tokenMatches('', undefined)).toBe(false);
  });

  it('lets everything through when no token is configured', () => {
    expect(createAuthorizer(undefined)(request('/call'))).toBe(true);
    expect(createAuthorizer('open-sesame')(request('/call'))).toBe(false);
    expect(createAuthorizer('open-sesame')(request('/call?token=open-sesame'))).toBe(true);
  });
});

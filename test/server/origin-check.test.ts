import { describe, expect, it } from 'vitest';
import { originAllowed, originProblem } from '../../src/server/origin-check.ts';

describe('originAllowed', () => {
  it('lets clients that send no Origin through (platforms, tools)', () => {
    expect(originAllowed(undefined, '127.0.0.1:8080', [])).toBe(true);
  });

  it("lets the server's own pages through, whatever the Host's case", () => {
    expect(originAllowed('http://127.0.0.1:8080', '127.0.0.1:8080', [])).toBe(true);
    expect(originAllowed('http://localhost:8080', 'LOCALHOST:8080', [])).toBe(true);
    expect(originAllowed('https://ivr.example.com', 'ivr.example.com', [])).toBe(true);
  });

  it('refuses other sites, another port of the same host, opaque and malformed origins', () => {
    expect(originAllowed('https://evil.example', '127.0.0.1:8080', [])).toBe(false);
    expect(originAllowed('http://127.0.0.1:9999', '127.0.0.1:8080', [])).toBe(false);
    expect(originAllowed('null', '127.0.0.1:8080', [])).toBe(false);
    expect(originAllowed('file:///tmp/x.html', '127.0.0.1:8080', [])).toBe(false);
    expect(originAllowed('http://127.0.0.1:8080', undefined, [])).toBe(false);
  });

  it('admits listed origins exactly, or any with *', () => {
    expect(originAllowed('https://app.example.com', '127.0.0.1:8080', ['https://app.example.com'])).toBe(true);
    expect(originAllowed('https://app.example.com:444', '127.0.0.1:8080', ['https://app.example.com'])).toBe(false);
    expect(originAllowed('https://evil.example', '127.0.0.1:8080', ['*'])).toBe(true);
  });
});

describe('originProblem', () => {
  it('accepts origins as browsers send them, and *', () => {
    for (const origin of ['https://app.example.com', 'http://127.0.0.1:5173', '*']) expect(originProblem(origin)).toBeUndefined();
  });

  it('names what is wrong with a path, a trailing slash or no scheme', () => {
    for (const origin of ['https://app.example.com/', 'https://app.example.com/phone', 'app.example.com', 'ws://x.example']) {
      expect(originProblem(origin)).toMatch(/is not an origin: write it as a browser sends it/);
    }
  });
});

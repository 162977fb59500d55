import * as crypto from 'node:crypto';
import { describe, expect, it, vi } from 'vitest';
import { DirectoryError } from '../../src/directory/errors.ts';
import {
  DEFAULT_SCRYPT_COST,
  hashPin,
  needsRehash,
  parsePinHash,
  verifyPin,
} from '../../src/directory/pin-hash.ts';
import { FAST_COST } from './helpers.ts';

vi.mock('node:crypto', async (importOriginal) => {
  const original = await importOriginal<typeof import('node:crypto')>();
  return { ...original, timingSafeEqual: vi.fn(original.timingSafeEqual) };
});

describe('PIN hashes', () => {
  it('records the scrypt parameters, a 16-byte salt and a 32-byte key', async () => {
    const encoded = await hashPin('24680', FAST_COST);
    expect(encoded).toMatch(/^scrypt\$1024\$8\$1\$[A-Za-z0-9+/=]+\$[A-Za-z0-9+/=]+$/);
    const parsed = parsePinHash(encoded);
    expect(parsed.cost).toEqual(FAST_COST);
    expect(parsed.salt).toHaveLength(16);
    expect(parsed.key).toHaveLength(32);
    expect(encoded).not.toContain('24680');
  });

  it('salts each hash differently', async () => {
    const [a, b] = await Promise.all([hashPin('24680', FAST_COST), hashPin('24680', FAST_COST)]);
    expect(a).not.toBe(b);
    expect(await verifyPin('24680', a)).toBe(true);
    expect(await verifyPin('24680', b)).toBe(true);
  });

  it('verifies the right PIN and rejects others, including a prefix and an extension of it', async () => {
    const encoded = await hashPin('24680', FAST_COST);
    expect(await verifyPin('24680', encoded)).toBe(true);
    for (const wrong of ['24681', '2468', '246800', '', '08642']) expect(await verifyPin(wrong, encoded)).toBe(false);
  });

  it('compares keys with crypto.timingSafeEqual', async () => {
    const spy = vi.mocked(crypto.timingSafeEqual);
    spy.mockClear();
    const encoded = await hashPin('24680', FAST_COST);
    await verifyPin('13579', encoded);
    await verifyPin('24680', encoded);
    expect(spy).toHaveBeenCalledTimes(2);
    expect(spy.mock.results.map((result) => result.value)).toEqual([false, true]);
  });

  it('uses N=16384, r=8, p=1 by default and verifies such hashes', async () => {
    expect(DEFAULT_SCRYPT_COST).toEqual({ N: 16384, r: 8, p: 1 });
    const encoded = await hashPin('975318');
    expect(encoded.startsWith('scrypt$16384$8$1$')).toBe(true);
    expect(await verifyPin('975318', encoded)).toBe(true);
  });

  it('asks for a re-hash only when the stored cost is lower', async () => {
    const cheap = await hashPin('24680', FAST_COST);
    expect(needsRehash(cheap, DEFAULT_SCRYPT_COST)).toBe(true);
    expect(needsRehash(cheap, FAST_COST)).toBe(false);
  });

  it('refuses a malformed stored hash with E_DB_CORRUPT', async () => {
    for (const bad of ['', 'plain-text', 'scrypt$1000$8$1$c2FsdA==$a2V5', 'bcrypt$1024$8$1$c2FsdA==$a2V5']) {
      await expect(verifyPin('24680', bad)).rejects.toSatisfy(
        (error: unknown) => error instanceof DirectoryError && error.code === 'E_DB_CORRUPT',
      );
    }
  });
});

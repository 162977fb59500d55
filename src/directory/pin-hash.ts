/**
 * PIN hashes: scrypt (RFC 7914) with a random 16-byte salt per PIN. The cost
 * parameters are stored with each hash, so raising them later only affects
 * new hashes and the old ones still verify. node:crypto runs scrypt on the
 * libuv thread pool, so a verification never blocks the event loop.
 *
 * Stored form: `scrypt$N$r$p$<salt base64>$<key base64>`.
 */
import { randomBytes, scrypt, timingSafeEqual, type ScryptOptions } from 'node:crypto';
import { DirectoryError } from './errors.ts';

export interface ScryptCost {
  /** CPU/memory cost, a power of two. Memory used is 128 * N * r bytes. */
  readonly N: number;
  /** Block size. */
  readonly r: number;
  /** Parallelisation. */
  readonly p: number;
}

/**
 * N = 2^14, r = 8, p = 1: 16 MiB and roughly 40-50 ms per hash on one core
 * of a 2020s server (bench/directory.ts measures it). A short numeric PIN
 * is protected by the lockout far more than by the hash; the hash is there
 * so that a copied database file does not give the PINs away cheaply.
 */
export const DEFAULT_SCRYPT_COST: ScryptCost = { N: 16_384, r: 8, p: 1 };

const SALT_BYTES = 16;
const KEY_BYTES = 32;
const PREFIX = 'scrypt';

function scryptAsync(pin: string, salt: Buffer, keyBytes: number, cost: ScryptCost): Promise<Buffer> {
  const options: ScryptOptions = { N: cost.N, r: cost.r, p: cost.p, maxmem: 256 * cost.N * cost.r * cost.p + 1_048_576 };
  return new Promise((resolve, reject) => {
    scrypt(pin, salt, keyBytes, options, (error, key) => (error ? reject(error) : resolve(key)));
  });
}

export function checkScryptCost(cost: ScryptCost): void {
  const powerOfTwo = Number.isInteger(cost.N) && cost.N > 1 && (cost.N & (cost.N - 1)) === 0;
  if (!powerOfTwo || !Number.isInteger(cost.r) || cost.r < 1 || !Number.isInteger(cost.p) || cost.p < 1) {
    throw new RangeError(`invalid scrypt cost N=${cost.N} r=${cost.r} p=${cost.p}`);
  }
}

export async function hashPin(pin: string, cost: ScryptCost = DEFAULT_SCRYPT_COST): Promise<string> {
  checkScryptCost(cost);
  const salt = randomBytes(SALT_BYTES);
  const key = await scryptAsync(pin, salt, KEY_BYTES, cost);
  return [PREFIX, cost.N, cost.r, cost.p, salt.toString('base64'), key.toString('base64')].join('$');
}

export interface ParsedPinHash {
  readonly cost: ScryptCost;
  readonly salt: Buffer;
  readonly key: Buffer;
}

export function parsePinHash(encoded: string): ParsedPinHash {
  const parts = encoded.split('$');
  const [prefix, n, r, p, salt, key] = parts;
  const cost = { N: Number(n), r: Number(r), p: Number(p) };
  if (parts.length !== 6 || prefix !== PREFIX || salt === undefined || key === undefined) {
    throw new DirectoryError('E_DB_CORRUPT', 'a stored PIN hash is not in the scrypt$N$r$p$salt$key form');
  }
  try {
    checkScryptCost(cost);
  } catch {
    throw new DirectoryError('E_DB_CORRUPT', 'a stored PIN hash has invalid scrypt parameters');
  }
  const keyBuffer = Buffer.from(key, 'base64');
  if (keyBuffer.length === 0) throw new DirectoryError('E_DB_CORRUPT', 'a stored PIN hash has an empty key');
  return { cost, salt: Buffer.from(salt, 'base64'), key: keyBuffer };
}

/** Whether `pin` hashes to `encoded`; the comparison takes the same time wherever the keys differ. */
export async function verifyPin(pin: string, encoded: string): Promise<boolean> {
  const stored = parsePinHash(encoded);
  const key = await scryptAsync(pin, stored.salt, stored.key.length, stored.cost);
  return timingSafeEqual(key, stored.key);
}

/** Whether a stored hash was made with a lower cost than `cost` and should be replaced at the next logon. */
export function needsRehash(encoded: string, cost: ScryptCost = DEFAULT_SCRYPT_COST): boolean {
  const stored = parsePinHash(encoded).cost;
  return stored.N < cost.N || stored.r < cost.r || stored.p < cost.p;
}

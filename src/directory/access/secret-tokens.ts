/**
 * Bearer tokens for web sessions and sign-in links: 256 random bits, sent
 * as base64url and stored only as their SHA-256. A token is not a password:
 * with 2^256 possible values nobody can guess one, so a fast unsalted hash
 * is enough to make a copied database useless for signing in, and the
 * lookup by hash gives a timing observer nothing (they cannot choose the
 * hash of what they send).
 */
import { createHash, randomBytes } from 'node:crypto';

const TOKEN_BYTES = 32;
/** base64url of 32 bytes, without padding. */
const TOKEN_PATTERN = /^[A-Za-z0-9_-]{43}$/;

export function newToken(): string {
  return randomBytes(TOKEN_BYTES).toString('base64url');
}

/** Whether `text` has the shape of a token; anything else is unknown without a database read. */
export function isTokenShaped(text: string): boolean {
  return TOKEN_PATTERN.test(text);
}

export function tokenHash(token: string): string {
  return createHash('sha256').update(token).digest('hex');
}

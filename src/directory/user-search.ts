/**
 * Finding users for the admin center's list: by text over display name,
 * id, e-mail, phone and extension, and by PIN state. Phone numbers and
 * extensions also match by their digits alone, so '555 803' finds
 * '+1 (555) 803-9175'.
 */
import type { DirectoryStore } from './directory-store.ts';
import { digitsOf } from './pin-policy.ts';
import { readStatus, type PinStatus } from './pin-status.ts';
import type { UserRecord } from './records.ts';

export interface UserQuery {
  /** Words that must each appear (case-insensitive) in one of the fields; empty or absent: everyone. */
  readonly text?: string | undefined;
  /** Only users whose PIN is locked now (true) or is not (false). */
  readonly locked?: boolean | undefined;
  /** Only users whose PIN must be changed at the next dial-in (true) or need not (false). */
  readonly expired?: boolean | undefined;
  /** Only users without a PIN (true) or with one (false). */
  readonly noPin?: boolean | undefined;
}

export interface UserMatch {
  readonly user: UserRecord;
  readonly status: PinStatus;
}

function matchesWord(user: UserRecord, word: string): boolean {
  const fields = [user.name, user.id, user.email, user.phone ?? '', user.extension ?? ''];
  if (fields.some((field) => field.toLowerCase().includes(word))) return true;
  const digits = digitsOf(word);
  // Only a word that is a number (with punctuation) is compared digit by digit.
  return digits !== '' && digits.length === word.replace(/[\s()./+-]/g, '').length &&
    [user.phone, user.extension].some((field) => digitsOf(field).includes(digits));
}

export async function searchUsers(store: DirectoryStore, nowMs: number, query: UserQuery): Promise<UserMatch[]> {
  const words = (query.text ?? '').toLowerCase().split(/\s+/).filter(Boolean);
  const matches: UserMatch[] = [];
  for (const user of await store.listUsers()) {
    if (!words.every((word) => matchesWord(user, word))) continue;
    const status = await readStatus(store, user.id, nowMs);
    if (query.locked !== undefined && status.lockedOut !== query.locked) continue;
    if (query.expired !== undefined && status.pinExpired !== query.expired) continue;
    if (query.noPin !== undefined && status.pinSet === query.noPin) continue;
    matches.push({ user, status });
  }
  return matches;
}

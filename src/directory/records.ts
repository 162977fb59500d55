/**
 * Users and conferences as the directory stores them, and the checks every
 * way in (deployment file, API) applies to them.
 */
import { SITE_PATTERN } from './policy-scope.ts';
import { describe, isEmailAddress } from './settings.ts';

export interface UserRecord {
  /** Short stable id used on the command line (`amos`). */
  readonly id: string;
  /** Display name, used in PIN mails. */
  readonly name: string;
  /** Where PIN mails go (unless the tenant overrides the address). */
  readonly email: string;
  /** Phone number in any notation; only its digits are compared with PINs. */
  readonly phone: string | null;
  /** Internal extension; only its digits are compared with PINs. */
  readonly extension: string | null;
  /** The site the user belongs to, whose PIN policy applies unless the user has one; null or absent: none. */
  readonly site?: string | null | undefined;
}

export interface ConferenceRecord {
  /** The digits a caller keys in. */
  readonly id: string;
  /** User id of the organizer, whose PIN starts the meeting. */
  readonly organizerId: string;
  /**
   * Whether this meeting may start without its leader; null follows the
   * tenant. This is also the conference's "leader required" switch: a
   * conference that needs no leader is one that may start anonymously.
   */
  readonly allowAnonymousStart: boolean | null;
}

export const USER_ID_PATTERN = /^[A-Za-z0-9][A-Za-z0-9._@-]{0,63}$/;
export const CONFERENCE_ID_PATTERN = /^[0-9]{1,24}$/;
/** Phone numbers and extensions: digits with the usual punctuation. */
const PHONE_PATTERN = /^\+?[0-9 ()./-]{1,32}$/;

export interface RecordProblem {
  /** The field, relative to the record (`email`). */
  readonly field: string;
  readonly problem: string;
}

export function userProblem(user: UserRecord): RecordProblem | undefined {
  if (!USER_ID_PATTERN.test(user.id)) {
    return { field: 'id', problem: `must be letters, digits, '.', '_', '@' or '-' (at most 64), got ${describe(user.id)}` };
  }
  if (user.name.trim() === '') return { field: 'name', problem: 'must not be empty' };
  if (!isEmailAddress(user.email)) {
    return { field: 'email', problem: `must be an e-mail address, got ${describe(user.email)}` };
  }
  for (const field of ['phone', 'extension'] as const) {
    const value = user[field];
    if (value !== null && (!PHONE_PATTERN.test(value) || !/[0-9]/.test(value))) {
      return { field, problem: `must be digits (with + ( ) - . or spaces), got ${describe(value)}` };
    }
  }
  if (user.site != null && !SITE_PATTERN.test(user.site)) {
    return { field: 'site', problem: `must be letters, digits, '.', '_' or '-' (at most 64), got ${describe(user.site)}` };
  }
  return undefined;
}

export function conferenceProblem(conference: ConferenceRecord): RecordProblem | undefined {
  if (!CONFERENCE_ID_PATTERN.test(conference.id)) {
    return { field: 'id', problem: `must be 1 to 24 digits, got ${describe(conference.id)}` };
  }
  if (!USER_ID_PATTERN.test(conference.organizerId)) {
    return { field: 'organizer', problem: `must be a user id, got ${describe(conference.organizerId)}` };
  }
  return undefined;
}

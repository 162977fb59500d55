/**
 * Giving a meeting a new random conference ID, as an admin does when the
 * old one has leaked. The old ID stops working at once (a caller keying it
 * is told there is no such conference) and is remembered as retired, so a
 * deployment file that still lists it updates the meeting under its new ID
 * instead of bringing the old one back.
 */
import { randomInt } from 'node:crypto';
import { recordAudit } from './audit-log.ts';
import type { Clock } from './clock.ts';
import type { DirectoryStore } from './directory-store.ts';
import type { MailMessage } from './mail/mail-message.ts';
import { noticeAddress } from './mail/notice-address.ts';
import { composeConferenceIdMail } from './mail/notice-mails.ts';

/**
 * Digits in a new conference ID: the old ID's count, and never fewer than
 * 6 (the sample deployment's IDs), so that a reset does not make an ID
 * easier to guess than the one it replaces.
 */
const MIN_NEW_ID_DIGITS = 6;
const MAX_DRAWS = 1000;

export interface ConferenceIdReset {
  readonly oldId: string;
  readonly newId: string;
  readonly organizerId: string;
  /** Where the new ID was mailed, or null when the tenant sends no mail. */
  readonly mailedTo: string | null;
  /** Why the mail was not delivered (one line naming the server); null when it was, or none was sent. */
  readonly mailError: string | null;
}

/** The new ID, stored, and the mail to send to the organizer once it is (the caller sends it: PinDirectory). */
export function resetConferenceId(
  store: DirectoryStore,
  clock: Clock,
  conferenceId: string,
  actor: string | null,
): Promise<{ reset: Omit<ConferenceIdReset, 'mailError'>; mail: MailMessage | null }> {
  return store.write('give the conference a new ID', async (tx) => {
    const conference = await tx.requireConference(conferenceId);
    const user = await tx.requireUser(conference.organizerId);
    const digits = Math.max(MIN_NEW_ID_DIGITS, conferenceId.length);
    const newId = await drawUnusedId(tx, digits);
    const now = clock.now();
    await tx.q.updateTable('conferences').set({ id: newId }).where('id', '=', conferenceId).execute();
    // Older IDs of this meeting now point at the newest one, so one lookup always finds it.
    await tx.q.updateTable('retired_conference_ids').set({ replaced_by: newId }).where('replaced_by', '=', conferenceId).execute();
    await tx.q.insertInto('retired_conference_ids').values({ id: conferenceId, replaced_by: newId, retired_at: now }).execute();
    const to = noticeAddress(await tx.getTenant(), user.email);
    const mail = to === null ? null : { to, userId: user.id, atMs: now, ...composeConferenceIdMail(user.name, conferenceId, newId) };
    const detail = `conference ${conferenceId} is now ${newId}; ${to === null ? 'not mailed' : `mailed to ${to}`}`;
    await recordAudit(tx, now, user.id, 'conference-id', detail, actor);
    return { reset: { oldId: conferenceId, newId, organizerId: user.id, mailedTo: to }, mail };
  });
}

async function drawUnusedId(store: DirectoryStore, digits: number): Promise<string> {
  for (let draw = 0; draw < MAX_DRAWS; draw++) {
    // The first digit is never 0, so the ID keeps its length however it is written down.
    let id = String(1 + randomInt(9));
    while (id.length < digits) id += String(randomInt(10));
    const taken =
      (await store.q.selectFrom('conferences').select('id').where('id', '=', id).executeTakeFirst()) ??
      (await store.q.selectFrom('retired_conference_ids').select('id').where('id', '=', id).executeTakeFirst());
    if (!taken) return id;
  }
  throw new Error(`no unused ${digits}-digit conference ID in ${MAX_DRAWS} draws`);
}

/**
 * The deployment `dialin-sim serve` runs when given no --config: one
 * conference, 123456, organized by Amos Marble. Its PIN is generated on the
 * first start and shown once, as an admin center shows a new PIN; later
 * starts on the same database leave it alone (of two servers started at
 * once on a new database, one generates it).
 */
import type { PinDirectory } from '../directory/pin-directory.ts';

export const DEMO_DEPLOYMENT = {
  conference: { id: '123456', organizerId: 'amos', allowAnonymousStart: null },
  organizer: { id: 'amos', name: 'Amos Marble', email: 'amos@example.com', phone: null, extension: null },
} as const;

export interface DemoSetup {
  /** The organizer's PIN when it was generated now; undefined when one was already set. */
  readonly newPin: string | undefined;
}

export async function ensureDemoDeployment(directory: PinDirectory): Promise<DemoSetup> {
  const { conference, organizer } = DEMO_DEPLOYMENT;
  if (!(await directory.getUser(organizer.id))) await directory.upsertUser({ ...organizer });
  if (!(await directory.listConferences()).some((c) => c.id === conference.id)) await directory.upsertConference({ ...conference });
  const issued = await directory.setFirstPin(organizer.id, undefined, { mail: false });
  return { newPin: issued?.pin };
}

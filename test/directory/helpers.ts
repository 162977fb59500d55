import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { sql } from 'kysely';
import { manualClock, type ManualClock } from '../../src/directory/clock.ts';
import { applyDeployment, loadDeployment } from '../../src/directory/deployment.ts';
import type { DirectoryStore } from '../../src/directory/directory-store.ts';
import { MemoryMailbox } from '../../src/directory/mail/memory-mailbox.ts';
import { isPostgresUrl } from '../../src/directory/sql/db-target.ts';
import { PinDirectory } from '../../src/directory/pin-directory.ts';
import type { ScryptCost } from '../../src/directory/pin-hash.ts';

/** A cheap scrypt cost, so tests that make hundreds of attempts stay fast; the default cost has its own tests. */
export const FAST_COST: ScryptCost = { N: 1024, r: 8, p: 1 };

export const START_MS = Date.UTC(2025, 0, 6, 9, 0, 0);
export const MINUTE_MS = 60_000;
export const HOUR_MS = 60 * MINUTE_MS;
export const DAY_MS = 24 * HOUR_MS;

/** Two users and three conferences; amos starts with PIN 24680. */
export const DEPLOYMENT = `
users:
  - { id: amos, name: Amos Marble, email: amos@contoso.com, phone: "+1 555 803 9175", extension: "4071", pin: "24680" }
  - { id: bela, name: Bela Okafor, email: bela@contoso.com, extension: "0018", pin: "97531" }
  - { id: chen, name: Chen Wei, email: chen@contoso.com }
conferences:
  - { id: "123456", organizer: amos }
  - { id: "424242", organizer: bela, allowAnonymousStart: true }
  - { id: "777001", organizer: chen }
`;

export interface TestDirectory {
  readonly directory: PinDirectory;
  readonly clock: ManualClock;
}

/** Opens a directory with the test deployment; `file` is any --db value (`:memory:` by default). */
export async function makeDirectory(
  options: { file?: string; yaml?: string; clock?: ManualClock; cost?: ScryptCost } = {},
): Promise<TestDirectory> {
  const clock = options.clock ?? manualClock(START_MS);
  const cost = options.cost ?? FAST_COST;
  const file = options.file ?? ':memory:';
  // Mail for a PostgreSQL directory would go to a folder in the working directory; tests keep it in memory.
  const mail = isPostgresUrl(file) ? { mail: new MemoryMailbox() } : {};
  const directory = await PinDirectory.open(file, { clock, hashCost: cost, passwordCost: cost, ...mail });
  await applyDeployment(directory, loadDeployment(options.yaml ?? DEPLOYMENT, 'test.yaml'));
  return { directory, clock };
}

/** A fresh temporary directory, removed by the returned cleanup. */
export function tempDir(): { dir: string; file: (name: string) => string; cleanup: () => void } {
  const dir = mkdtempSync(join(tmpdir(), 'dialin-dir-'));
  return { dir, file: (name) => join(dir, name), cleanup: () => rmSync(dir, { recursive: true, force: true }) };
}

/** What a query returns on the directory's own database, for tests of what is stored. */
export async function storedRows<T>(directory: PinDirectory, query: string): Promise<T[]> {
  const { store } = directory as unknown as { store: DirectoryStore };
  return (await sql.raw<T>(query).execute(store.q)).rows;
}

/**
 * What `pin`, `policy`, `outbox`, `conference` and `admin` share: the options that pick the
 * directory, and opening it so that only a deployment file creates one.
 */
import { openDirectory } from '../directory/open-directory.ts';
import { DirectoryError } from '../directory/errors.ts';
import type { PinDirectory } from '../directory/pin-directory.ts';
import type { CliOption } from './args.ts';

export const DIRECTORY_OPTIONS = {
  db: { type: 'string', expects: 'a database file name' },
  config: { type: 'string', expects: 'a deployment file name' },
  'read-only': { type: 'boolean' },
} as const satisfies Record<string, CliOption>;

export interface DirectoryValues {
  readonly db?: string | undefined;
  readonly config?: string | undefined;
  readonly 'read-only'?: boolean | undefined;
}

/**
 * Opens the directory a command names. Without --config the database must
 * exist: a mistyped --db is an error, not a new empty directory. `writes`
 * says whether the command changes it (see OpenDirectoryOptions.writes).
 */
export async function openCliDirectory(values: DirectoryValues, writes: boolean): Promise<PinDirectory> {
  try {
    const { directory } = await openDirectory({
      db: values.db,
      config: values.config,
      readonly: values['read-only'],
      create: values.config !== undefined,
      writes,
    });
    return directory;
  } catch (error) {
    if (error instanceof DirectoryError && error.code === 'E_DB_MISSING') {
      throw new DirectoryError(error.code, `${error.message} (create one with --config FILE, or run dialin-sim serve)`);
    }
    throw error;
  }
}

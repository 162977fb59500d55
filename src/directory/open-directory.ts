/**
 * Opening the directory from files, as the CLI and the server do: read and
 * check the deployment file first (so a bad one creates no database), then
 * open the database and apply the deployment to it.
 */
import { readFile } from 'node:fs/promises';
import type { Clock } from './clock.ts';
import { isDeploymentApplied } from './deployment-applied.ts';
import { applyDeployment, loadDeployment, type AppliedDeployment } from './deployment.ts';
import { DeploymentError, DirectoryError } from './errors.ts';
import type { MailTransport } from './mail/mail-transport.ts';
import { PinDirectory } from './pin-directory.ts';

export const DEFAULT_DB_FILE = 'dialin.db';

export interface OpenDirectoryOptions {
  /** Database: an SQLite file (DEFAULT_DB_FILE when absent, `:memory:` for a private one) or a `postgres://` URL. */
  readonly db?: string | undefined;
  /** Deployment file to load users and conferences from before anything else. */
  readonly config?: string | undefined;
  /** Open the database read-only: a deployment file is then only compared with it. */
  readonly readonly?: boolean | undefined;
  /**
   * Whether a missing directory is created (default true). When false, or
   * when opening read-only, a missing file (or a PostgreSQL database without
   * the directory's tables) is E_DB_MISSING, so a mistyped name never leaves
   * an empty directory behind.
   */
  readonly create?: boolean | undefined;
  /**
   * Whether the caller changes the directory (default true). On a database
   * that cannot be written, a deployment it does not hold yet is then an
   * E_DB_READONLY error; a caller that only reads uses the database as it is.
   */
  readonly writes?: boolean | undefined;
  readonly clock?: Clock | undefined;
  /** What carries the directory's mail; the mail folder beside the database by default. */
  readonly mail?: MailTransport | undefined;
  /** Told each failed mail delivery in one line (PinDirectoryOptions.onMailError). */
  readonly onMailError?: ((line: string) => void) | undefined;
}

/** Reads and checks a deployment file; DeploymentError when it cannot be read or is invalid. */
export async function readDeploymentFile(file: string) {
  let text: string;
  try {
    text = await readFile(file, 'utf8');
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code ?? 'error';
    throw new DeploymentError(file, undefined, `cannot read the deployment file (${code})`);
  }
  return loadDeployment(text, file);
}

export async function openDirectory(
  options: OpenDirectoryOptions,
): Promise<{ directory: PinDirectory; applied: AppliedDeployment | undefined }> {
  const deployment = options.config === undefined ? undefined : await readDeploymentFile(options.config);
  const file = options.db ?? DEFAULT_DB_FILE;
  const readonly = options.readonly ?? false;
  const mustExist = readonly || options.create === false;
  const directory = await PinDirectory.open(file, {
    readonly,
    mustExist,
    mail: options.mail,
    onMailError: options.onMailError,
    ...(options.clock ? { clock: options.clock } : {}),
  });
  if (!deployment) return { directory, applied: undefined };
  try {
    return { directory, applied: await applyDeployment(directory, deployment) };
  } catch (error) {
    if (error instanceof DirectoryError && error.code === 'E_DB_READONLY') {
      if (!(options.writes ?? true) || (await isDeploymentApplied(directory, deployment))) return { directory, applied: undefined };
      await directory.close();
      throw new DirectoryError(
        'E_DB_READONLY',
        `${directory.label} is read-only: cannot save what ${deployment.file} adds or changes (users, conferences or settings)`,
        { cause: error },
      );
    }
    await directory.close();
    throw error;
  }
}

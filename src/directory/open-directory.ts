/**
 * Opening the directory from files, as the CLI and the server do: read and
 * check the deployment file first (so a bad one creates no database), then
 * open the database and apply the deployment to it.
 */
import { readFile } from 'node:fs/promises';
import type { Clock } from './clock.ts';
import { applyDeployment, loadDeployment, type AppliedDeployment } from './deployment.ts';
import { DeploymentError } from './errors.ts';
import { PinDirectory } from './pin-directory.ts';

export const DEFAULT_DB_FILE = 'dialin.db';

export interface OpenDirectoryOptions {
  /** Database file; DEFAULT_DB_FILE when absent, `:memory:` for a private one. */
  readonly db?: string | undefined;
  /** Deployment file to load users and conferences from before anything else. */
  readonly config?: string | undefined;
  /** Open the database read-only (a deployment file cannot be applied then). */
  readonly readonly?: boolean | undefined;
  readonly clock?: Clock | undefined;
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
  const directory = PinDirectory.open(options.db ?? DEFAULT_DB_FILE, {
    readonly: options.readonly ?? false,
    ...(options.clock ? { clock: options.clock } : {}),
  });
  if (!deployment) return { directory, applied: undefined };
  try {
    return { directory, applied: await applyDeployment(directory, deployment) };
  } catch (error) {
    directory.close();
    throw error;
  }
}

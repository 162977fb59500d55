/**
 * The calls' view of the directory, with each failure written to the server
 * log: a caller whose lookup or PIN check fails hears goodbye (a state of
 * the call machine), and the operator reads why, once per failure. A
 * DirectoryError's message names the database by its label (never its
 * password) and what could not be done, never the keys pressed; any other
 * error is logged by its class only, as it could quote anything.
 */
import { DirectoryError } from '../directory/errors.ts';
import type { DirectoryPort } from '../flow/directory-port.ts';

export function logDirectoryFailures(directory: DirectoryPort, log: (line: string) => void): DirectoryPort {
  const logged = <T>(work: Promise<T>): Promise<T> =>
    work.catch((error: unknown) => {
      log(`directory failed: ${error instanceof DirectoryError ? `${error.code} ${error.message}` : `unexpected ${(error as Error)?.name ?? 'error'}`}`);
      throw error;
    });
  return {
    findConference: (conferenceId) => logged(directory.findConference(conferenceId)),
    verifyLeaderPin: (conferenceId, pin) => logged(directory.verifyLeaderPin(conferenceId, pin)),
    changePin: (userId, newPin) => logged(directory.changePin(userId, newPin)),
    pinEntryLimits: () => directory.pinEntryLimits(),
  };
}

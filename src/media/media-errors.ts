/**
 * Errors of the IVR's audio: a prompt library that is incomplete or whose
 * files cannot be used. Each carries a stable code for tests and the CLI.
 */
import { DialinError } from '../errors.ts';

/** A prompt is missing from a library, empty where it must not be, or at the wrong sample rate. */
export class PromptLibraryError extends DialinError {
  constructor(message: string, options?: ErrorOptions) {
    super('E_PROMPT_LIBRARY', message, options);
  }
}

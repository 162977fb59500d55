/**
 * Errors a user can cause (bad files, bad arguments, bad scenarios) carry a
 * stable `code`; the CLI prints their message and exits non-zero. Any other
 * exception is a bug and is printed with its stack.
 */
export class DialinError extends Error {
  readonly code: string;

  constructor(code: string, message: string, options?: ErrorOptions) {
    super(message, options);
    this.name = new.target.name;
    this.code = code;
  }
}

/** A command line that cannot be understood. */
export class UsageError extends DialinError {
  constructor(message: string) {
    super('E_USAGE', message);
  }
}

/** A WAV file that cannot be read: not RIFF, truncated, unsupported encoding. */
export class WavFormatError extends DialinError {
  constructor(message: string) {
    super('E_WAV_FORMAT', message);
  }
}

/** Audio parameters out of range (sample rate, level, duration). */
export class AudioParameterError extends DialinError {
  constructor(message: string) {
    super('E_AUDIO_PARAMETER', message);
  }
}

export function isDialinError(error: unknown): error is DialinError {
  return error instanceof DialinError;
}

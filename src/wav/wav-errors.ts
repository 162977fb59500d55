/**
 * Why a WAV file could not be used. Every message starts with the file name
 * as given, so a batch run can print it as one line and go on.
 */
import { DialinError, WavFormatError } from '../errors.ts';

/** What is wrong with a file's content. */
export const WAV_PROBLEMS = [
  'empty-file',
  'not-riff',
  'unsupported-container',
  'not-wave',
  'truncated-header',
  'missing-fmt',
  'missing-data',
  'no-audio',
  'bad-fmt',
  'unsupported-encoding',
  'unsupported-rate',
  'too-many-chunks',
] as const;
export type WavProblem = (typeof WAV_PROBLEMS)[number];

/** Content that is not a WAV file dialin-sim can decode (code E_WAV_FORMAT). */
export class WavParseError extends WavFormatError {
  readonly file: string;
  readonly reason: WavProblem;

  constructor(file: string, reason: WavProblem, detail: string) {
    super(`${file}: ${detail}`);
    this.file = file;
    this.reason = reason;
  }
}

/** A file that cannot be opened, read or written at all. */
export class AudioFileError extends DialinError {
  readonly file: string;
  /** The system error code (ENOENT, EISDIR, ...), when there was one. */
  readonly systemCode: string | undefined;

  constructor(file: string, detail: string, systemCode?: string, options?: ErrorOptions) {
    super('E_AUDIO_FILE', `${file}: ${detail}`, options);
    this.file = file;
    this.systemCode = systemCode;
  }
}

const SYSTEM_REASONS: Record<string, string> = {
  ENOENT: 'no such file',
  EISDIR: 'is a directory, not a WAV file',
  EACCES: 'permission denied',
  EPERM: 'permission denied',
  ENOTDIR: 'no such file (a parent path is not a directory)',
  ENAMETOOLONG: 'file name too long',
  ELOOP: 'too many symbolic links',
  EMFILE: 'too many open files',
  ENOSPC: 'no space left on the device',
  EROFS: 'read-only file system',
};

/** Turns a file-system exception into an AudioFileError naming the file. */
export function fileSystemError(file: string, error: unknown, action: 'read' | 'write'): AudioFileError {
  const systemCode = (error as NodeJS.ErrnoException | undefined)?.code;
  const reason =
    systemCode === 'ENOENT' && action === 'write'
      ? 'cannot write: the directory does not exist'
      : systemCode
        ? SYSTEM_REASONS[systemCode]
        : undefined;
  const detail = reason ?? `cannot ${action} (${systemCode ?? (error as Error).message})`;
  return new AudioFileError(file, detail, systemCode, { cause: error });
}

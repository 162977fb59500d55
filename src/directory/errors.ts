/**
 * Errors of the PIN directory. Each class has a stable `code` (tests and
 * callers branch on it); messages name the user, file or field and never
 * contain a PIN.
 */
import { DialinError } from '../errors.ts';

/**
 * A directory operation that cannot be done. Codes:
 * - E_DB_OPEN: the database file cannot be opened (missing directory, permissions).
 * - E_DB_MISSING: no database file at the path, where the caller may not create one.
 * - E_DB_CORRUPT: the file is not a SQLite database, or is damaged.
 * - E_DB_READONLY: a write to a database opened (or only openable) read-only.
 * - E_DB_BUSY: another process held the database longer than the busy timeout.
 * - E_DB_VERSION: the file's schema is newer than this program.
 * - E_DB: any other SQLite failure.
 * - E_UNKNOWN_USER, E_UNKNOWN_CONFERENCE: no such id in the directory.
 * - E_PIN_LOCKED: the PIN is locked and must be unlocked before it is set or reset.
 * - E_NO_PIN: the user has no PIN (for example `pin remove` twice).
 * - E_NO_POLICY: a site or user without a PIN policy of its own (`policy remove` twice).
 * - E_INVALID_RECORD: a user or conference with a malformed field, or a malformed site name.
 * - E_UNKNOWN_ADMIN: no admin account of that name.
 * - E_ADMIN_EXISTS: an admin account of that name exists already.
 * - E_ADMIN_PASSWORD: a password too short or too long for an admin account.
 */
export class DirectoryError extends DialinError {}

/**
 * An action the actor may not take: a `user-admin` changing policies,
 * tenant settings or admin accounts, a user acting on someone else, an
 * admin removing their own account. Code E_FORBIDDEN; `needs` says what
 * it takes ('the admin role').
 */
export class PermissionError extends DialinError {
  readonly needs: string;

  constructor(message: string, needs: string) {
    super('E_FORBIDDEN', message);
    this.needs = needs;
  }
}

/** A PIN that breaks the PIN policy; `rule` names the rule, never the PIN. */
export class PinPolicyError extends DialinError {
  readonly rule: string;
  /** The rule in words ('the PIN must have at least 6 digits'). */
  readonly reason: string;

  constructor(rule: string, reason: string, subject: string) {
    super('E_PIN_POLICY', `${subject} rejected: ${reason} (rule ${rule})`);
    this.rule = rule;
    this.reason = reason;
  }
}

/** A tenant or policy setting out of range; `field` names it (`policy.minLength`). */
export class SettingError extends DialinError {
  readonly field: string;

  constructor(field: string, message: string) {
    super('E_SETTING', message);
    this.field = field;
  }
}

/**
 * A deployment file that cannot be loaded; the message starts `file:line:`.
 * A file with several problems gives one error with a line per problem.
 */
export class DeploymentError extends DialinError {
  readonly file: string;
  /** 1-based line of the offending node, when known. */
  readonly line: number | undefined;
  /** The problem alone, without file and line. */
  readonly problem: string;
  /** Every problem found in the file, this one first. */
  readonly problems: readonly DeploymentError[];

  constructor(file: string, line: number | undefined, problem: string) {
    super('E_DEPLOYMENT', `${file}${line === undefined ? '' : `:${line}`}: ${problem}`);
    this.file = file;
    this.line = line;
    this.problem = problem;
    this.problems = [this];
  }

  /** One error for several problems: the first one's fields, every message on its own line. */
  static combine(errors: readonly DeploymentError[]): DeploymentError {
    const [first, ...rest] = errors;
    if (first === undefined) throw new Error('internal: no deployment errors to combine');
    if (rest.length === 0) return first;
    const combined = new DeploymentError(first.file, first.line, first.problem);
    combined.message = errors.map((error) => error.message).join('\n');
    (combined as { problems: readonly DeploymentError[] }).problems = errors;
    return combined;
  }
}

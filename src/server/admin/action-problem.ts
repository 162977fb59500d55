/**
 * How a refused action is answered: the status code and the sentence the
 * page shows. Directory errors carry a stable code; their messages name the
 * user and the rule, never a PIN, and can be shown as they are. Anything
 * else is a bug and is thrown on.
 */
import { DialinError } from '../../errors.ts';
import { PinPolicyError } from '../../directory/errors.ts';

const STATUS_BY_CODE: Readonly<Record<string, number>> = {
  E_PIN_LOCKED: 409,
  E_NO_PIN: 409,
  E_NO_POLICY: 409,
  E_PIN_POLICY: 422,
  E_SETTING: 422,
  E_INVALID_RECORD: 422,
  E_UNKNOWN_USER: 404,
  E_UNKNOWN_CONFERENCE: 404,
  E_FORBIDDEN: 403,
  E_UNKNOWN_ADMIN: 404,
  E_ADMIN_EXISTS: 409,
  E_ADMIN_PASSWORD: 422,
  E_DB_BUSY: 503,
  E_DB_READONLY: 503,
};

export interface ActionProblem {
  readonly status: number;
  readonly text: string;
}

export function actionProblem(error: unknown): ActionProblem {
  if (!(error instanceof DialinError)) throw error;
  const status = STATUS_BY_CODE[error.code];
  if (status === undefined) throw error;
  if (error instanceof PinPolicyError) return { status, text: `The PIN was not set: ${error.reason}.` };
  return { status, text: error.message };
}

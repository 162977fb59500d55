/**
 * The fields a caller's platform sends about a call (who is calling, the
 * platform's ids for the call and stream, out-of-band key presses), checked
 * the same way for every protocol: the native `/call`, Twilio, Vonage, and
 * any transport added later (a SIP From or Call-ID). A value that breaks a
 * rule is refused, never cut: a CallerFieldError names the field and the
 * rule, and each transport turns it into its own refusal (a WebSocket close
 * code, a SIP response).
 */
import { isDtmfKey, type DtmfKey } from '../dsp/dtmf-keys.ts';
import { DialinError } from '../errors.ts';

/**
 * Longest caller text accepted. Values are only shown in logs and the
 * conference list; Twilio's SIDs are 34 characters (two letters and 32 hex
 * digits), an E.164 number at most 15 digits (ITU-T E.164 section 6.1).
 */
export const MAX_CALLER_FIELD_CHARS = 64;

/** A caller field that breaks a rule; `field` names it as the message does (`start.callSid`). */
export class CallerFieldError extends DialinError {
  readonly field: string;

  constructor(field: string, problem: string) {
    super('E_BAD_FIELD', `${field}: ${problem}`);
    this.field = field;
  }
}

function describeType(value: unknown): string {
  return value === null ? 'null' : Array.isArray(value) ? 'array' : typeof value;
}

function callerText(value: unknown, field: string, allowEmpty: boolean): string {
  if (typeof value !== 'string') throw new CallerFieldError(field, `not a string (got ${describeType(value)})`);
  if (!allowEmpty && value.length === 0) throw new CallerFieldError(field, 'empty');
  if (value.length > MAX_CALLER_FIELD_CHARS) {
    throw new CallerFieldError(field, `longer than ${MAX_CALLER_FIELD_CHARS} characters (got ${value.length})`);
  }
  return value;
}

/** A platform's id for the call or stream (callSid, streamSid, Call-ID): a non-empty string of bounded length. */
export function callerId(value: unknown, field: string): string {
  return callerText(value, field, false);
}

/** Who is calling, when the caller says so: absent (undefined) or a string of bounded length. */
export function callerFrom(value: unknown, field: string): string | undefined {
  return value === undefined ? undefined : callerText(value, field, true);
}

/** An out-of-band key press: one DTMF key; letters may come in lower case (they are upper case everywhere in dialin-sim). */
export function callerKey(value: unknown, field: string): DtmfKey {
  if (typeof value !== 'string') throw new CallerFieldError(field, `not a string (got ${describeType(value)})`);
  const key = value.toUpperCase();
  if (!isDtmfKey(key)) throw new CallerFieldError(field, 'not a DTMF key (one of 0-9, *, #, A-D)');
  return key;
}

/**
 * Reading a form post or a JSON check request. Bodies are small (a PIN, a
 * name, a policy), so anything over 16 KiB is refused before it is buffered
 * whole, and a field may appear once only: `pin=1&pin=2` is a malformed
 * request, not a choice between the two.
 */
import type { IncomingMessage } from 'node:http';
import { DialinError } from '../../errors.ts';

export const MAX_FORM_BYTES = 16 * 1024;

/**
 * A request body the admin center cannot read. Codes: E_BODY_TOO_LARGE
 * (413), E_BODY_TYPE (415), E_BODY_MALFORMED (400).
 */
export class FormBodyError extends DialinError {
  readonly status: number;
  constructor(code: 'E_BODY_TOO_LARGE' | 'E_BODY_TYPE' | 'E_BODY_MALFORMED', message: string) {
    super(code, message);
    this.status = code === 'E_BODY_TOO_LARGE' ? 413 : code === 'E_BODY_TYPE' ? 415 : 400;
  }
}

export type FormFields = ReadonlyMap<string, string>;

async function readBody(request: IncomingMessage): Promise<string> {
  const declared = Number(request.headers['content-length'] ?? 0);
  if (declared > MAX_FORM_BYTES) throw new FormBodyError('E_BODY_TOO_LARGE', `request body over ${MAX_FORM_BYTES} bytes`);
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of request as AsyncIterable<Buffer>) {
    size += chunk.length;
    if (size > MAX_FORM_BYTES) throw new FormBodyError('E_BODY_TOO_LARGE', `request body over ${MAX_FORM_BYTES} bytes`);
    chunks.push(chunk);
  }
  return Buffer.concat(chunks).toString('utf8');
}

function mediaType(request: IncomingMessage): string {
  return (request.headers['content-type'] ?? '').split(';')[0]!.trim().toLowerCase();
}

/** The fields of an `application/x-www-form-urlencoded` post. */
export async function readForm(request: IncomingMessage): Promise<FormFields> {
  if (mediaType(request) !== 'application/x-www-form-urlencoded') {
    throw new FormBodyError('E_BODY_TYPE', 'expected a form (application/x-www-form-urlencoded)');
  }
  const fields = new Map<string, string>();
  for (const [name, value] of new URLSearchParams(await readBody(request))) {
    if (fields.has(name)) throw new FormBodyError('E_BODY_MALFORMED', `form field '${name.slice(0, 40)}' given twice`);
    fields.set(name, value);
  }
  return fields;
}

/** A JSON object body (`application/json`) with string fields only. */
export async function readJsonFields(request: IncomingMessage): Promise<FormFields> {
  if (mediaType(request) !== 'application/json') throw new FormBodyError('E_BODY_TYPE', 'expected application/json');
  let parsed: unknown;
  try {
    parsed = JSON.parse(await readBody(request));
  } catch {
    throw new FormBodyError('E_BODY_MALFORMED', 'request body is not JSON');
  }
  if (typeof parsed !== 'object' || parsed === null || Array.isArray(parsed)) {
    throw new FormBodyError('E_BODY_MALFORMED', 'request body must be a JSON object');
  }
  const fields = new Map<string, string>();
  for (const [name, value] of Object.entries(parsed)) {
    if (typeof value !== 'string') throw new FormBodyError('E_BODY_MALFORMED', `field '${name.slice(0, 40)}' must be a string`);
    fields.set(name, value);
  }
  return fields;
}

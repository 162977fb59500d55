/**
 * A caller's socket sent something the server cannot accept. The error
 * carries the stable `code` sent to the client in an `error` event and the
 * WebSocket close code (RFC 6455 section 7.4.1) the socket is closed with.
 */
import { DialinError } from '../errors.ts';
import { cutText } from './cut-text.ts';

/** Close codes used by the server, RFC 6455 section 7.4.1 and the IANA registry. */
export const CLOSE_CODES = {
  /** The call ended normally. */
  normal: 1000,
  /** The server is shutting down. */
  goingAway: 1001,
  /** A data type the endpoint cannot accept (binary on a text-only protocol, wrong format). */
  unsupportedData: 1003,
  /** Data inconsistent with its type (bad JSON, bad base64, ragged PCM). */
  invalidPayload: 1007,
  /** A generic policy violation (order of messages, timeouts, slow reader, unknown event). */
  policy: 1008,
  /** A message too big to process. */
  tooBig: 1009,
  /** The server failed while handling the message (a bug, logged with its message). */
  internalError: 1011,
  /** The server cannot take another call now (IANA: Try Again Later). */
  tryAgainLater: 1013,
} as const;

export type CloseCode = (typeof CLOSE_CODES)[keyof typeof CLOSE_CODES];

export class ProtocolError extends DialinError {
  readonly closeCode: CloseCode;

  constructor(code: string, closeCode: CloseCode, message: string) {
    super(code, message);
    this.closeCode = closeCode;
  }
}

export const invalidJson = (detail: string) =>
  new ProtocolError('E_INVALID_JSON', CLOSE_CODES.invalidPayload, `text frame is not a JSON object: ${detail}`);

/** Longest part of a client's own input quoted back in an error. */
const MAX_QUOTED_CHARS = 64;

export const unknownEvent = (event: unknown) => {
  const quoted = JSON.stringify(event) ?? String(event);
  return new ProtocolError('E_UNKNOWN_EVENT', CLOSE_CODES.policy, `unknown event ${cutText(quoted, MAX_QUOTED_CHARS)}`);
};

export const notStarted = (what: string) =>
  new ProtocolError('E_NOT_STARTED', CLOSE_CODES.policy, `${what} before the call started`);

export const alreadyStarted = () =>
  new ProtocolError('E_ALREADY_STARTED', CLOSE_CODES.policy, 'the call has already started');

export const digitFlood = (limit: number, windowMs: number) =>
  new ProtocolError('E_RATE_LIMIT', CLOSE_CODES.policy, `more than ${limit} out-of-band digits within ${windowMs} ms`);

export const messageFlood = (limit: number, windowMs: number) =>
  new ProtocolError('E_RATE_LIMIT', CLOSE_CODES.policy, `more than ${limit} messages within ${windowMs} ms`);

export const audioAhead = (leadMs: number, limitMs: number) =>
  new ProtocolError(
    'E_AUDIO_AHEAD',
    CLOSE_CODES.policy,
    `audio ${Math.round(leadMs)} ms ahead of real time (limit ${limitMs} ms): send it as it is captured`,
  );

export const slowReader = (unsentBytes: number, limitBytes: number) =>
  new ProtocolError('E_SLOW_READER', CLOSE_CODES.policy, `${unsentBytes} bytes unsent (limit ${limitBytes}): the client is not reading`);

export const frameTooBig = (bytes: number, limit: number) =>
  new ProtocolError('E_FRAME_TOO_BIG', CLOSE_CODES.tooBig, `frame of ${bytes} bytes is over the limit of ${limit} bytes`);

/** Reads the `event` field of a JSON text frame; throws for anything but an object with a string event. */
export function parseEventFrame(text: string): { event: string } & Record<string, unknown> {
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch (error) {
    throw invalidJson((error as Error).message);
  }
  if (typeof value !== 'object' || value === null || Array.isArray(value)) throw invalidJson('not an object');
  const event = (value as Record<string, unknown>)['event'];
  if (typeof event !== 'string') throw invalidJson('no "event" string field');
  return value as { event: string } & Record<string, unknown>;
}

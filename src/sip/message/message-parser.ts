/**
 * Reads one whole SIP message from bytes (RFC 3261 section 7). The transport
 * decides the framing: a datagram is one message whose body runs to the end
 * of the datagram unless Content-Length says less (section 18.3); on a
 * stream the framer has already cut the message at its Content-Length, which
 * is mandatory there. Throws only SipParseError.
 */
import { canonicalHeaderName } from './header-names.ts';
import { DEFAULT_PARSE_LIMITS, type SipParseLimits } from '../sip-constants.ts';
import { SipParseError, type SipErrorStatus, type SipProblem } from './sip-error.ts';
import { createMessage, type SipHeader, type SipMessage, type StartLine } from './sip-message.ts';

export type SipFraming = 'datagram' | 'stream';

export interface ParseOptions {
  readonly framing: SipFraming;
  readonly limits?: SipParseLimits;
}

const CRLF_CRLF = [13, 10, 13, 10];
const decoder = new TextDecoder('utf-8', { fatal: true });

export function parseSipMessage(input: Uint8Array, options: ParseOptions): SipMessage {
  const limits = options.limits ?? DEFAULT_PARSE_LIMITS;
  // Section 7.5: CRLFs before the start line are ignored; a datagram of only
  // CRLFs is the keep-alive many UDP phones send (RFC 5626 section 3.5.1
  // defines it for streams), not a request to answer.
  let skip = 0;
  while (skip < input.length && (input[skip] === 13 || input[skip] === 10)) skip++;
  const bytes = input.subarray(skip);
  if (bytes.length === 0) throw new SipParseError('empty', 'no message, only line breaks', undefined);
  const looksLikeRequest = !startsWithAscii(bytes, 'SIP/');
  const reject = (problem: SipProblem, detail: string, status: SipErrorStatus = 400): never => {
    throw new SipParseError(problem, detail, looksLikeRequest ? status : undefined);
  };
  if (bytes.length > limits.maxMessageBytes) {
    reject('too-large', `${bytes.length} bytes is over the ${limits.maxMessageBytes}-byte limit`, 513);
  }
  const headerEnd = indexOfSequence(bytes, CRLF_CRLF, 0);
  if (headerEnd < 0) reject('bad-header', 'no empty line after the headers');
  const head = readHead(bytes.subarray(0, headerEnd), limits);
  const rest = bytes.subarray(headerEnd + 4);
  const lengthHeaders = head.headers.filter((header) => header.name === 'Content-Length');
  const failHead = (problem: SipProblem, detail: string): never => {
    throw new SipParseError(problem, detail, head.start.kind === 'request' ? 400 : undefined, head.headers);
  };
  let contentLength: number | undefined;
  if (lengthHeaders.length > 1) failHead('bad-content-length', 'more than one Content-Length header');
  if (lengthHeaders.length === 1) contentLength = parseContentLength(lengthHeaders[0]!.value) ?? failHead('bad-content-length', 'bad Content-Length header');
  let body: Uint8Array;
  if (options.framing === 'stream') {
    if (contentLength === undefined) failHead('missing-content-length', 'Content-Length is mandatory on stream transports (RFC 3261 section 18.3)');
    if (rest.length !== contentLength) failHead('body-length-mismatch', `body is ${rest.length} bytes, Content-Length says ${contentLength}`);
    body = rest;
  } else {
    if (contentLength !== undefined && contentLength > rest.length) {
      failHead('body-length-mismatch', `datagram body is ${rest.length} bytes, Content-Length says ${contentLength}`);
    }
    body = rest.subarray(0, contentLength ?? rest.length);
  }
  return createMessage(head.start, head.headers, body.slice());
}

interface Head {
  readonly start: StartLine;
  readonly headers: SipHeader[];
}

/** Start line and header fields, folded lines joined (section 7.3.1: LWS folding becomes one SP). */
export function readHead(bytes: Uint8Array, limits: SipParseLimits): Head {
  const looksLikeRequest = !startsWithAscii(bytes, 'SIP/');
  const fail = (problem: SipProblem, detail: string): never => {
    throw new SipParseError(problem, detail, looksLikeRequest ? 400 : undefined);
  };
  let text = '';
  try {
    text = decoder.decode(bytes);
  } catch {
    fail('bad-encoding', 'headers are not UTF-8');
  }
  const lines = text.split('\r\n');
  const start = parseStartLine(lines[0]!) ?? fail('bad-start-line', `bad start line "${cutLine(lines[0]!)}"`);
  const headers: SipHeader[] = [];
  const failHeader = (problem: SipProblem, detail: string): never => {
    throw new SipParseError(problem, detail, start.kind === 'request' ? 400 : undefined, headers);
  };
  let current: string | undefined;
  const flush = () => {
    if (current === undefined) return;
    if (current.length > limits.maxHeaderLineBytes) failHeader('header-line-too-long', `a header line is over ${limits.maxHeaderLineBytes} bytes`);
    const colon = current.indexOf(':');
    const name = colon < 0 ? '' : current.slice(0, colon).replace(/[ \t]+$/, '');
    if (!/^[A-Za-z0-9\-.!%*_+`'~]+$/.test(name)) failHeader('bad-header', `bad header line "${cutLine(current)}"`);
    if (headers.length >= limits.maxHeaders) failHeader('too-many-headers', `more than ${limits.maxHeaders} headers`);
    headers.push({ name: canonicalHeaderName(name), value: current.slice(colon + 1).trim() });
    current = undefined;
  };
  for (let i = 1; i < lines.length; i++) {
    const line = lines[i]!;
    if (line.includes('\r') || line.includes('\n') || line.includes('\0')) failHeader('bad-header', 'stray CR, LF or NUL in a header');
    if (line.startsWith(' ') || line.startsWith('\t')) {
      if (current === undefined) failHeader('bad-header', 'continuation line without a header');
      current += ` ${line.trim()}`;
      if (current!.length > limits.maxHeaderLineBytes) failHeader('header-line-too-long', `a header line is over ${limits.maxHeaderLineBytes} bytes`);
    } else {
      flush();
      current = line;
    }
  }
  flush();
  return { start, headers };
}

const METHOD = /^[A-Za-z0-9\-.!%*_+`'~]+$/;

function parseStartLine(line: string): StartLine | undefined {
  if (line.startsWith('SIP/')) {
    const match = /^SIP\/2\.0 ([1-6]\d\d)(?: (.*))?$/.exec(line);
    if (!match || /[\x00-\x08\x0a-\x1f]/.test(match[2] ?? '')) return undefined;
    return { kind: 'response', status: Number(match[1]), reason: match[2] ?? '' };
  }
  const parts = line.split(' ');
  if (parts.length !== 3 || parts[2] !== 'SIP/2.0' || !METHOD.test(parts[0]!)) return undefined;
  // Section 25.1: Request-URI is a URI, so it has a scheme and no spaces or controls.
  if (!/^[A-Za-z][A-Za-z0-9+\-.]*:[\x21-\x7e]+$/.test(parts[1]!)) return undefined;
  return { kind: 'request', method: parts[0]!, uri: parts[1]! };
}

/** Section 20.14: 1*DIGIT. */
export function parseContentLength(value: string): number | undefined {
  const text = value.trim();
  return /^\d{1,9}$/.test(text) ? Number(text) : undefined;
}

export function indexOfSequence(bytes: Uint8Array, sequence: readonly number[], from: number): number {
  const last = bytes.length - sequence.length;
  outer: for (let i = Math.max(0, from); i <= last; i++) {
    for (let j = 0; j < sequence.length; j++) if (bytes[i + j] !== sequence[j]) continue outer;
    return i;
  }
  return -1;
}

function startsWithAscii(bytes: Uint8Array, prefix: string): boolean {
  if (bytes.length < prefix.length) return false;
  for (let i = 0; i < prefix.length; i++) if (bytes[i] !== prefix.charCodeAt(i)) return false;
  return true;
}

function cutLine(line: string): string {
  const printable = line.replace(/[^\x20-\x7e]/g, '?');
  return printable.length > 60 ? `${printable.slice(0, 57)}...` : printable;
}

/**
 * Cuts a TCP or TLS byte stream into SIP messages (RFC 3261 section 18.3):
 * the header section ends at the first empty line, and Content-Length, which
 * is mandatory on streams, says how many body bytes follow. Bytes may arrive
 * split anywhere; the framer stitches them across pushes. CRLFs between
 * messages are skipped: they are keep-alive pings (RFC 5626 section 4.4.1)
 * or the leading CRLFs section 7.5 says to ignore. Each double-CRLF ping is
 * reported, so the transport can send the single-CRLF pong section 4.4.1 asks for.
 *
 * A message that frames but does not parse is reported and the stream goes
 * on. A stream that cannot be framed (no Content-Length, bad header section,
 * message over the size limit) is reported once as fatal; the transport
 * should answer if it can and close the connection, since the next message
 * boundary is unknown.
 */
import { DEFAULT_PARSE_LIMITS, type SipParseLimits } from '../sip-constants.ts';
import { SipParseError } from './sip-error.ts';
import { indexOfSequence, parseContentLength, parseSipMessage, readHead } from './message-parser.ts';
import type { SipMessage } from './sip-message.ts';

export type FramerOutput =
  | { readonly type: 'message'; readonly message: SipMessage }
  | { readonly type: 'ping' }
  | { readonly type: 'error'; readonly error: SipParseError; readonly fatal: boolean };

const CRLF_CRLF = [13, 10, 13, 10];

export class SipStreamFramer {
  private readonly limits: SipParseLimits;
  private buffer = new Uint8Array(4096);
  private length = 0;
  /** Where the search for the empty line resumes, so a byte-by-byte stream is not rescanned. */
  private scanFrom = 0;
  /** Total message size once the header section has been read. */
  private messageBytes: number | undefined;
  private failed = false;
  /** How much of a CRLF CRLF ping the skipped line breaks have matched so far. */
  private pingProgress = 0;

  constructor(limits: SipParseLimits = DEFAULT_PARSE_LIMITS) {
    this.limits = limits;
  }

  /** True after a fatal framing error; later pushes are ignored. */
  get closed(): boolean {
    return this.failed;
  }

  push(chunk: Uint8Array): FramerOutput[] {
    if (this.failed) return [];
    this.append(chunk);
    const out: FramerOutput[] = [];
    while (!this.failed) {
      if (this.messageBytes === undefined) {
        this.skipLeadingLineBreaks(out);
        const headerEnd = indexOfSequence(this.buffer.subarray(0, this.length), CRLF_CRLF, this.scanFrom);
        if (headerEnd < 0) {
          this.scanFrom = Math.max(0, this.length - 3);
          if (this.length > this.limits.maxMessageBytes) out.push(this.fatal(new SipParseError('too-large', 'header section over the size limit', 513)));
          break;
        }
        const total = this.frame(headerEnd, out);
        if (total === undefined) break;
        this.messageBytes = total;
      }
      if (this.length < this.messageBytes) break;
      const bytes = this.buffer.slice(0, this.messageBytes);
      this.consume(this.messageBytes);
      this.messageBytes = undefined;
      try {
        out.push({ type: 'message', message: parseSipMessage(bytes, { framing: 'stream', limits: this.limits }) });
      } catch (error) {
        if (!(error instanceof SipParseError)) throw error;
        out.push({ type: 'error', error, fatal: false });
      }
    }
    return out;
  }

  /** The whole message length from its header section, or undefined after a fatal error. */
  private frame(headerEnd: number, out: FramerOutput[]): number | undefined {
    try {
      const head = readHead(this.buffer.subarray(0, headerEnd), this.limits);
      const status = head.start.kind === 'request' ? 400 : undefined;
      const lengths = head.headers.filter((header) => header.name === 'Content-Length');
      const contentLength = lengths.length === 1 ? parseContentLength(lengths[0]!.value) : undefined;
      if (lengths.length === 0) {
        throw new SipParseError('missing-content-length', 'Content-Length is mandatory on stream transports (RFC 3261 section 18.3)', status, head.headers);
      }
      if (contentLength === undefined) throw new SipParseError('bad-content-length', 'bad Content-Length header', status, head.headers);
      const total = headerEnd + 4 + contentLength;
      if (total > this.limits.maxMessageBytes) {
        throw new SipParseError('too-large', `${total} bytes is over the ${this.limits.maxMessageBytes}-byte limit`, status && 513, head.headers);
      }
      return total;
    } catch (error) {
      if (!(error instanceof SipParseError)) throw error;
      out.push(this.fatal(error));
      return undefined;
    }
  }

  private fatal(error: SipParseError): FramerOutput {
    this.failed = true;
    this.buffer = new Uint8Array(0);
    this.length = 0;
    return { type: 'error', error, fatal: true };
  }

  private skipLeadingLineBreaks(out: FramerOutput[]): void {
    let skip = 0;
    while (skip < this.length && (this.buffer[skip] === 13 || this.buffer[skip] === 10)) {
      const byte = this.buffer[skip++]!;
      this.pingProgress = byte === CRLF_CRLF[this.pingProgress] ? this.pingProgress + 1 : byte === 13 ? 1 : 0;
      if (this.pingProgress === CRLF_CRLF.length) {
        out.push({ type: 'ping' });
        this.pingProgress = 0;
      }
    }
    if (skip < this.length) this.pingProgress = 0;
    if (skip > 0) this.consume(skip);
  }

  private append(chunk: Uint8Array): void {
    if (this.length + chunk.length > this.buffer.length) {
      const grown = new Uint8Array(Math.max(this.buffer.length * 2, this.length + chunk.length));
      grown.set(this.buffer.subarray(0, this.length));
      this.buffer = grown;
    }
    this.buffer.set(chunk, this.length);
    this.length += chunk.length;
  }

  private consume(count: number): void {
    this.buffer.copyWithin(0, count, this.length);
    this.length -= count;
    this.scanFrom = 0;
  }
}

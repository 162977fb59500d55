/**
 * Everything `startSipService` can be told, with defaults and one validation
 * pass at the edge. Limits bound what one hostile source can cost.
 */
import { DialinError } from '../../errors.ts';
import { DEFAULT_PARSE_LIMITS, DEFAULT_SIP_PORT, DEFAULT_TIMERS, type SipTimers } from '../../sip/sip-constants.ts';

export class SipServiceOptionsError extends DialinError {
  constructor(message: string) {
    super('E_SIP_OPTIONS', message);
  }
}

export interface SipServiceOptions {
  /** Interface for SIP and RTP. Loopback by default: exposing the IVR is a deliberate choice. */
  host: string;
  /** One port for SIP over UDP and TCP (RFC 3261 section 18: 5060); 0 lets the OS pick a free one. */
  port: number;
  /** Most concurrent calls; one more INVITE gets 486 Busy Here. */
  maxCalls: number;
  /** Largest SIP message accepted, bytes; a larger request gets 513 (RFC 3261 section 21.5.14). */
  maxMessageBytes: number;
  /** SIP messages accepted per second from one source address; more are dropped unanswered. */
  maxMessagesPerSecond: number;
  /** Concurrent TCP connections, and separately WebSocket (/sip) connections; more are closed at once. */
  maxTcpConnections: number;
  /** A TCP connection silent for this long is closed, ms; a WebSocket one when it answers no ping for this long. */
  tcpIdleTimeoutMs: number;
  /** Time between 180 Ringing and the 200 OK, ms. */
  ringMs: number;
  /** RTP packets accepted per second on one call (50 at 20 ms ptime, plus events); more are dropped as a flood. */
  maxRtpPacketsPerSecond: number;
  /** RFC 3261 Table 4 base timers; tests may shorten them. */
  timers: SipTimers;
  /** Audio per RTP packet, ms (ptime; RFC 3551 section 4.5 default for G.711). */
  frameMs: number;
  /** Frames sent per frame period: 1 is real time. */
  playbackSpeed: number;
  /** On close, time the calls' BYEs have to be answered before the sockets close, ms. */
  shutdownGraceMs: number;
}

export const SIP_SERVICE_DEFAULTS: SipServiceOptions = {
  host: '127.0.0.1',
  port: DEFAULT_SIP_PORT,
  maxCalls: 50,
  maxMessageBytes: DEFAULT_PARSE_LIMITS.maxMessageBytes,
  maxMessagesPerSecond: 100,
  maxTcpConnections: 200,
  tcpIdleTimeoutMs: 120_000,
  ringMs: 100,
  maxRtpPacketsPerSecond: 200,
  timers: DEFAULT_TIMERS,
  frameMs: 20,
  playbackSpeed: 1,
  shutdownGraceMs: 1500,
};

export function resolveSipServiceOptions(partial: Partial<SipServiceOptions>): SipServiceOptions {
  const options = { ...SIP_SERVICE_DEFAULTS, ...partial };
  const integer = (name: keyof SipServiceOptions, min: number, max: number) => {
    const value = options[name];
    if (typeof value !== 'number' || !Number.isInteger(value) || value < min || value > max) {
      throw new SipServiceOptionsError(`sip option ${name}: ${String(value)} is not an integer from ${min} to ${max}`);
    }
  };
  if (typeof options.host !== 'string' || options.host === '') throw new SipServiceOptionsError('sip option host: must be an address');
  integer('port', 0, 65535);
  integer('maxCalls', 1, 10_000);
  integer('maxMessageBytes', 512, DEFAULT_PARSE_LIMITS.maxMessageBytes);
  integer('maxMessagesPerSecond', 1, 100_000);
  integer('maxTcpConnections', 1, 100_000);
  integer('tcpIdleTimeoutMs', 100, 3_600_000);
  integer('ringMs', 0, 60_000);
  integer('maxRtpPacketsPerSecond', 60, 100_000);
  integer('frameMs', 10, 60);
  integer('playbackSpeed', 1, 64);
  integer('shutdownGraceMs', 0, 2000);
  return options;
}

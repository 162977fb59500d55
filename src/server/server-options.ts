/**
 * Everything `startServer` can be told, with defaults and one validation
 * pass at the edge. Limits are per socket unless the name says otherwise.
 */
import type { FlowOptions } from '../flow/flow-options.ts';
import { DialinError } from '../errors.ts';
import type { DigitMergerOptions } from '../session/digit-merger.ts';
import type { StaticHandler } from './http-routes.ts';
import type { DatagramSocket } from './sip/udp-transport.ts';
import { isRedisUrl } from './cluster/redis-url.ts';
import { allowHostProblem } from './host-check.ts';
import { originProblem } from './origin-check.ts';
import type { MailTransport } from '../directory/mail/mail-transport.ts';

/** Options that cannot be used (a bad port, a negative limit). */
export class ServerOptionsError extends DialinError {
  constructor(message: string) {
    super('E_SERVER_OPTIONS', message);
  }
}

/** The port cannot be bound (in use, not permitted, no such address). */
export class ListenError extends DialinError {
  constructor(message: string, options?: ErrorOptions) {
    super('E_LISTEN', message, options);
  }
}

export interface ServerOptions {
  /** TCP port; 0 picks a free one (tests). */
  port: number;
  /** Interface to bind. Loopback by default: exposing the IVR is a deliberate choice. */
  host: string;
  /** SQLite file of the PIN directory, or ':memory:'. */
  db: string;
  /** Deployment YAML loaded into the directory; without it an embedded demo deployment is used. */
  config?: string | undefined;
  /** What carries the directory's mail (an SmtpTransport); the mail folder beside `db` by default. */
  mail?: MailTransport | undefined;
  /** When set, WebSocket upgrades and /api/* need `Authorization: Bearer <token>` or `?token=`. */
  token?: string | undefined;
  /**
   * Browser origins, besides the server's own pages, that may open calls
   * (`https://app.example.com`, or `*` for any). Clients that send no
   * Origin (platforms, tools) are always let through.
   */
  allowedOrigins: readonly string[];
  /**
   * Host names, besides the loopback names and the bound address, that
   * requests may be addressed to (`ivr.example.com`, the name a reverse
   * proxy forwards). Any other Host header is refused with 421, which stops
   * DNS rebinding; see host-check.ts.
   */
  allowHosts: readonly string[];
  /** Most concurrent calls; further callers are closed with 1013 (try again later). */
  maxCalls: number;
  /**
   * Port for SIP over UDP and TCP, on `host` (RTP on ports the OS picks
   * there); 0 picks a free one. Without it there is no SIP: `dialin-sim
   * serve` passes 5060 unless told `--sip-port off`. SIP calls have their
   * own `maxCalls` cap (486 Busy Here above it).
   */
  sipPort?: number | undefined;
  /** One line per call event and server event. */
  log: (line: string) => void;
  /** Length of one outgoing audio frame, ms. */
  frameMs: number;
  /** Frames sent per frame period: 1 is real time; tests may play prompts faster. */
  playbackSpeed: number;
  /** Time from the upgrade to the call's start message, ms. */
  handshakeTimeoutMs: number;
  /** Time without any message from a caller before the call is ended, ms. */
  idleTimeoutMs: number;
  /** Largest message accepted (error event and close 1009 above it), bytes. */
  maxFrameBytes: number;
  /** Unsent bytes on a socket above which its reader is considered stalled and dropped. */
  maxBufferedBytes: number;
  /** Time given to calls to hear `goodbye` on shutdown before they are cut, ms (other sockets get 2 s). */
  shutdownGraceMs: number;
  /**
   * Out-of-band DTMF events (Twilio `dtmf`, Vonage `websocket:dtmf`) accepted
   * per second, counted both on the call's audio and on the wall clock; one
   * more ends the call with an E_RATE_LIMIT error and close 1008. A person
   * keys at most about 10 keys a second.
   */
  maxOutOfBandDigitsPerSecond: number;
  /** Messages of any kind accepted from one caller per second of wall time; one more ends the call (E_RATE_LIMIT, 1008). */
  maxMessagesPerSecond: number;
  /** How far a caller's audio may run ahead of real time, ms; further ends the call (E_AUDIO_AHEAD, 1008). */
  maxAudioLeadMs: number;
  /** Flow timeouts and retry limits (tests shorten them). */
  flow?: Partial<FlowOptions> | undefined;
  /** Out-of-band / in-band digit matching. */
  digitMerger?: Partial<DigitMergerOptions> | undefined;
  /** Serves the softphone page and its files; found in src/web when not given. */
  staticFiles?: StaticHandler | undefined;
  /** Wall clock for the directory (lockout windows, PIN ages); Date.now by default. */
  wallClock?: (() => number) | undefined;
  /**
   * `redis://HOST:PORT`: conference state and the events between calls are
   * shared through this Redis with every other server pointed at it, so
   * several processes act as one bridge (src/server/cluster). In memory,
   * this process only, when absent.
   */
  redis?: string | undefined;
  /** With `redis`: time a server may go without renewing its lease before the others take it for dead, ms. */
  clusterLeaseMs?: number | undefined;
  /** With `redis`: prefix of every key, so several bridges can share one Redis. */
  clusterKeyPrefix?: string | undefined;
  /** SIP over UDP on this socket, already bound on `sipPort` (a `--workers` worker's, relayed by the primary). */
  sipUdpSocket?: DatagramSocket | undefined;
}

export const DEFAULT_SERVER_OPTIONS: ServerOptions = {
  port: 8080,
  host: '127.0.0.1',
  db: 'dialin.db',
  allowedOrigins: [],
  allowHosts: [],
  maxCalls: 2000,
  log: (line) => process.stdout.write(`${line}\n`),
  frameMs: 20,
  playbackSpeed: 1,
  handshakeTimeoutMs: 10_000,
  idleTimeoutMs: 30_000,
  // 64 KiB is over 0.6 s of 48 kHz PCM in one message: far above any real packet.
  maxFrameBytes: 64 * 1024,
  // About 2.7 s of 48 kHz audio, or 16 s of Twilio µ-law in JSON.
  maxBufferedBytes: 256 * 1024,
  shutdownGraceMs: 3_000,
  // Twice a fast typist, so a platform's burst after a network stall passes.
  maxOutOfBandDigitsPerSecond: 20,
  // Five times the 50 frames a second of 20 ms packets (twice 10 ms ones),
  // so a platform's catch-up burst after a network stall passes.
  maxMessagesPerSecond: 250,
  // A jitter buffer's worth; a live source cannot be further ahead.
  maxAudioLeadMs: 1000,
};

function positive(name: string, value: number, integer = false): void {
  if (typeof value !== 'number' || !Number.isFinite(value) || value <= 0 || (integer && !Number.isInteger(value))) {
    throw new ServerOptionsError(`${name} must be a positive ${integer ? 'integer' : 'number'}, got ${String(value)}`);
  }
}

export function resolveServerOptions(partial: Partial<ServerOptions>): ServerOptions {
  const defined = Object.fromEntries(Object.entries(partial).filter(([, value]) => value !== undefined));
  const options: ServerOptions = { ...DEFAULT_SERVER_OPTIONS, ...defined };
  if (!Number.isInteger(options.port) || options.port < 0 || options.port > 65535) {
    throw new ServerOptionsError(`port must be an integer from 0 to 65535, got ${options.port}`);
  }
  if (options.sipPort !== undefined && (!Number.isInteger(options.sipPort) || options.sipPort < 0 || options.sipPort > 65535)) {
    throw new ServerOptionsError(`sipPort must be an integer from 0 to 65535, got ${options.sipPort}`);
  }
  if (typeof options.host !== 'string' || options.host === '') throw new ServerOptionsError('host must not be empty');
  if (typeof options.db !== 'string' || options.db === '') throw new ServerOptionsError('db must name a file, :memory: or a postgres:// URL');
  if (options.token !== undefined && options.token.length < 8) {
    throw new ServerOptionsError('token must be at least 8 characters');
  }
  for (const name of options.allowHosts) {
    const problem = allowHostProblem(name);
    if (problem !== undefined) throw new ServerOptionsError(`allowHosts: ${problem}`);
  }
  for (const origin of options.allowedOrigins) {
    const problem = originProblem(origin);
    if (problem !== undefined) throw new ServerOptionsError(`allowedOrigins: ${problem}`);
  }
  positive('maxCalls', options.maxCalls, true);
  positive('frameMs', options.frameMs);
  positive('playbackSpeed', options.playbackSpeed, true);
  positive('handshakeTimeoutMs', options.handshakeTimeoutMs);
  positive('idleTimeoutMs', options.idleTimeoutMs);
  positive('maxFrameBytes', options.maxFrameBytes, true);
  positive('maxBufferedBytes', options.maxBufferedBytes, true);
  positive('shutdownGraceMs', options.shutdownGraceMs);
  positive('maxOutOfBandDigitsPerSecond', options.maxOutOfBandDigitsPerSecond, true);
  positive('maxMessagesPerSecond', options.maxMessagesPerSecond, true);
  positive('maxAudioLeadMs', options.maxAudioLeadMs);
  if (options.redis !== undefined && !isRedisUrl(options.redis)) {
    throw new ServerOptionsError(`redis must be a redis:// URL, got '${options.redis}'`);
  }
  if (options.clusterLeaseMs !== undefined) positive('clusterLeaseMs', options.clusterLeaseMs);
  return options;
}

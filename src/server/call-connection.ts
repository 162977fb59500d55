/**
 * One caller's socket: feeds frames through the protocol adapter into a
 * CallSession, sends the session's audio and events back, and enforces the
 * per-socket limits. Anything the caller does wrong ends this call only: an
 * `error` event, one log line, and a close with the matching code.
 */
import type { WebSocket } from 'ws';
import type { CallEvent, HangupReason } from '../session/call-events.ts';
import type { CallSession, SessionSink } from '../session/call-session.ts';
import { CallerFieldError } from '../session/caller-fields.ts';
import { AudioPaceGuard } from './audio-pace-guard.ts';
import { logValue } from './call-log.ts';
import { EventRateLimit } from './event-rate-limit.ts';
import type { LiveCall } from './live-calls.ts';
import type { InboundAction, ProtocolAdapter } from './protocol-adapter.ts';
import { audioAhead, CLOSE_CODES, digitFlood, frameTooBig, messageFlood, ProtocolError, slowReader } from './protocol-error.ts';

/** The window of the out-of-band digit and message limits, ms. */
const RATE_WINDOW_MS = 1000;
/**
 * Time a dropped slow reader has to take its error event and close frame
 * (queued behind its backlog) before the socket is cut, ms.
 */
const STALLED_CLOSE_MS = 2000;

export interface ConnectionLimits {
  /** Largest message accepted, in bytes. */
  maxFrameBytes: number;
  /** Outgoing bytes queued on the socket above which the caller is dropped as a stalled reader. */
  maxBufferedBytes: number;
  /** Time allowed from the upgrade to the start message, ms. */
  handshakeTimeoutMs: number;
  /** Time without any message from the caller after which the call is ended, ms. */
  idleTimeoutMs: number;
  /** Out-of-band digits accepted per second (of audio and of wall time); one more ends the call (1008). */
  maxOutOfBandDigitsPerSecond: number;
  /** Messages of any kind accepted per second of wall time; one more ends the call (1008). */
  maxMessagesPerSecond: number;
  /** How far the caller's audio may run ahead of real time before the call is ended (1008), ms. */
  maxAudioLeadMs: number;
}

export interface ConnectionHooks {
  /** Creates the session once the start message has arrived. */
  createSession(start: Extract<InboundAction, { type: 'start' }>, sink: SessionSink, startedAt: number): CallSession;
  /** Every call event, for the log (after it has been sent). */
  onEvent(callId: string, event: CallEvent): void;
  /** A line about this connection outside its event stream. */
  onNote(label: string, message: string): void;
  /** The connection is gone; release its slot. */
  onClosed(connection: CallConnection): void;
}

export class CallConnection implements LiveCall {
  readonly adapter: ProtocolAdapter;
  private readonly socket: WebSocket;
  private readonly limits: ConnectionLimits;
  private readonly hooks: ConnectionHooks;
  private readonly openedAt: number;
  private session: CallSession | undefined;
  private lastHeardAt: number;
  private closed = false;
  /** ws reported a protocol error (a frame over its hard size limit, bad UTF-8) and is closing the socket. */
  private socketFailed = false;
  /** The close code and reason to use once the call's hung-up event has gone out. */
  private pendingClose: { code: number; reason: string } | undefined;
  /** A label for log lines before the call has an id. */
  private readonly label: string;
  /** Which slot of the shared frame clock renders this call's audio. */
  readonly phase: number;
  /**
   * Out-of-band digits per second, counted twice: on the audio timeline (a
   * socket that floods `dtmf` events without audio stands still on it and
   * is cut after the first few) and on the wall clock (audio sent faster
   * than real time cannot make room for more digits).
   */
  private readonly digitRate: EventRateLimit;
  private readonly digitWallRate: EventRateLimit;
  /** Every message, on the wall clock: a flood of tiny frames costs the other calls their timing. */
  private readonly messageRate: EventRateLimit;
  /** Set at the start message: the wall time the caller's audio timeline began. */
  private pace: AudioPaceGuard | undefined;
  private startedAt: number | undefined;
  private sampleRate = 0;
  private stalledTimer: ReturnType<typeof setTimeout> | undefined;

  constructor(
    socket: WebSocket,
    adapter: ProtocolAdapter,
    limits: ConnectionLimits,
    hooks: ConnectionHooks,
    now: number,
    label: string,
    phase = 0,
  ) {
    this.phase = phase;
    this.socket = socket;
    this.adapter = adapter;
    this.limits = limits;
    this.hooks = hooks;
    this.openedAt = now;
    this.lastHeardAt = now;
    this.label = label;
    this.digitRate = new EventRateLimit(limits.maxOutOfBandDigitsPerSecond, RATE_WINDOW_MS);
    this.digitWallRate = new EventRateLimit(limits.maxOutOfBandDigitsPerSecond, RATE_WINDOW_MS);
    this.messageRate = new EventRateLimit(limits.maxMessagesPerSecond, RATE_WINDOW_MS);
    socket.on('message', (data, isBinary) => this.onMessage(data as Buffer, isBinary));
    socket.on('close', () => {
      clearTimeout(this.stalledTimer);
      this.onSocketClosed();
    });
    socket.on('error', (error) => {
      this.socketFailed = true;
      this.hooks.onNote(this.id, `socket error: ${error.message}`);
    });
  }

  get id(): string {
    return this.session?.callId ?? this.label;
  }

  private onMessage(data: Buffer, isBinary: boolean, now = performance.now()): void {
    if (this.closed) return;
    this.lastHeardAt = now;
    try {
      if (!this.messageRate.allow(now)) throw messageFlood(this.messageRate.maxEvents, this.messageRate.windowMs);
      if (data.length > this.limits.maxFrameBytes) throw frameTooBig(data.length, this.limits.maxFrameBytes);
      this.apply(this.adapter.receive(data, isBinary), now);
    } catch (error) {
      this.fail(asProtocolError(error));
    }
  }

  private apply(action: InboundAction, now: number): void {
    switch (action.type) {
      case 'start': {
        this.startedAt = now;
        this.sampleRate = action.sampleRate;
        this.pace = new AudioPaceGuard(this.limits.maxAudioLeadMs, now);
        this.session = this.hooks.createSession(
          action,
          {
            audio: (frame, silent, shared) => this.sendAudio(frame, silent, shared),
            event: (event) => this.sendEvent(event),
          },
          now,
        );
        if (action.reference) this.hooks.onNote(this.session.callId, `${this.adapter.protocol} reference ${logValue(action.reference)}`);
        this.session.start();
        return;
      }
      case 'audio': {
        if (!this.session || !this.pace) return;
        const audioMs = this.session.audioMs + (action.samples.length * 1000) / this.sampleRate;
        if (!this.pace.allows(audioMs, now)) throw audioAhead(this.pace.leadMs(audioMs, now), this.pace.maxLeadMs);
        this.session.pushAudio(action.samples);
        return;
      }
      case 'dtmf':
        if (!this.session) return;
        if (!this.digitRate.allow(this.session.audioMs) || !this.digitWallRate.allow(now)) {
          throw digitFlood(this.digitRate.maxEvents, this.digitRate.windowMs);
        }
        this.session.outOfBandDigit(action.digit, action.durationMs);
        return;
      case 'hangup':
        this.pendingClose = { code: CLOSE_CODES.normal, reason: 'caller' };
        this.session?.hangup('caller');
        this.close(CLOSE_CODES.normal, 'caller');
        return;
      case 'ignore':
        return;
    }
  }

  /** One frame of the shared clock: renders and sends this caller's audio. */
  tick(): void {
    if (this.closed || !this.session) return;
    if (this.socket.bufferedAmount > this.limits.maxBufferedBytes) {
      // The error event and close frame queue behind the backlog: a reader
      // that catches up gets them; one that does not is cut.
      this.fail(slowReader(this.socket.bufferedAmount, this.limits.maxBufferedBytes), 'slow-reader');
      this.stalledTimer = setTimeout(() => this.socket.terminate(), STALLED_CLOSE_MS);
      this.stalledTimer.unref();
      return;
    }
    this.session.renderFrame();
  }

  /** Checks the handshake and idle deadlines; called by the server's sweep. */
  checkDeadlines(now: number): void {
    if (this.closed) return;
    if (!this.session && now - this.openedAt > this.limits.handshakeTimeoutMs) {
      this.fail(new ProtocolError('E_HANDSHAKE_TIMEOUT', CLOSE_CODES.policy, `no start message within ${this.limits.handshakeTimeoutMs} ms`));
    } else if (now - this.lastHeardAt > this.limits.idleTimeoutMs) {
      this.fail(new ProtocolError('E_IDLE_TIMEOUT', CLOSE_CODES.policy, `nothing received for ${this.limits.idleTimeoutMs} ms`), 'idle-timeout');
    }
  }

  /** Server shutdown: goodbye to a live call, a plain close to one not yet started. */
  shutdown(): void {
    if (this.closed) return;
    if (this.session && this.session.phase === 'active') this.session.endWithGoodbye('server-shutdown');
    else if (!this.session) this.close(CLOSE_CODES.goingAway, 'server shutting down');
  }

  /** Ends the call now, whatever it is doing (shutdown grace period over). */
  forceEnd(): void {
    if (this.closed) return;
    this.session?.forceEnd();
    if (!this.closed) this.close(CLOSE_CODES.goingAway, 'server shutting down');
  }

  /** Rejects the connection before any call starts (server full, shutting down). */
  reject(error: ProtocolError): void {
    this.fail(error);
  }

  private fail(error: ProtocolError, reason: HangupReason = 'error'): void {
    if (this.closed) return;
    this.hooks.onNote(this.id, `${error.code} close ${error.closeCode}: ${error.message}`);
    const event: CallEvent = { event: 'error', code: error.code, message: error.message, callMs: this.callMs() };
    for (const frame of this.adapter.encodeEvent(event)) this.send(frame);
    this.pendingClose = { code: error.closeCode, reason: error.code };
    this.session?.hangup(reason);
    this.close(error.closeCode, error.code);
  }

  /** The session's clock: ms since the start message (0 before it). */
  private callMs(): number {
    return this.startedAt === undefined ? 0 : Math.round((performance.now() - this.startedAt) * 10) / 10;
  }

  private sendAudio(frame: Int16Array, silent: boolean, shared: Int16Array | undefined): void {
    if (this.closed) return;
    this.send(this.adapter.encodeAudio(frame, silent, shared));
  }

  private sendEvent(event: CallEvent): void {
    for (const frame of this.adapter.encodeEvent(event)) this.send(frame);
    this.hooks.onEvent(this.id, event);
    if (event.event === 'hung-up') {
      const { code, reason } = this.pendingClose ?? {
        code: event.reason === 'server-shutdown' ? CLOSE_CODES.goingAway : CLOSE_CODES.normal,
        reason: event.reason,
      };
      this.close(code, reason);
    }
  }

  private send(frame: string | Buffer): void {
    if (this.closed || this.socket.readyState !== this.socket.OPEN) return;
    this.socket.send(frame);
  }

  private close(code: number, reason: string): void {
    if (this.closed) return;
    this.closed = true;
    if (this.socket.readyState === this.socket.OPEN) this.socket.close(code, reason.slice(0, 120));
    this.hooks.onClosed(this);
  }

  private onSocketClosed(): void {
    if (!this.closed) {
      this.closed = true;
      this.session?.hangup(this.socketFailed ? 'error' : 'caller');
      this.hooks.onClosed(this);
    }
  }
}

/** What a failed message closes the call with: a refused caller field is data inconsistent with its type (1007); anything unexpected is ours (1011). */
function asProtocolError(error: unknown): ProtocolError {
  if (error instanceof ProtocolError) return error;
  if (error instanceof CallerFieldError) return new ProtocolError(error.code, CLOSE_CODES.invalidPayload, error.message);
  return new ProtocolError('E_INTERNAL', CLOSE_CODES.internalError, `internal error: ${(error as Error).message}`);
}

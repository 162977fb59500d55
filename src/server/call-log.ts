/**
 * One log line per call event: `<ISO time> <callId> <event> <details>`.
 * Digits heard while the caller is keying a PIN are written as `*`, so no
 * PIN, old or new, ever reaches a log file.
 */
import type { CallEvent } from '../session/call-events.ts';

/** States in which every digit the caller keys belongs to a PIN. */
const SECRET_STATES: ReadonlySet<string> = new Set(['collecting-pin', 'verifying-pin', 'changing-pin']);

export type LogSink = (line: string) => void;

/** Tracks each call's state so that its PIN digits can be masked. */
export class CallLog {
  private readonly sink: LogSink;
  private readonly wallClock: () => number;
  private readonly states = new Map<string, string>();

  constructor(sink: LogSink, wallClock: () => number = Date.now) {
    this.sink = sink;
    this.wallClock = wallClock;
  }

  /** A line about the server itself, not about a call. */
  server(message: string): void {
    this.sink(`${new Date(this.wallClock()).toISOString()} server ${message}`);
  }

  /** A line about one call outside its event stream (a rejected frame, a dropped socket). */
  note(callId: string, message: string): void {
    this.sink(`${new Date(this.wallClock()).toISOString()} ${callId} ${message}`);
  }

  event(callId: string, event: CallEvent): void {
    if (event.event === 'state-entered') this.states.set(callId, event.state);
    this.sink(`${new Date(this.wallClock()).toISOString()} ${callId} ${event.event}${this.details(callId, event)}`);
    if (event.event === 'hung-up') this.states.delete(callId);
  }

  private details(callId: string, event: CallEvent): string {
    switch (event.event) {
      case 'call-started':
        return ` protocol=${event.protocol} rate=${event.sampleRate}${event.from ? ` from=${event.from}` : ''}`;
      case 'state-entered':
        return ` ${event.state}`;
      case 'prompt-started':
        return ` ${event.prompt}`;
      case 'prompt-stopped':
        return ` ${event.prompt} ${event.reason}`;
      case 'digit-heard': {
        const secret = SECRET_STATES.has(this.states.get(callId) ?? '');
        return ` ${secret ? '*' : event.digit} ${event.source} ${event.startMs.toFixed(1)}-${event.endMs.toFixed(1)}ms`;
      }
      case 'admitted':
      case 'meeting-started':
        return ` ${event.conferenceId}`;
      case 'meeting-ended':
        return ` ${event.conferenceId} ${event.reason}`;
      case 'hung-up':
        return ` ${event.reason}`;
      case 'error':
        return ` ${event.code} ${event.message}`;
    }
  }
}

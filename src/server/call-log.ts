/**
 * One log line per call event: `<ISO time> <callId> <event> <details>`.
 *
 * No digit value reaches the log: every digit key (0-9 and A-D) of a
 * `digit-heard` line is written as `x`, whatever state the call is in. A
 * rule based on the call's state cannot be right, because digits that arrive
 * together (one long audio frame, a burst of platform DTMF events) are heard
 * before the flow reports the state they belong to. `*` and `#` are shown:
 * a PIN holds only the digits 0-9 (pin-policy.ts), and these two keys are
 * what a reader needs to follow the call (an entry restarted or submitted).
 * The conference ID is still logged, on the admitted and meeting lines.
 *
 * What a caller sent (its `from`, a platform's call and stream ids, the text
 * of a frame that failed to parse) is untrusted: such values are quoted and
 * escaped to printable ASCII when they hold anything but a plain token, and
 * cut to a bounded length, so that one event is always one line.
 */
import type { CallEvent } from '../session/call-events.ts';
import { cutText } from './cut-text.ts';

/** Longest untrusted value written (a caller id, a platform's call id). */
const MAX_VALUE_CHARS = 64;
/** Longest message text written (error messages quote the caller's input). */
const MAX_MESSAGE_CHARS = 240;
/** What a digit key is logged as. */
const DIGIT_MASK = 'x';

/** Printable ASCII without space, quotes, backslash or `=`: safe to write bare. */
const PLAIN_TOKEN = /^[!#-<>-[\]-~]+$/;
/** Anything but printable ASCII (control characters, line separators, bidi overrides…). */
const UNPRINTABLE = /[^ -~]/g;

const escapeChar = (char: string) => `\\u${char.charCodeAt(0).toString(16).padStart(4, '0')}`;

/**
 * An untrusted value for a log line: bare when it is a plain token, else a
 * JSON string escaped to printable ASCII. Cut to MAX_VALUE_CHARS either way.
 */
export function logValue(value: string): string {
  const short = cutText(value, MAX_VALUE_CHARS);
  return PLAIN_TOKEN.test(short) ? short : JSON.stringify(short).replace(UNPRINTABLE, escapeChar);
}

/** Free text for a log line: every unprintable character escaped, cut to MAX_MESSAGE_CHARS. */
export function logText(text: string): string {
  return cutText(text, MAX_MESSAGE_CHARS).replace(UNPRINTABLE, escapeChar);
}

/** A digit as the log shows it: `*` and `#` as keyed, every other key masked. */
export function maskedDigit(digit: string): string {
  return digit === '*' || digit === '#' ? digit : DIGIT_MASK;
}

export type LogSink = (line: string) => void;

export class CallLog {
  private readonly sink: LogSink;
  private readonly wallClock: () => number;

  constructor(sink: LogSink, wallClock: () => number = Date.now) {
    this.sink = sink;
    this.wallClock = wallClock;
  }

  /** A line about the server itself, not about a call. */
  server(message: string): void {
    this.sink(`${this.now()} server ${logText(message)}`);
  }

  /**
   * A line about one call outside its event stream (a rejected frame, a
   * dropped socket). Untrusted parts of `message` should already be
   * `logValue()`s; the whole is escaped again so it stays one line.
   */
  note(callId: string, message: string): void {
    this.sink(`${this.now()} ${callId} ${logText(message)}`);
  }

  event(callId: string, event: CallEvent): void {
    this.sink(`${this.now()} ${callId} ${event.event}${this.details(event)}`);
  }

  private now(): string {
    return new Date(this.wallClock()).toISOString();
  }

  private details(event: CallEvent): string {
    switch (event.event) {
      case 'call-started':
        return ` protocol=${event.protocol} rate=${event.sampleRate}${event.from !== undefined ? ` from=${logValue(event.from)}` : ''}`;
      case 'state-entered':
        return ` ${event.state}`;
      case 'prompt-started':
        return ` ${event.prompt}`;
      case 'prompt-stopped':
        return ` ${event.prompt} ${event.reason}`;
      case 'digit-heard':
        return ` ${maskedDigit(event.digit)} ${event.source} ${event.startMs.toFixed(1)}-${event.endMs.toFixed(1)}ms`;
      case 'admitted':
      case 'meeting-started':
        return ` ${logValue(event.conferenceId)}`;
      case 'meeting-ended':
        return ` ${logValue(event.conferenceId)} ${logValue(event.reason)}`;
      case 'hung-up':
        return ` ${logValue(event.reason)}`;
      case 'error':
        return ` ${logValue(event.code)} ${logText(event.message)}`;
    }
  }
}

/**
 * The browser end of the native `/call` WebSocket protocol: a start message,
 * then binary 16-bit LE PCM both ways, JSON events from the server, and a
 * hangup message to end. Events are checked for shape before the page sees
 * them; anything else is reported as a protocol error, never thrown.
 */
import type { CallStateName, PromptName } from '../../flow/names.ts';
import type { CallEvent } from '../../session/call-events.ts';

export type ServerEvent = { readonly callMs: number } & (
  | { readonly event: 'call-started'; readonly callId: string; readonly sampleRate: number }
  | { readonly event: 'state-entered'; readonly state: CallStateName }
  | { readonly event: 'prompt-started'; readonly prompt: PromptName }
  | { readonly event: 'prompt-stopped'; readonly prompt: PromptName; readonly reason: string }
  | { readonly event: 'digit-heard'; readonly digit: string; readonly startMs: number; readonly endMs: number }
  | { readonly event: 'admitted'; readonly conferenceId: string }
  | { readonly event: 'meeting-started'; readonly conferenceId: string }
  /** The meeting ended; the service says goodbye and hangs up next. */
  | { readonly event: 'meeting-ended'; readonly conferenceId: string; readonly reason: string }
  | { readonly event: 'hung-up'; readonly reason: string }
  | { readonly event: 'error'; readonly code: string; readonly message: string }
);

/**
 * Fields each event must carry, by event name: name → [field, typeof]. Keyed
 * by the server's own event names, so an event the server gains fails the
 * type check here until the page knows it.
 */
const EVENT_FIELDS: Record<CallEvent['event'], readonly (readonly [string, 'string' | 'number'])[]> = {
  'call-started': [['callId', 'string'], ['sampleRate', 'number']],
  'state-entered': [['state', 'string']],
  'prompt-started': [['prompt', 'string']],
  'prompt-stopped': [['prompt', 'string'], ['reason', 'string']],
  'digit-heard': [['digit', 'string'], ['startMs', 'number'], ['endMs', 'number']],
  admitted: [['conferenceId', 'string']],
  'meeting-started': [['conferenceId', 'string']],
  'meeting-ended': [['conferenceId', 'string'], ['reason', 'string']],
  'hung-up': [['reason', 'string']],
  error: [['code', 'string'], ['message', 'string']],
};

/** The event in a text frame, or a description of what is wrong with it. */
export function parseServerEvent(text: string): ServerEvent | { readonly invalid: string } {
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch {
    return { invalid: `not JSON: ${text.slice(0, 80)}` };
  }
  if (typeof value !== 'object' || value === null) return { invalid: 'not an object' };
  const record = value as Record<string, unknown>;
  const name = record.event;
  if (typeof name !== 'string' || !Object.hasOwn(EVENT_FIELDS, name)) return { invalid: `unknown event ${JSON.stringify(name)}` };
  const fields = EVENT_FIELDS[name as ServerEvent['event']];
  for (const [field, type] of [['callMs', 'number'] as const, ...fields]) {
    if (typeof record[field] !== type) return { invalid: `${name}: ${field} is not a ${type}` };
  }
  return record as ServerEvent;
}

export interface CallSessionOptions {
  /** ws: or wss: URL of the server's /call endpoint. */
  url: string;
  /** The call's sample rate. */
  sampleRate: number;
  /** Caller id to present, e.g. '+15550001'; empty for none. */
  from: string;
}

export interface CallSessionEvents {
  onOpen(): void;
  onEvent(event: ServerEvent): void;
  onAudio(pcm: ArrayBuffer): void;
  /** A frame the page could not understand. */
  onProtocolError(description: string): void;
  onClose(code: number, reason: string): void;
}

export class CallSession {
  private readonly socket: WebSocket;
  private open = false;
  /** Bytes of audio sent, which is the caller-side stream position. */
  sentBytes = 0;

  constructor(options: CallSessionOptions, events: CallSessionEvents) {
    this.socket = new WebSocket(options.url);
    this.socket.binaryType = 'arraybuffer';
    this.socket.onopen = () => {
      const start: Record<string, unknown> = { event: 'start', sampleRate: options.sampleRate };
      if (options.from) start.from = options.from;
      this.socket.send(JSON.stringify(start));
      this.open = true;
      events.onOpen();
    };
    this.socket.onmessage = (message: MessageEvent<ArrayBuffer | string>) => {
      if (typeof message.data !== 'string') {
        events.onAudio(message.data);
        return;
      }
      const parsed = parseServerEvent(message.data);
      if ('invalid' in parsed) events.onProtocolError(parsed.invalid);
      else events.onEvent(parsed);
    };
    this.socket.onclose = (event) => {
      this.open = false;
      events.onClose(event.code, event.reason);
    };
  }

  /** Sends a frame of outgoing audio; frames before the socket opens are dropped. */
  sendAudio(pcm: ArrayBuffer): void {
    if (!this.open || this.socket.readyState !== WebSocket.OPEN) return;
    this.socket.send(pcm);
    this.sentBytes += pcm.byteLength;
  }

  /** Ends the call: tells the server, then closes once it has hung up (or at once if not open). */
  hangup(): void {
    if (this.open && this.socket.readyState === WebSocket.OPEN) {
      this.socket.send(JSON.stringify({ event: 'hangup' }));
      this.open = false;
      return;
    }
    this.close();
  }

  close(): void {
    this.open = false;
    if (this.socket.readyState === WebSocket.CONNECTING || this.socket.readyState === WebSocket.OPEN) this.socket.close(1000, 'caller hung up');
  }
}

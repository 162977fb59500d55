/**
 * Twilio Media Streams, bidirectional (`<Connect><Stream url="wss://…/twilio">`).
 * In: `connected`, `start` (streamSid, callSid, customParameters, mediaFormat:
 * audio/x-mulaw, 8000 Hz, 1 channel), `media` (base64 µ-law, normally 20 ms),
 * `dtmf` ({track, digit}), `mark` (our marks echoed once played), `stop`.
 * Out: `media` with base64 µ-law, a `mark` named after each prompt once its
 * last audio has been sent, and `clear` when the caller barges in.
 * Message formats: https://www.twilio.com/docs/voice/media-streams/websocket-messages
 *
 * The flow's prompt-finished signal comes from the server's own pacing, not
 * from Twilio's mark echo: audio is sent in real time, so Twilio holds at most
 * a frame or two, and the flow behaves the same on every protocol.
 */
import { decodeMulaw, encodeMulaw } from '../dsp/g711.ts';
import type { CallEvent } from '../session/call-events.ts';
import { callerFrom, callerId, callerKey } from '../session/caller-fields.ts';
import type { AdapterContext, InboundAction, OutboundFrame, ProtocolAdapter } from './protocol-adapter.ts';
import { SharedFrameCache } from './shared-frame-cache.ts';
import {
  alreadyStarted,
  CLOSE_CODES,
  notStarted,
  parseEventFrame,
  ProtocolError,
  unknownEvent,
} from './protocol-error.ts';

/** The only format a bidirectional Media Stream carries (Twilio docs, start message). */
export const TWILIO_MEDIA_FORMAT = { encoding: 'audio/x-mulaw', sampleRate: 8000, channels: 1 } as const;

const BASE64 = /^[A-Za-z0-9+/]*={0,2}$/;

function mulawBase64(samples: Int16Array): string {
  const codes = encodeMulaw(samples);
  return Buffer.from(codes.buffer, codes.byteOffset, codes.length).toString('base64');
}

/** The base64 µ-law payload of each frame of never-modified audio (prompts, hold music), made once for every caller. */
const SHARED_PAYLOADS = new SharedFrameCache(mulawBase64);

function object(value: unknown, what: string): Record<string, unknown> {
  if (typeof value !== 'object' || value === null || Array.isArray(value)) {
    throw new ProtocolError('E_BAD_FIELD', CLOSE_CODES.invalidPayload, `${what} must be an object`);
  }
  return value as Record<string, unknown>;
}

/** Strict base64 (Buffer.from silently skips bad characters). */
export function decodeBase64(payload: unknown, what: string): Buffer {
  if (typeof payload !== 'string' || payload.length % 4 !== 0 || !BASE64.test(payload)) {
    throw new ProtocolError('E_BAD_BASE64', CLOSE_CODES.invalidPayload, `${what} is not valid base64`);
  }
  return Buffer.from(payload, 'base64');
}

export class TwilioProtocol implements ProtocolAdapter {
  readonly protocol = 'twilio' as const;
  private readonly context: AdapterContext;
  private streamSid: string | undefined;
  /** JSON string of the streamSid, spliced into every outgoing message. */
  private sidJson = 'null';
  private marks = 0;
  /** Reused conversion buffers: one frame's µ-law codes and samples. */
  private codes = new Uint8Array(160);
  private samples = new Int16Array(160);
  private silentMessage: string | undefined;

  constructor(context: AdapterContext) {
    this.context = context;
  }

  receive(data: Buffer, isBinary: boolean): InboundAction {
    if (isBinary) {
      throw new ProtocolError('E_BINARY_UNSUPPORTED', CLOSE_CODES.unsupportedData, 'Media Streams carry JSON text frames only');
    }
    const frame = parseEventFrame(data.toString('utf8'));
    switch (frame.event) {
      case 'connected':
        return { type: 'ignore', what: 'connected' };
      case 'start':
        return this.start(frame);
      case 'media':
        return this.media(frame);
      case 'dtmf': {
        if (!this.streamSid) throw notStarted('dtmf');
        return { type: 'dtmf', digit: callerKey(object(frame['dtmf'], 'dtmf.dtmf')['digit'], 'dtmf.digit') };
      }
      case 'mark':
        return { type: 'ignore', what: 'mark' };
      case 'stop':
        return { type: 'hangup' };
      default:
        throw unknownEvent(frame.event);
    }
  }

  private start(frame: Record<string, unknown>): InboundAction {
    if (this.streamSid) throw alreadyStarted();
    const start = object(frame['start'], 'start.start');
    const format = object(start['mediaFormat'], 'start.mediaFormat');
    if (
      format['encoding'] !== TWILIO_MEDIA_FORMAT.encoding ||
      format['sampleRate'] !== TWILIO_MEDIA_FORMAT.sampleRate ||
      format['channels'] !== TWILIO_MEDIA_FORMAT.channels
    ) {
      throw new ProtocolError(
        'E_MEDIA_FORMAT',
        CLOSE_CODES.unsupportedData,
        `mediaFormat must be ${JSON.stringify(TWILIO_MEDIA_FORMAT)}, got ${JSON.stringify(format)}`,
      );
    }
    const streamSid = callerId(start['streamSid'] ?? frame['streamSid'], 'start.streamSid');
    const callSid = start['callSid'] === undefined ? undefined : callerId(start['callSid'], 'start.callSid');
    // customParameters are the TwiML's <Parameter>s, all optional: only a string `from` names the caller.
    const custom = start['customParameters'];
    const parameter = typeof custom === 'object' && custom !== null ? (custom as Record<string, unknown>)['from'] : undefined;
    const from = typeof parameter === 'string' ? callerFrom(parameter, 'start.customParameters.from') : undefined;
    this.streamSid = streamSid;
    this.sidJson = JSON.stringify(streamSid);
    return {
      type: 'start',
      sampleRate: TWILIO_MEDIA_FORMAT.sampleRate,
      ...(from !== undefined ? { from } : {}),
      reference: callSid ?? streamSid,
    };
  }

  private media(frame: Record<string, unknown>): InboundAction {
    if (!this.streamSid) throw notStarted('media');
    const media = object(frame['media'], 'media.media');
    const codes = decodeBase64(media['payload'], 'media.payload');
    // A bidirectional stream carries only the caller's (inbound) track.
    const track = media['track'];
    if (track !== undefined && track !== 'inbound' && track !== 'inbound_track') {
      return { type: 'ignore', what: `media on ${String(track)} track` };
    }
    // The session consumes the samples before the next message, so one buffer serves.
    if (this.samples.length < codes.length) this.samples = new Int16Array(codes.length);
    return { type: 'audio', samples: decodeMulaw(codes, this.samples.subarray(0, codes.length)) };
  }

  encodeAudio(samples: Int16Array, silent = false, shared?: Int16Array): OutboundFrame {
    if (shared) return this.mediaMessage(SHARED_PAYLOADS.get(shared));
    if (silent && this.silentMessage !== undefined && this.codes.length === samples.length) return this.silentMessage;
    if (this.codes.length !== samples.length) {
      this.codes = new Uint8Array(samples.length);
      this.silentMessage = undefined;
    }
    encodeMulaw(samples, this.codes);
    const message = this.mediaMessage(Buffer.from(this.codes.buffer, 0, samples.length).toString('base64'));
    if (silent) this.silentMessage = message;
    return message;
  }

  private mediaMessage(payload: string): string {
    return `{"event":"media","streamSid":${this.sidJson},"media":{"payload":"${payload}"}}`;
  }

  encodeEvent(event: CallEvent): OutboundFrame[] {
    const frames: OutboundFrame[] = [];
    if (event.event === 'prompt-stopped' && event.reason === 'finished') {
      frames.push(JSON.stringify({ event: 'mark', streamSid: this.streamSid, mark: { name: `${event.prompt}#${++this.marks}` } }));
    } else if (event.event === 'prompt-stopped' && event.reason === 'barge-in') {
      frames.push(JSON.stringify({ event: 'clear', streamSid: this.streamSid }));
    }
    // The native event names do not collide with Twilio's, so with `?events=1`
    // (and always for the error sent before a close) they go out unchanged.
    if (this.context.extraEvents || event.event === 'error') frames.push(JSON.stringify(event));
    return frames;
  }
}

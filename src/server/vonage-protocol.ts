/**
 * Vonage Voice API WebSocket (NCCO `connect` to a `websocket` endpoint).
 * In: first a text frame `{"event":"websocket:connected","content-type":
 * "audio/l16;rate=16000", …headers}`, then binary frames of exactly 20 ms of
 * 16-bit little-endian mono PCM (320 bytes at 8 kHz, 640 at 16 kHz), and
 * `{"event":"websocket:dtmf","digit":"5","duration":260}` text frames.
 * Out: binary frames of the same size and rate; `{"action":"clear"}` when the
 * caller barges in. Formats: https://developer.vonage.com/en/voice/voice-api/concepts/websockets
 */
import type { CallEvent } from '../session/call-events.ts';
import { callerFrom, callerKey } from '../session/caller-fields.ts';
import { pcm16Frame, pcm16Samples } from './pcm-bytes.ts';
import type { AdapterContext, InboundAction, OutboundFrame, ProtocolAdapter } from './protocol-adapter.ts';
import {
  alreadyStarted,
  CLOSE_CODES,
  notStarted,
  parseEventFrame,
  ProtocolError,
  unknownEvent,
} from './protocol-error.ts';

/** Linear PCM rates Vonage streams to a WebSocket. */
export const VONAGE_SAMPLE_RATES: readonly number[] = [8000, 16000];
/** Vonage sends and expects one 20 ms packet per binary message. */
export const VONAGE_FRAME_MS = 20;

const CONTENT_TYPE = /^audio\/l16;\s*rate=(\d+)$/i;
/** Text events Vonage sends that need no action: acknowledgements of our commands. */
const ACKNOWLEDGEMENTS: ReadonlySet<string> = new Set(['websocket:cleared', 'websocket:notify']);

export class VonageProtocol implements ProtocolAdapter {
  readonly protocol = 'vonage' as const;
  private readonly context: AdapterContext;
  private frameBytes = 0;

  constructor(context: AdapterContext) {
    this.context = context;
  }

  receive(data: Buffer, isBinary: boolean): InboundAction {
    if (isBinary) {
      if (this.frameBytes === 0) throw notStarted('binary audio');
      if (data.length !== this.frameBytes) {
        throw new ProtocolError(
          'E_FRAME_SIZE',
          CLOSE_CODES.invalidPayload,
          `audio frames must be ${this.frameBytes} bytes (20 ms), got ${data.length}`,
        );
      }
      return { type: 'audio', samples: pcm16Samples(data) };
    }
    const frame = parseEventFrame(data.toString('utf8'));
    if (frame.event === 'websocket:connected') return this.connected(frame);
    if (frame.event === 'websocket:dtmf') {
      if (this.frameBytes === 0) throw notStarted('websocket:dtmf');
      const digit = callerKey(frame['digit'], 'websocket:dtmf.digit');
      const duration = frame['duration'];
      const durationMs = typeof duration === 'number' && duration >= 0 && duration < 10_000 ? duration : undefined;
      return { type: 'dtmf', digit, ...(durationMs !== undefined ? { durationMs } : {}) };
    }
    if (ACKNOWLEDGEMENTS.has(frame.event)) return { type: 'ignore', what: frame.event };
    throw unknownEvent(frame.event);
  }

  private connected(frame: Record<string, unknown>): InboundAction {
    if (this.frameBytes !== 0) throw alreadyStarted();
    const contentType = frame['content-type'];
    const match = typeof contentType === 'string' ? CONTENT_TYPE.exec(contentType.trim()) : null;
    const sampleRate = match ? Number(match[1]) : NaN;
    if (!VONAGE_SAMPLE_RATES.includes(sampleRate)) {
      throw new ProtocolError(
        'E_SAMPLE_RATE',
        CLOSE_CODES.unsupportedData,
        `content-type must be audio/l16;rate=8000 or 16000, got ${JSON.stringify(contentType)}`,
      );
    }
    this.frameBytes = ((sampleRate * VONAGE_FRAME_MS) / 1000) * 2;
    // `from` is one of the headers the NCCO passes on, any JSON value: only a string names the caller.
    const header = frame['from'];
    const from = typeof header === 'string' ? callerFrom(header, 'websocket:connected.from') : undefined;
    return { type: 'start', sampleRate, ...(from !== undefined ? { from } : {}) };
  }

  readonly encodeAudio = pcm16Frame;

  encodeEvent(event: CallEvent): OutboundFrame[] {
    const frames: OutboundFrame[] = [];
    if (event.event === 'prompt-stopped' && event.reason === 'barge-in') frames.push(JSON.stringify({ action: 'clear' }));
    if (this.context.extraEvents || event.event === 'error') frames.push(JSON.stringify(event));
    return frames;
  }
}

/**
 * The native `/call` protocol (the contract the softphone is built against):
 * a JSON `start` text frame, then binary 16-bit little-endian PCM in frames
 * of any size, `{"event":"hangup"}` to end. Every call event goes back as a
 * JSON text frame; what the caller hears goes back as binary PCM.
 */
import { Pcm16Stitcher } from '../dsp/pcm16-stitcher.ts';
import type { CallEvent } from '../session/call-events.ts';
import { callerFrom } from '../session/caller-fields.ts';
import { pcm16Frame, pcm16Samples } from './pcm-bytes.ts';
import type { InboundAction, OutboundFrame, ProtocolAdapter } from './protocol-adapter.ts';
import {
  alreadyStarted,
  CLOSE_CODES,
  notStarted,
  parseEventFrame,
  ProtocolError,
  unknownEvent,
} from './protocol-error.ts';

/** Sample rates a native caller may send: narrowband, wideband, and a browser's native rate. */
export const NATIVE_SAMPLE_RATES: readonly number[] = [8000, 16000, 48000];

export class NativeProtocol implements ProtocolAdapter {
  readonly protocol = 'native' as const;
  private readonly stitcher = new Pcm16Stitcher();
  private started = false;

  receive(data: Buffer, isBinary: boolean): InboundAction {
    if (isBinary) {
      if (!this.started) throw notStarted('binary audio');
      // Whole samples with nothing carried over need no stitching.
      if (this.stitcher.pendingBytes === 0 && data.length % 2 === 0) return { type: 'audio', samples: pcm16Samples(data) };
      return { type: 'audio', samples: this.stitcher.push(data) };
    }
    const frame = parseEventFrame(data.toString('utf8'));
    switch (frame.event) {
      case 'start':
        return this.start(frame);
      case 'hangup':
        return { type: 'hangup' };
      default:
        throw unknownEvent(frame.event);
    }
  }

  private start(frame: Record<string, unknown>): InboundAction {
    if (this.started) throw alreadyStarted();
    const sampleRate = frame['sampleRate'];
    if (typeof sampleRate !== 'number' || !NATIVE_SAMPLE_RATES.includes(sampleRate)) {
      throw new ProtocolError(
        'E_SAMPLE_RATE',
        CLOSE_CODES.unsupportedData,
        `start.sampleRate must be one of ${NATIVE_SAMPLE_RATES.join(', ')}, got ${JSON.stringify(sampleRate)}`,
      );
    }
    const from = callerFrom(frame['from'], 'start.from');
    this.started = true;
    return { type: 'start', sampleRate, ...(from !== undefined ? { from } : {}) };
  }

  readonly encodeAudio = pcm16Frame;

  encodeEvent(event: CallEvent): OutboundFrame[] {
    return [JSON.stringify(event)];
  }
}

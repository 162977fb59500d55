/**
 * The caller's half of a WebRTC leg after SRTP: decrypted RTP packets in,
 * decoded 8 kHz audio frames and RFC 4733 key presses out. No I/O, so the
 * same bytes always give the same frames and keys.
 *
 * All packets of the stream, audio and telephone-event alike, share one
 * sequence space (RFC 4733 section 2.1), so they pass one jitter buffer
 * before being told apart by payload type. A gap in the audio timestamps of
 * up to MAX_GAP_FILL_SAMPLES (lost packets) is filled with silence so that
 * sample time, which the digit decoder runs on, stays true to the sender's.
 */
import { decodeAlaw, decodeMulaw } from '../../dsp/g711.ts';
import type { G711Codec } from '../../sdp/audio-answer.ts';
import { JitterBuffer } from '../../rtp/jitter-buffer.ts';
import { RtpParseError } from '../../rtp/rtp-error.ts';
import { parseRtpPacket, type RtpPacket } from '../../rtp/rtp-packet.ts';
import { timestampDiff } from '../../rtp/sequence-number.ts';
import { TelephoneEventTracker, type TelephoneKeyPress } from '../../rtp/telephone-event-tracker.ts';

/** RFC 3551 section 4.5: 20 ms at 8000 Hz. */
export const FRAME_SAMPLES = 160;
/** 100 ms: longer silences are a hold or a restart, not loss, and are not replayed as samples. */
export const MAX_GAP_FILL_SAMPLES = 800;

export interface AudioReceiverOptions {
  readonly codec: { readonly name: G711Codec; readonly payloadType: number };
  readonly telephoneEventPayloadType: number | undefined;
}

export interface ReceivedMedia {
  /** Whole frames of FRAME_SAMPLES samples; each is a new array the caller may keep. */
  readonly frames: Int16Array[];
  readonly keys: TelephoneKeyPress[];
}

export interface AudioReceiverStats {
  /** Packets that are not RTP or carry a broken telephone-event payload. */
  malformed: number;
  /** Packets of a payload type that was not negotiated. */
  unknownPayloadType: number;
}

export class AudioReceiver {
  private readonly options: AudioReceiverOptions;
  private readonly buffer = new JitterBuffer({ depth: 3 });
  private readonly tracker = new TelephoneEventTracker();
  private readonly frame = new Int16Array(FRAME_SAMPLES);
  private filled = 0;
  /** RTP timestamp the next audio sample should carry. */
  private nextTimestamp: number | undefined;
  private ssrc: number | undefined;
  readonly stats: AudioReceiverStats = { malformed: 0, unknownPayloadType: 0 };

  constructor(options: AudioReceiverOptions) {
    this.options = options;
  }

  /** One decrypted RTP packet as bytes from the network: hostile, so a bad one is counted and dropped. */
  push(bytes: Uint8Array): ReceivedMedia {
    const out: ReceivedMedia = { frames: [], keys: [] };
    let packet: RtpPacket;
    try {
      packet = parseRtpPacket(bytes);
    } catch (error) {
      if (!(error instanceof RtpParseError)) throw error;
      this.stats.malformed++;
      return out;
    }
    for (const ordered of this.buffer.push(packet)) this.dispatch(ordered, out);
    return out;
  }

  /** End of the stream: what the jitter buffer still holds and a key press whose end never came. */
  flush(): ReceivedMedia {
    const out: ReceivedMedia = { frames: [], keys: [] };
    for (const ordered of this.buffer.flush()) this.dispatch(ordered, out);
    out.keys.push(...this.tracker.flush());
    return out;
  }

  private dispatch(packet: RtpPacket, out: ReceivedMedia): void {
    if (packet.payloadType === this.options.telephoneEventPayloadType) {
      try {
        out.keys.push(...this.tracker.push(packet));
      } catch (error) {
        if (!(error instanceof RtpParseError)) throw error;
        this.stats.malformed++;
      }
      return;
    }
    if (packet.payloadType !== this.options.codec.payloadType) {
      this.stats.unknownPayloadType++;
      return;
    }
    if (packet.ssrc !== this.ssrc) {
      this.ssrc = packet.ssrc;
      this.nextTimestamp = undefined;
    }
    if (this.nextTimestamp !== undefined) {
      const gap = timestampDiff(packet.timestamp, this.nextTimestamp);
      if (gap > 0 && gap <= MAX_GAP_FILL_SAMPLES) this.append(new Int16Array(gap), out);
    }
    const samples = this.options.codec.name === 'PCMU' ? decodeMulaw(packet.payload) : decodeAlaw(packet.payload);
    this.append(samples, out);
    this.nextTimestamp = (packet.timestamp + samples.length) >>> 0;
  }

  private append(samples: Int16Array, out: ReceivedMedia): void {
    let offset = 0;
    while (offset < samples.length) {
      const take = Math.min(FRAME_SAMPLES - this.filled, samples.length - offset);
      this.frame.set(samples.subarray(offset, offset + take), this.filled);
      this.filled += take;
      offset += take;
      if (this.filled === FRAME_SAMPLES) {
        out.frames.push(this.frame.slice());
        this.filled = 0;
      }
    }
  }
}

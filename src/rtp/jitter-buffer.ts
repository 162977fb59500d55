/**
 * A small reordering buffer for one RTP stream. Packets leave in sequence
 * order as soon as they are contiguous; when a gap stays open until `depth`
 * packets wait behind it, the missing ones are given up as lost. Late
 * packets (behind what already left) and duplicates are dropped. A new SSRC
 * or a sequence jump beyond RFC 3550 Appendix A.1's MAX_DROPOUT/MAX_MISORDER
 * is a new stream: what was held is released and the buffer starts over.
 */
import { MAX_DROPOUT, MAX_MISORDER } from './rtp-constants.ts';
import type { RtpPacket } from './rtp-packet.ts';
import { sequenceAdd, sequenceDiff } from './sequence-number.ts';

export interface JitterBufferOptions {
  /** Packets held behind a gap before it is declared lost; 3 at 20 ms ptime is 60 ms. */
  readonly depth: number;
}

export interface JitterBufferStats {
  late: number;
  duplicate: number;
  lost: number;
  resets: number;
}

export class JitterBuffer {
  private readonly depth: number;
  /** Waiting packets, in sequence order. */
  private held: RtpPacket[] = [];
  private next: number | undefined;
  private ssrc: number | undefined;
  readonly stats: JitterBufferStats = { late: 0, duplicate: 0, lost: 0, resets: 0 };

  constructor(options: JitterBufferOptions = { depth: 3 }) {
    if (!Number.isInteger(options.depth) || options.depth < 0 || options.depth > 1000) throw new RangeError('depth must be an integer 0-1000');
    this.depth = options.depth;
  }

  push(packet: RtpPacket): RtpPacket[] {
    const out: RtpPacket[] = [];
    if (this.ssrc !== undefined && packet.ssrc !== this.ssrc) this.restart(out);
    this.ssrc = packet.ssrc;
    const reference = this.next ?? this.held[0]?.sequenceNumber;
    if (reference !== undefined) {
      const ahead = sequenceDiff(packet.sequenceNumber, reference);
      if (ahead > MAX_DROPOUT || ahead < -MAX_MISORDER) {
        this.restart(out);
        this.ssrc = packet.ssrc;
      } else if (this.next !== undefined && ahead < 0) {
        this.stats.late++;
        return out;
      }
    }
    if (this.held.some((held) => held.sequenceNumber === packet.sequenceNumber)) {
      this.stats.duplicate++;
      return out;
    }
    this.insert(packet);
    this.release(out);
    return out;
  }

  /** Everything still held, in order (end of the call). */
  flush(): RtpPacket[] {
    const out = this.held;
    this.held = [];
    if (out.length > 0) this.next = sequenceAdd(out[out.length - 1]!.sequenceNumber, 1);
    return out;
  }

  private restart(out: RtpPacket[]): void {
    out.push(...this.flush());
    this.next = undefined;
    this.ssrc = undefined;
    this.stats.resets++;
  }

  private insert(packet: RtpPacket): void {
    let at = this.held.length;
    while (at > 0 && sequenceDiff(packet.sequenceNumber, this.held[at - 1]!.sequenceNumber) < 0) at--;
    this.held.splice(at, 0, packet);
  }

  private release(out: RtpPacket[]): void {
    for (;;) {
      const first = this.held[0];
      if (!first) return;
      const contiguous = this.next !== undefined && first.sequenceNumber === this.next;
      if (!contiguous && this.held.length <= this.depth) return;
      if (!contiguous && this.next !== undefined) this.stats.lost += sequenceDiff(first.sequenceNumber, this.next);
      this.held.shift();
      out.push(first);
      this.next = sequenceAdd(first.sequenceNumber, 1);
    }
  }
}

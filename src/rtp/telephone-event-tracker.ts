/**
 * Turns RFC 4733 telephone-event packets into key presses, one per event.
 *
 * An event is identified by its SSRC, RTP timestamp and event code (RFC 4733
 * section 2.5.1.1: all packets of one event carry the timestamp of its
 * start). It ends at the first packet with the E bit; the repeated end
 * packets (section 2.5.1.4 sends three) and late copies count once. An
 * event that never shows its end is reported when another one starts or at
 * flush().
 *
 * A new event normally has a new timestamp; Asterisk accepts an end only when
 * the sequence number changed and the timestamp advanced. But SIPp's shipped
 * pcap/dtmf_2833_*.pcap files all carry one SSRC and one fixed timestamp,
 * and replaying a pcap restarts its sequence numbers, so pressing 1 twice
 * with them repeats the same identity. After an event has ended, a packet
 * without the E bit and the same identity therefore starts a new press when
 * it cannot belong to the old one:
 *  - its sequence number is after the end (a sender sends nothing of an event after its end), or
 *  - all repeated end packets were already seen (a reordered packet arrives before them), or
 *  - its sequence number was already seen in the old event (the pcap was replayed), or
 *  - it lies further back than any reordering (a restart, RFC 3550 Appendix A.1).
 * Otherwise it is a late packet of the ended event and is ignored. A packet
 * of an event already seen, with an older timestamp and a nearby older
 * sequence number, is a late packet of that earlier event and is ignored too.
 */
import type { DtmfKey } from '../dsp/dtmf-keys.ts';
import { END_PACKET_REPEATS, MAX_EVENT_DURATION, MAX_MISORDER } from './rtp-constants.ts';
import type { RtpPacket } from './rtp-packet.ts';
import { sequenceDiff, timestampDiff } from './sequence-number.ts';
import { eventKey, parseTelephoneEvent } from './telephone-event.ts';

export interface TelephoneKeyPress {
  readonly key: DtmfKey;
  readonly event: number;
  readonly ssrc: number;
  /** RTP timestamp of the event's start. */
  readonly timestamp: number;
  /** Longest duration seen, in timestamp units (8 per ms at 8000 Hz). */
  readonly duration: number;
  /** False when the press was closed without an end packet (lost ends). */
  readonly endSeen: boolean;
}

interface OpenEvent {
  readonly ssrc: number;
  timestamp: number;
  readonly event: number;
  duration: number;
  /** Sequence numbers of this event's packets, for telling a replay from a late copy. */
  readonly seen: Set<number>;
  highestSeq: number;
  firstEndSeq: number | undefined;
  lastEndSeq: number | undefined;
  endsSeen: number;
  reported: boolean;
}

/** A segment of a long event (section 2.5.1.3) continues when the old one was within 1600 units (200 ms at 8000 Hz) of the duration limit. */
const LONG_EVENT_SLACK = 1600;

export class TelephoneEventTracker {
  private current: OpenEvent | undefined;
  /** Identities of the last events seen, so a late packet of one is told from a new press. */
  private readonly recent: string[] = [];

  /** One packet of the negotiated telephone-event payload type. Throws RtpParseError on a malformed payload. */
  push(packet: RtpPacket): TelephoneKeyPress[] {
    const payload = parseTelephoneEvent(packet.payload);
    const current = this.current;
    const seq = packet.sequenceNumber;
    const same = current && current.ssrc === packet.ssrc && current.timestamp === packet.timestamp && current.event === payload.event;
    if (!current || !same) {
      if (current && this.isLateFromEarlierEvent(current, packet, payload.event)) return [];
      if (current && current.ssrc === packet.ssrc && current.event === payload.event && this.continuesLongEvent(current, packet.timestamp)) {
        current.timestamp = packet.timestamp;
        remember(current, seq);
        return payload.end ? this.end(current, seq, payload.duration) : [];
      }
      const out = current ? this.close(current) : [];
      const next: OpenEvent = {
        ssrc: packet.ssrc,
        timestamp: packet.timestamp,
        event: payload.event,
        duration: payload.duration,
        seen: new Set([seq]),
        highestSeq: seq,
        firstEndSeq: undefined,
        lastEndSeq: undefined,
        endsSeen: 0,
        reported: false,
      };
      this.current = next;
      this.recent.push(identity(packet.ssrc, packet.timestamp, payload.event));
      if (this.recent.length > RECENT_EVENTS) this.recent.shift();
      if (payload.end) out.push(...this.end(next, seq, payload.duration));
      return out;
    }
    if (current.firstEndSeq === undefined) {
      remember(current, seq);
      current.duration = Math.max(current.duration, payload.duration);
      return payload.end ? this.end(current, seq, payload.duration) : [];
    }
    if (payload.end) {
      if (!current.seen.has(seq)) current.endsSeen++;
      remember(current, seq);
      if (sequenceDiff(seq, current.lastEndSeq!) > 0) current.lastEndSeq = seq;
      return [];
    }
    if (this.startsAgain(current, seq)) {
      this.current = undefined;
      return this.push(packet);
    }
    return [];
  }

  /** The press still open, if its end never came (end of the stream). */
  flush(): TelephoneKeyPress[] {
    const current = this.current;
    this.current = undefined;
    return current ? this.close(current) : [];
  }

  /**
   * A reordered packet of an event before the current one: an event already
   * seen, with an older timestamp and an older, nearby sequence number. An
   * event never seen is a new press even then: SIPp's star pcap, replayed
   * after its pound pcap, starts 39 sequence numbers and 6880 timestamp
   * units behind it.
   */
  private isLateFromEarlierEvent(current: OpenEvent, packet: RtpPacket, event: number): boolean {
    if (packet.ssrc !== current.ssrc || timestampDiff(packet.timestamp, current.timestamp) >= 0) return false;
    if (!this.recent.includes(identity(packet.ssrc, packet.timestamp, event))) return false;
    const behind = sequenceDiff(packet.sequenceNumber, current.highestSeq);
    return behind < 0 && behind >= -MAX_MISORDER;
  }

  private startsAgain(current: OpenEvent, seq: number): boolean {
    const afterEnd = sequenceDiff(seq, current.lastEndSeq!) > 0;
    const farBack = sequenceDiff(seq, current.firstEndSeq!) < -MAX_MISORDER;
    return afterEnd || farBack || current.endsSeen >= END_PACKET_REPEATS || current.seen.has(seq);
  }

  private continuesLongEvent(current: OpenEvent, timestamp: number): boolean {
    const step = timestampDiff(timestamp, current.timestamp);
    return current.firstEndSeq === undefined && current.duration >= MAX_EVENT_DURATION - LONG_EVENT_SLACK && step > 0 && step <= MAX_EVENT_DURATION + LONG_EVENT_SLACK;
  }

  private end(event: OpenEvent, seq: number, duration: number): TelephoneKeyPress[] {
    remember(event, seq);
    event.firstEndSeq = seq;
    event.lastEndSeq = seq;
    event.endsSeen = 1;
    event.duration = Math.max(event.duration, duration);
    return this.report(event, true);
  }

  private close(event: OpenEvent): TelephoneKeyPress[] {
    return event.reported ? [] : this.report(event, false);
  }

  private report(event: OpenEvent, endSeen: boolean): TelephoneKeyPress[] {
    event.reported = true;
    const key = eventKey(event.event);
    if (key === undefined) return [];
    return [{ key, event: event.event, ssrc: event.ssrc, timestamp: event.timestamp, duration: event.duration, endSeen }];
  }
}

/** How many past events a late packet is matched against; reordering spans far fewer (RFC 3550 A.1's MAX_MISORDER packets). */
const RECENT_EVENTS = 16;

function identity(ssrc: number, timestamp: number, event: number): string {
  return `${ssrc}/${timestamp}/${event}`;
}

function remember(event: OpenEvent, seq: number): void {
  event.seen.add(seq);
  if (sequenceDiff(seq, event.highestSeq) > 0) event.highestSeq = seq;
}

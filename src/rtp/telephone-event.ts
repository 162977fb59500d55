/**
 * The RFC 4733 telephone-event payload (section 2.3):
 *
 *    0                   1                   2                   3
 *   |     event     |E|R| volume    |          duration             |
 *
 * and the DTMF keys of event codes 0-15 (section 3.2, Table 7).
 */
import type { DtmfKey } from '../dsp/dtmf-keys.ts';
import { TELEPHONE_EVENT_BYTES } from './rtp-constants.ts';
import { RtpParseError } from './rtp-error.ts';

export interface TelephoneEvent {
  readonly event: number;
  /** E bit: the last packets of the event. */
  readonly end: boolean;
  /** Power level 0-63, in -dBm0 (section 2.3.4). */
  readonly volume: number;
  /** Duration so far in timestamp units (section 2.3.5). */
  readonly duration: number;
}

export function parseTelephoneEvent(payload: Uint8Array): TelephoneEvent {
  // Section 2.3: one event is 4 bytes; longer payloads are not defined without RFC 2198 redundancy.
  if (payload.length !== TELEPHONE_EVENT_BYTES) {
    throw new RtpParseError('bad-event-payload', `telephone-event payload is ${payload.length} bytes, expected ${TELEPHONE_EVENT_BYTES}`);
  }
  return { event: payload[0]!, end: (payload[1]! & 0x80) !== 0, volume: payload[1]! & 0x3f, duration: (payload[2]! << 8) | payload[3]! };
}

export function buildTelephoneEvent(event: TelephoneEvent): Uint8Array {
  if (event.event < 0 || event.event > 255 || event.volume < 0 || event.volume > 63 || event.duration < 0 || event.duration > 0xffff) {
    throw new RangeError('telephone-event field out of range');
  }
  // Section 2.3: the R bit is reserved and sent as zero.
  return Uint8Array.of(event.event, (event.end ? 0x80 : 0) | event.volume, event.duration >> 8, event.duration & 0xff);
}

/** Section 3.2 Table 7: 0-9, then *, #, A-D. */
const EVENT_KEYS: readonly DtmfKey[] = ['0', '1', '2', '3', '4', '5', '6', '7', '8', '9', '*', '#', 'A', 'B', 'C', 'D'];

/** The DTMF key of an event code, or undefined for other events (16 is flash). */
export function eventKey(event: number): DtmfKey | undefined {
  return EVENT_KEYS[event];
}

export function keyEvent(key: DtmfKey): number {
  return EVENT_KEYS.indexOf(key);
}

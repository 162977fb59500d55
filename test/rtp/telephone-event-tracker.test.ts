import { describe, expect, it } from 'vitest';
import { buildRtpPacket, parseRtpPacket, type RtpPacket } from '../../src/rtp/rtp-packet.ts';
import { RtpParseError } from '../../src/rtp/rtp-error.ts';
import { buildTelephoneEvent } from '../../src/rtp/telephone-event.ts';
import { TelephoneEventTracker, type TelephoneKeyPress } from '../../src/rtp/telephone-event-tracker.ts';

const SSRC = 0x1234abcd;

interface Step {
  readonly seq: number;
  readonly event: number;
  readonly duration: number;
  readonly end?: boolean;
  readonly timestamp?: number;
  readonly ssrc?: number;
}

function packet(step: Step): RtpPacket {
  return parseRtpPacket(
    buildRtpPacket({
      payloadType: 101,
      marker: step.duration === 160 && !step.end,
      sequenceNumber: step.seq,
      timestamp: step.timestamp ?? 3000,
      ssrc: step.ssrc ?? SSRC,
      payload: buildTelephoneEvent({ event: step.event, end: step.end ?? false, volume: 10, duration: step.duration }),
    }),
  );
}

/**
 * One press as SIPp's pcap/dtmf_2833_<digit>.pcap carries it: a marked
 * first packet, duration rising by 160 (20 ms) per packet, then the end
 * packet three times with the final duration, all with one SSRC and
 * timestamp. Replaying the pcap restarts at the same sequence numbers.
 */
function pcapPress(event: number, firstSeq: number, timestamp = 3000): Step[] {
  const steps: Step[] = [];
  for (let i = 0; i < 6; i++) steps.push({ seq: firstSeq + i, event, duration: 160 * (i + 1), timestamp });
  for (let i = 0; i < 3; i++) steps.push({ seq: firstSeq + 6 + i, event, duration: 1120, end: true, timestamp });
  return steps;
}

function keys(steps: readonly Step[], tracker = new TelephoneEventTracker()): TelephoneKeyPress[] {
  return [...steps.flatMap((step) => tracker.push(packet(step))), ...tracker.flush()];
}

const digits = (presses: TelephoneKeyPress[]) => presses.map((press) => press.key).join('');

describe('TelephoneEventTracker', () => {
  it('reports one key per event, at its first end packet, counting the three end packets once', () => {
    const tracker = new TelephoneEventTracker();
    const steps = pcapPress(5, 100);
    const reported = steps.map((step) => tracker.push(packet(step)).length);
    expect(reported).toEqual([0, 0, 0, 0, 0, 0, 1, 0, 0]);
    expect(keys(steps)).toEqual([{ key: '5', event: 5, ssrc: SSRC, timestamp: 3000, duration: 1120, endSeen: true }]);
  });

  it('gives two keys when the same dtmf_2833 pcap is played twice (same SSRC and timestamp, sequence restarted)', () => {
    expect(digits(keys([...pcapPress(1, 100), ...pcapPress(1, 100)]))).toBe('11');
  });

  it('gives two keys for a replay whose sequence numbers continue', () => {
    expect(digits(keys([...pcapPress(1, 100), ...pcapPress(1, 109)]))).toBe('11');
  });

  it('gives two keys for a replay even when one end packet of the first press was lost', () => {
    const first = pcapPress(1, 100).filter((step) => step.seq !== 108);
    expect(digits(keys([...first, ...pcapPress(1, 100)]))).toBe('11');
  });

  it('plays 1 then 2 from two pcaps as two keys', () => {
    expect(digits(keys([...pcapPress(1, 100), ...pcapPress(2, 100)]))).toBe('12');
  });

  it('keeps two presses of one key apart by their timestamps', () => {
    expect(digits(keys([...pcapPress(7, 100, 8000), ...pcapPress(7, 109, 16000)]))).toBe('77');
  });

  it('ignores a late packet of an event that already ended', () => {
    const steps = pcapPress(9, 100);
    const reordered = [...steps.slice(0, 4), steps[6]!, steps[4]!, steps[5]!, steps[7]!, steps[8]!];
    expect(digits(keys(reordered))).toBe('9');
  });

  it('ignores a late packet of the previous event arriving after the next one started', () => {
    const first = pcapPress(1, 100, 8000);
    const second = pcapPress(2, 109, 9600);
    expect(digits(keys([...first, ...second.slice(0, 2), first[5]!, ...second.slice(2)]))).toBe('12');
  });

  it('plays # then * from SIPp pcaps whose files carry an older timestamp and nearby older sequence numbers for * as two keys', () => {
    // dtmf_2833_pound.pcap: seq 8436-8445, timestamp 92640; dtmf_2833_star.pcap: seq 8397-8406, timestamp 85760.
    expect(digits(keys([...pcapPress(11, 8436, 92640), ...pcapPress(10, 8397, 85760)]))).toBe('#*');
  });

  it('ignores duplicated end packets', () => {
    const steps = pcapPress(3, 100);
    expect(digits(keys([...steps, steps[8]!, steps[8]!]))).toBe('3');
  });

  it('still reports a press whose end packets were all lost, when the next one starts or at flush', () => {
    const lostEnds = pcapPress(4, 100).filter((step) => !step.end);
    expect(keys([...lostEnds, ...pcapPress(6, 200, 9000)]).map((press) => [press.key, press.endSeen])).toEqual([
      ['4', false],
      ['6', true],
    ]);
    expect(keys(lostEnds).map((press) => press.endSeen)).toEqual([false]);
  });

  it('reports a press whose only surviving packets are its ends', () => {
    expect(digits(keys(pcapPress(8, 100).filter((step) => step.end)))).toBe('8');
  });

  it('starts over when the SSRC changes', () => {
    const other = pcapPress(1, 100).map((step) => ({ ...step, ssrc: 77 }));
    expect(digits(keys([...pcapPress(1, 100), ...other]))).toBe('11');
  });

  it('joins the segments of an event longer than the duration field (RFC 4733 section 2.5.1.3)', () => {
    const steps: Step[] = [
      { seq: 1, event: 0, duration: 160, timestamp: 1000 },
      { seq: 2, event: 0, duration: 0xffff, timestamp: 1000 },
      { seq: 3, event: 0, duration: 160, timestamp: 1000 + 0xffff },
      { seq: 4, event: 0, duration: 800, end: true, timestamp: 1000 + 0xffff },
    ];
    expect(digits(keys(steps))).toBe('0');
  });

  it('maps event codes 10-15 to * # A B C D and ignores other events', () => {
    const steps = [10, 11, 12, 13, 14, 15, 16].flatMap((event, i) => pcapPress(event, 100 + 20 * i, 1000 * (i + 1)));
    expect(digits(keys(steps))).toBe('*#ABCD');
  });

  it('throws RtpParseError on a payload that is not 4 bytes', () => {
    const bad = parseRtpPacket(buildRtpPacket({ payloadType: 101, sequenceNumber: 1, timestamp: 1, ssrc: 1, payload: Uint8Array.of(1, 2, 3) }));
    expect(() => new TelephoneEventTracker().push(bad)).toThrow(expect.objectContaining({ code: 'E_RTP_PACKET', problem: 'bad-event-payload' }));
    expect(() => new TelephoneEventTracker().push(bad)).toThrow(RtpParseError);
  });
});

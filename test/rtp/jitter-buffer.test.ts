import { describe, expect, it } from 'vitest';
import { JitterBuffer } from '../../src/rtp/jitter-buffer.ts';
import type { RtpPacket } from '../../src/rtp/rtp-packet.ts';

const packet = (sequenceNumber: number, ssrc = 1): RtpPacket => ({
  marker: false,
  payloadType: 0,
  sequenceNumber,
  timestamp: sequenceNumber * 160,
  ssrc,
  csrcs: [],
  extension: undefined,
  payload: new Uint8Array(160),
  paddingBytes: 0,
});

function run(buffer: JitterBuffer, seqs: readonly (number | [number, number])[]): string[] {
  const out = seqs.flatMap((seq) => buffer.push(Array.isArray(seq) ? packet(seq[0], seq[1]) : packet(seq)));
  return [...out, ...buffer.flush()].map((p) => (p.ssrc === 1 ? `${p.sequenceNumber}` : `${p.ssrc}:${p.sequenceNumber}`));
}

describe('JitterBuffer', () => {
  it('puts reordered packets back in sequence order', () => {
    expect(run(new JitterBuffer({ depth: 3 }), [10, 12, 11, 14, 13, 15])).toEqual(['10', '11', '12', '13', '14', '15']);
  });

  it('holds the first packets until more than depth wait, then passes contiguous packets straight through', () => {
    const buffer = new JitterBuffer({ depth: 2 });
    expect([2, 1, 3].map((seq) => buffer.push(packet(seq)).length)).toEqual([0, 0, 3]);
    expect(buffer.push(packet(4)).map((p) => p.sequenceNumber)).toEqual([4]);
  });

  it('gives up a missing packet once depth packets wait behind it', () => {
    const buffer = new JitterBuffer({ depth: 2 });
    expect(run(buffer, [1, 2, 3, 5, 6, 7, 8])).toEqual(['1', '2', '3', '5', '6', '7', '8']);
    expect(buffer.stats.lost).toBe(1);
  });

  it('drops late and duplicate packets', () => {
    const buffer = new JitterBuffer({ depth: 1 });
    expect(run(buffer, [1, 2, 3, 4, 2, 6, 6])).toEqual(['1', '2', '3', '4', '6']);
    expect(buffer.stats).toMatchObject({ late: 1, duplicate: 1 });
  });

  it('orders across the sequence number wrap', () => {
    expect(run(new JitterBuffer({ depth: 3 }), [65534, 0, 65535, 1])).toEqual(['65534', '65535', '0', '1']);
  });

  it('starts over on a new SSRC, releasing what the old stream left', () => {
    const buffer = new JitterBuffer({ depth: 3 });
    expect(run(buffer, [1, 2, [500, 2], [501, 2]])).toEqual(['1', '2', '2:500', '2:501']);
    expect(buffer.stats.resets).toBe(1);
  });

  it('treats a jump past MAX_DROPOUT or far behind as a restart, not as loss or lateness', () => {
    const buffer = new JitterBuffer({ depth: 0 });
    expect(run(buffer, [1, 2, 9000, 9001, 50, 51])).toEqual(['1', '2', '9000', '9001', '50', '51']);
    expect(buffer.stats).toMatchObject({ resets: 2, late: 0, lost: 0 });
  });
});

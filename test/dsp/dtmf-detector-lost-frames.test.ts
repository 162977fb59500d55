/**
 * A lost packet: a receiver without concealment plays 20 ms of silence
 * (RFC 3551 section 4.2: 20 ms per packet). Inside a key it leaves a
 * 20 ms gap, longer than the 10 ms interruption Q.24 bridges and shorter
 * than the 40 ms pause that separates digits; a silent gap of up to
 * MAX_LOST_FRAME_GAP_MS (30 ms) between two detections of the same key
 * is one key.
 */
import { describe, expect, it } from 'vitest';
import { MAX_LOST_FRAME_GAP_MS } from '../../src/dsp/detector-constants.ts';
import { silenceSpan, synthesizeDtmf } from '../../src/dsp/dtmf-generator.ts';
import { DTMF_KEYS } from '../../src/dsp/dtmf-keys.ts';
import { decode, digitsOf } from './helpers/decode.ts';
import { throughCodec } from './channels/codec-channel.ts';

const LEAD_MS = 100;

/** One key of `onMs` with 20 ms lost from `lossMs` after its start. */
function keyWithLoss(key: string, onMs: number, lossMs: number, levelDbm0: number): Int16Array {
  const samples = synthesizeDtmf(key, { onMs, offMs: 100, levelDbm0, leadMs: LEAD_MS });
  silenceSpan(samples, LEAD_MS + lossMs, 20, 8000);
  return samples;
}

describe('a lost 20 ms frame', () => {
  it('bridges gaps halfway between a lost frame and the 40 ms pause', () => {
    expect(MAX_LOST_FRAME_GAP_MS).toBe(30);
  });

  it('neither splits nor loses a 100 ms key, wherever it falls (every key, 1 ms steps)', () => {
    for (const key of DTMF_KEYS) {
      for (const levelDbm0 of [-10, -25]) {
        for (let lossMs = 1; lossMs <= 79; lossMs++) {
          const events = decode(keyWithLoss(key, 100, lossMs, levelDbm0));
          expect(digitsOf(events), `${key} at ${levelDbm0} dBm0, loss at ${lossMs} ms`).toBe(key);
          // With its true start, not the start of the piece after the loss,
          // once the piece before it is long enough to hold a hit block
          // (10 ms, of a 12.75 ms block); a shorter one may not be heard.
          const starts = lossMs >= 10 ? [LEAD_MS] : [LEAD_MS, LEAD_MS + lossMs + 20];
          const error = Math.min(...starts.map((ms) => Math.abs(events[0]!.startMs - ms)));
          expect(error, `${key} start, loss at ${lossMs} ms`).toBeLessThan(4.25);
        }
      }
    }
  });

  it('keeps a 50 ms key when at least 10 ms of it sound before the loss (every key, 1 ms steps)', () => {
    for (const key of DTMF_KEYS) {
      for (const levelDbm0 of [-10, -25]) {
        for (let lossMs = 10; lossMs <= 26; lossMs++) {
          const events = decode(keyWithLoss(key, 50, lossMs, levelDbm0));
          expect(digitsOf(events), `${key} at ${levelDbm0} dBm0, loss at ${lossMs} ms`).toBe(key);
        }
      }
    }
  });

  it('leaves two presses of one key two when a 40 ms pause separates them, a frame lost in each', () => {
    for (const pauseMs of [40, 45, 60]) {
      const samples = synthesizeDtmf('55', { onMs: 100, offMs: pauseMs, levelDbm0: -20, leadMs: LEAD_MS });
      silenceSpan(samples, LEAD_MS + 30, 20, 8000);
      silenceSpan(samples, LEAD_MS + 100 + pauseMs + 50, 20, 8000);
      expect(digitsOf(decode(samples)), `${pauseMs} ms pause`).toBe('55');
    }
  });

  it('does not join two different keys across a lost frame', () => {
    const samples = synthesizeDtmf('59', { onMs: 60, offMs: 0, levelDbm0: -20, leadMs: LEAD_MS });
    silenceSpan(samples, LEAD_MS + 50, 20, 8000);
    expect(digitsOf(decode(samples))).toBe('59');
  });

  it.each(['g711', 'gsm', 'amr-nb-12.2'] as const)(
    'costs no key through %s when every seventh 20 ms frame of the decoded audio is lost',
    (codec) => {
      const keys = '123A456B789C*0#D';
      const decoded = throughCodec(synthesizeDtmf(keys, { onMs: 100, offMs: 100, levelDbm0: -20, leadMs: LEAD_MS }), codec);
      // 1 frame in 7 (on the 20 ms grid from the start of the stream): every
      // 140 ms, so the loss falls at a different place in each 100 ms key
      // (or its pause), never twice in one key.
      for (let frame = 1; frame * 160 < decoded.length; frame += 7) decoded.fill(0, frame * 160, frame * 160 + 160);
      expect(digitsOf(decode(decoded))).toBe(keys);
    },
  );
});

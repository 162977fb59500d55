/**
 * The reception requirements at once: twist at either limit, each tone
 * off by the full accept limit, levels at the ends of the accept range and
 * the shortest accepted tone, every key, several alignments to the hop.
 * One requirement at a time (dtmf-detector-conformance.test.ts) missed
 * these: a tone's leakage into the neighbouring row or column, plus the
 * other tone's sidelobe, made some blocks fail the relative-peak or twist
 * check, which cost a 40 ms tone its digit and split a long one in two.
 */
import { describe, expect, it } from 'vitest';
import { synthesizeDtmf } from '../../src/dsp/dtmf-generator.ts';
import type { DtmfKey } from '../../src/dsp/dtmf-keys.ts';
import { cornerCases, type CornerCase } from './helpers/corner-cases.ts';
import { decode, digitsOf } from './helpers/decode.ts';
import { SENDERS, type Sender } from './helpers/senders.ts';
import { tonePair } from './helpers/tone-pair.ts';

/** Labels of the cases that do not give exactly one digit, the right one, with what they gave. */
function wrongPresses(cases: readonly CornerCase[], sender: Sender): string[] {
  const wrong: string[] = [];
  for (const { key, pair, label } of cases) {
    const { tailMs, ...rest } = pair;
    const events = decode(sender.press(key, { ...rest, offMs: tailMs }), pair.sampleRate);
    const got = digitsOf(events);
    if (got !== key) wrong.push(`${label}: '${got}'`);
  }
  return wrong;
}

/** Start offsets spread over one 4.25 ms hop, including the one that split key 8. */
const LEADS_MS = [50, 50.53, 51.6, 52.7, 53.8];

describe.each(SENDERS)('combined corners of the reception requirements, sent by the $name', (sender) => {
  it('decodes every key exactly once at 8 kHz: twist -8/0/+4 dB x accept-limit errors x -3/-25 dBm0 x 40/100 ms x 5 offsets', () => {
    const cases = cornerCases({ sampleRate: 8000, onMs: [40, 100], leadMs: LEADS_MS });
    expect(cases).toHaveLength(16 * 3 * 2 * 8 * 2 * LEADS_MS.length);
    expect(wrongPresses(cases, sender)).toEqual([]);
  });

  it.each([16000, 48000])('decodes every key exactly once at the same corners at %i Hz', (sampleRate) => {
    const cases = cornerCases({ sampleRate, onMs: [40, 100], leadMs: [50, 51.6] });
    expect(wrongPresses(cases, sender)).toEqual([]);
  });
});

describe('combined corners of the reception requirements: cases found in the field', () => {

  it("decodes 'synth 8 --twist -8 --freq-error -1.5 --on 200' as one 8 at every start offset", () => {
    for (let leadMs = 50; leadMs < 54.25; leadMs += 0.53) {
      const audio = synthesizeDtmf('8', { twistDb: -8, frequencyErrorPct: -1.5, onMs: 200, leadMs });
      const events = decode(audio);
      expect(digitsOf(events), `lead ${leadMs} ms`).toBe('8');
      expect(events[0]!.startMs).toBeCloseTo(leadMs, -0.7);
      expect(events[0]!.endMs).toBeCloseTo(leadMs + 200, -0.7);
    }
  });

  it.each<[DtmfKey, number, number, number, number, number]>([
    // key, low error Hz, high error Hz, low level dBm0, twist dB, duration ms
    ['1', 12.46, -20.14, -14, 4, 40],
    ['*', 0, 20.14, -10, -8, 40],
    ['*', 0, 20.14, -10, -8, 50],
    ['4', -13.55, 0, -14, 4, 40],
    ['4', -13.55, 0, -14, 4, 42],
  ])('accepts key %s with errors %f / %f Hz at %f dBm0, twist %f dB, %f ms', (key, lowErrorHz, highErrorHz, levelDbm0, twistDb, onMs) => {
    for (let leadMs = 50; leadMs < 54.25; leadMs += 0.25) {
      const audio = tonePair(key, { lowErrorHz, highErrorHz, levelDbm0, twistDb, onMs, leadMs });
      expect(digitsOf(decode(audio)), `lead ${leadMs} ms`).toBe(key);
    }
  });
});

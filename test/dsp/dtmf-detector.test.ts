import { describe, expect, it } from 'vitest';
import { MAX_BRIDGED_GAP_MS } from '../../src/dsp/detector-constants.ts';
import { planDetector } from '../../src/dsp/detector-plan.ts';
import { DtmfDetector } from '../../src/dsp/dtmf-detector.ts';
import { synthesizeDtmf } from '../../src/dsp/dtmf-generator.ts';
import { DTMF_KEYS } from '../../src/dsp/dtmf-keys.ts';
import { AudioParameterError } from '../../src/errors.ts';
import { decode, digitsOf } from './helpers/decode.ts';

describe('DtmfDetector', () => {
  it('decodes all sixteen keys with start and end times within a hop', () => {
    const digits = DTMF_KEYS.join('');
    const events = decode(synthesizeDtmf(digits, { onMs: 60, offMs: 60, leadMs: 50 }));
    expect(digitsOf(events)).toBe(digits);
    events.forEach((event, i) => {
      expect(event.startMs).toBeCloseTo(50 + i * 120, -0.7); // within ±2.5 ms
      expect(event.endMs).toBeCloseTo(110 + i * 120, -0.7);
    });
  });

  it('reports a digit once its end is confirmed, within a hop or two of MAX_BRIDGED_GAP_MS after the tone', () => {
    const detector = new DtmfDetector({ sampleRate: 8000 });
    const audio = synthesizeDtmf('7', { onMs: 80, offMs: 200, leadMs: 40 });
    const toneEnd = 8 * 120;
    let reportedAt = -1;
    for (let at = 0; at < audio.length; at += 8) {
      if (detector.push(audio.subarray(at, at + 8)).length > 0) reportedAt = (at + 8) / 8;
    }
    expect(reportedAt - toneEnd / 8).toBeGreaterThanOrEqual(MAX_BRIDGED_GAP_MS);
    expect(reportedAt - toneEnd / 8).toBeLessThanOrEqual(MAX_BRIDGED_GAP_MS + 10);
  });

  it('emits a digit still sounding at the end of input on flush, then starts over', () => {
    const detector = new DtmfDetector({ sampleRate: 8000 });
    const audio = synthesizeDtmf('9', { onMs: 100, offMs: 0, leadMs: 20 });
    expect(detector.push(audio)).toEqual([]);
    const [event] = detector.flush();
    expect(event?.digit).toBe('9');
    expect(event?.endMs).toBeGreaterThan(115);
    expect(detector.flush()).toEqual([]);
    expect(digitsOf(detector.push(synthesizeDtmf('1', { onMs: 60, offMs: 60 })))).toBe('1');
  });

  it('forgets a tone in progress on reset', () => {
    const detector = new DtmfDetector({ sampleRate: 8000 });
    detector.push(synthesizeDtmf('3', { onMs: 100, offMs: 0 }));
    detector.reset();
    expect(detector.push(new Int16Array(800))).toEqual([]);
    expect(detector.flush()).toEqual([]);
  });

  it('measures time from the samples since reset, not from the clock', () => {
    const detector = new DtmfDetector({ sampleRate: 8000 });
    const audio = synthesizeDtmf('4', { onMs: 60, offMs: 100, leadMs: 500 });
    const first = [...detector.push(audio), ...detector.flush()];
    const second = [...detector.push(audio), ...detector.flush()];
    expect(second).toEqual(first);
    expect(first[0]?.startMs).toBeCloseTo(500, -0.7);
  });

  it.each([7999, 48001, 16000.5, Number.NaN])('rejects a sample rate of %s with AudioParameterError', (rate) => {
    const attempt = () => new DtmfDetector({ sampleRate: rate });
    expect(attempt).toThrow(AudioParameterError);
    expect(attempt).toThrow(expect.objectContaining({ code: 'E_AUDIO_PARAMETER' }));
  });

  it('rejects an option out of range or unknown, naming it', () => {
    expect(() => new DtmfDetector({ sampleRate: 8000, minToneEnergyShare: 1.5 })).toThrow(/minToneEnergyShare/);
    expect(() => new DtmfDetector({ sampleRate: 8000, minToneLevelDbm0: Number.NaN })).toThrow(AudioParameterError);
    const typo = { sampleRate: 8000, minToneLevel: -30 } as unknown as { sampleRate: number };
    expect(() => new DtmfDetector(typo)).toThrow(/unknown detector option minToneLevel/);
  });

  it('applies its options: a higher minimum level rejects a quieter tone', () => {
    const audio = synthesizeDtmf('5', { levelDbm0: -30, onMs: 60, offMs: 60 });
    expect(digitsOf(decode(audio))).toBe('5');
    expect(decode(audio, 8000, { minToneLevelDbm0: -25 })).toEqual([]);
  });

  it.each([8000, 16000, 48000])('keeps its per-call state under 4 KB at %i Hz', (rate) => {
    const detector = new DtmfDetector({ sampleRate: rate });
    expect(detector.stateBytes()).toBeLessThanOrEqual(4096);
    expect(detector.stateBytes()).toBeGreaterThan(500);
  });

  it('derives block and hop lengths from the 8 kHz design at every rate', () => {
    expect(new DtmfDetector({ sampleRate: 8000 }).blockSamples).toBe(102);
    for (const rate of [11025, 16000, 22050, 44100, 48000]) {
      const detector = new DtmfDetector({ sampleRate: rate });
      expect(detector.blockSamples).toBe(3 * detector.hopSamples);
      expect((detector.blockSamples / rate) * 1000).toBeCloseTo(12.75, 0);
    }
  });

  it('decodes an empty push and an empty flush to nothing', () => {
    const detector = new DtmfDetector({ sampleRate: 8000 });
    expect(detector.push(new Int16Array(0))).toEqual([]);
    expect(detector.flush()).toEqual([]);
  });

  it('places a key straight after loud sound with no tone in the columns as after silence', () => {
    // The blocks of the 200 Hz hum fail on their columns alone, so their
    // rows are not filtered until the key's first block needs them and
    // those of the hops before it, where the start edge is placed.
    for (const leadMs of [100, 101.3, 102.6]) {
      const key = synthesizeDtmf('9', { onMs: 60, offMs: 60, leadMs });
      const hummed = key.map((x, n) => (n < (leadMs * 8000) / 1000 ? Math.round(8000 * Math.sin((2 * Math.PI * 200 * n) / 8000)) : x));
      const [clean] = decode(key);
      const events = decode(hummed);
      expect(digitsOf(events), `lead ${leadMs} ms`).toBe('9');
      expect(Math.abs(events[0]!.startMs - clean!.startMs), `lead ${leadMs} ms`).toBeLessThan(4.25);
      expect(events[0]!.endMs).toBe(clean!.endMs);
    }
  });

  it('filters rows only below any column share a hit can have: full reverse twist with 40 % of other energy stays above it', () => {
    const plan = planDetector(8000);
    expect(plan.minColumnShare).toBeGreaterThan(0);
    expect(plan.minColumnShare * (1 + plan.maxReverseTwist)).toBeLessThan(plan.minToneEnergyShare);
  });
});

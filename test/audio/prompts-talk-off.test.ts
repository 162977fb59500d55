/**
 * Talk-off: the IVR must never hear its own prompts or hold music as key
 * presses (an echo of the prompt reaches the decoder on real lines). Every
 * committed prompt, and the hold music looped, level-shifted, resampled and
 * through G.711, goes through the native decoder, which must find nothing.
 * (bench/decoder-conformance.ts measures dtmf-detection-stream on the same audio.)
 */
import { beforeAll, describe, expect, it } from 'vitest';
import { encodeMulaw, decodeMulaw } from '../../src/dsp/g711.ts';
import { synthesizeDtmf } from '../../src/dsp/dtmf-generator.ts';
import type { DigitEvent } from '../../src/dsp/dtmf-keys.ts';
import { createDigitDecoder } from '../../src/engines/create-digit-decoder.ts';
import type { EngineName } from '../../src/engines/digit-decoder.ts';
import { PROMPTS, type PromptName } from '../../src/flow/names.ts';
import { loadPromptLibrary } from '../../src/media/load-prompt-library.ts';
import type { PromptLibrary } from '../../src/media/prompt-library.ts';

const SPOKEN = PROMPTS.filter((name) => name !== 'hold-music');
const HOLD_LOOPS = 3;

/** Decodes in 20 ms blocks, as a call does. */
function decode(engine: EngineName, samples: Int16Array, sampleRate: number): DigitEvent[] {
  const decoder = createDigitDecoder(engine, sampleRate);
  const block = sampleRate / 50;
  const digits: DigitEvent[] = [];
  for (let at = 0; at < samples.length; at += block) digits.push(...decoder.push(samples.subarray(at, at + block)));
  digits.push(...decoder.flush());
  return digits;
}

function repeat(samples: Int16Array, times: number): Int16Array {
  const out = new Int16Array(samples.length * times);
  for (let i = 0; i < times; i++) out.set(samples, i * samples.length);
  return out;
}

function withGainDb(samples: Int16Array, gainDb: number): Int16Array {
  const factor = 10 ** (gainDb / 20);
  return Int16Array.from(samples, (v) => Math.max(-32768, Math.min(32767, Math.round(v * factor))));
}

function describeDigits(digits: readonly DigitEvent[]): string {
  return digits.map((d) => `${d.digit}@${d.startMs.toFixed(0)}-${d.endMs.toFixed(0)}ms`).join(' ') || 'none';
}

let library: PromptLibrary;
let holdMusic: Int16Array;

beforeAll(async () => {
  library = await loadPromptLibrary();
  holdMusic = library.get('hold-music');
});

describe('talk-off on the committed prompts', () => {
  it.each(SPOKEN)('finds no digit in %s', (name: PromptName) => {
    const samples = library.get(name);
    expect(describeDigits(decode('native', samples, 8000))).toBe('none');
  });

  it('finds no digit in all spoken prompts played back to back at 16 kHz', () => {
    const wide = library.atRate(16000);
    const total = SPOKEN.reduce((sum, name) => sum + wide.get(name).length, 0);
    const all = new Int16Array(total);
    let at = 0;
    for (const name of SPOKEN) {
      all.set(wide.get(name), at);
      at += wide.get(name).length;
    }
    expect(describeDigits(decode('native', all, 16000))).toBe('none');
  });
});

describe('talk-off on the hold music', () => {
  const variants: [label: string, make: () => { samples: Int16Array; rate: number }][] = [
    [`${HOLD_LOOPS} loops`, () => ({ samples: repeat(holdMusic, HOLD_LOOPS), rate: 8000 })],
    ['1 loop at +10 dB (peak at 0 dBFS)', () => ({ samples: withGainDb(holdMusic, 10), rate: 8000 })],
    ['1 loop at -20 dB', () => ({ samples: withGainDb(holdMusic, -20), rate: 8000 })],
    ['1 loop through G.711 µ-law', () => ({ samples: decodeMulaw(encodeMulaw(holdMusic)), rate: 8000 })],
    ['1 loop resampled to 16 kHz', () => ({ samples: library.atRate(16000).get('hold-music'), rate: 16000 })],
    ['1 loop resampled to 48 kHz', () => ({ samples: library.atRate(48000).get('hold-music'), rate: 48000 })],
  ];

  it.each(variants)('finds no digit in %s', (label, make) => {
    const { samples, rate } = make();
    expect(describeDigits(decode('native', samples, rate))).toBe('none');
  });

  it('still hears a real key press mixed into the hold music', () => {
    const key = synthesizeDtmf('5', { sampleRate: 8000, onMs: 80, offMs: 0, levelDbm0: -10, leadMs: 3000 });
    const mixed = Int16Array.from(holdMusic.subarray(0, key.length + 2000), (v, i) => v + (key[i] ?? 0));
    expect(decode('native', mixed, 8000).map((d) => d.digit)).toEqual(['5']);
  });
});

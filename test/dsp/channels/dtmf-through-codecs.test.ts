/**
 * All sixteen keys through real channels: the codecs a call crosses
 * (G.711, GSM 06.10, AMR-NB 12.2, Opus, MP3), the telephone band, and what
 * lines and sound cards do to a signal (clipping, a DC offset, mains hum,
 * a sample clock off by 0.125 %). The tones come from the product's
 * generator; the codecs are the real ones (SoX, opus-tools, LAME), run in a
 * temporary directory. AMR-NB 4.75 is left out: it scrambles DTMF for
 * every receiver, which is why RFC 4733 carries keys out of band.
 */
import { describe, expect, it } from 'vitest';
import { synthesizeDtmf } from '../../../src/dsp/dtmf-generator.ts';
import { dbm0ToAmplitude, FULL_SCALE } from '../../../src/dsp/levels.ts';
import { decode, digitsOf } from '../helpers/decode.ts';
import { throughCodec, throughSoxEffect } from './codec-channel.ts';

const KEYS = '123A456B789C*0#D';

type Channel = (samples: Int16Array, levelDbm0: number) => Int16Array;

const clamp = (x: number): number => Math.max(-32768, Math.min(32767, Math.round(x)));

/** Hard clipping 6 dB under the pair's peak (twice each tone's amplitude). */
const clipped: Channel = (samples, levelDbm0) => {
  const limit = dbm0ToAmplitude(levelDbm0);
  return samples.map((x) => Math.max(-limit, Math.min(limit, x)));
};

/** 50 Hz mains hum at -25 dBm0 with its third harmonic 10 dB under it. */
const hum: Channel = (samples) => {
  const a = dbm0ToAmplitude(-25);
  return samples.map((x, n) =>
    clamp(x + a * Math.sin((2 * Math.PI * 50 * n) / 8000) + (a / Math.sqrt(10)) * Math.sin((2 * Math.PI * 150 * n) / 8000)),
  );
};

const dcOffset =
  (share: number): Channel =>
  (samples) =>
    samples.map((x) => clamp(x + share * FULL_SCALE));

const CHANNELS: [name: string, channel: Channel][] = [
  ['G.711 mu-law', (s) => throughCodec(s, 'g711')],
  ['GSM 06.10', (s) => throughCodec(s, 'gsm')],
  ['AMR-NB 12.2 kbit/s', (s) => throughCodec(s, 'amr-nb-12.2')],
  ['Opus 32 kbit/s', (s) => throughCodec(s, 'opus-32')],
  ['Opus 16 kbit/s', (s) => throughCodec(s, 'opus-16')],
  ['Opus 12 kbit/s', (s) => throughCodec(s, 'opus-12')],
  ['MP3 32 kbit/s', (s) => throughCodec(s, 'mp3-32')],
  ['a 300-3400 Hz band-pass', (s) => throughSoxEffect(s, ['sinc', '300-3400'])],
  ['a sample clock 0.125 % fast', (s) => throughSoxEffect(s, ['speed', '1.00125', 'rate', '8000'])],
  ['clipping 6 dB under the peak', clipped],
  ['50 Hz hum at -25 dBm0', hum],
  ['a DC offset of 25 % of full scale', dcOffset(0.25)],
];

const CASES = [
  { onMs: 100, offMs: 100, levelDbm0: -10 },
  { onMs: 100, offMs: 100, levelDbm0: -20 },
  { onMs: 50, offMs: 50, levelDbm0: -10 },
  { onMs: 50, offMs: 50, levelDbm0: -20 },
];

describe.each(CHANNELS)('through %s', (_name, channel) => {
  it.each(CASES)('decodes exactly the sixteen keys at $onMs/$offMs ms, $levelDbm0 dBm0 per tone', (timing) => {
    const sent = synthesizeDtmf(KEYS, { ...timing, leadMs: 100 });
    expect(digitsOf(decode(channel(sent, timing.levelDbm0)))).toBe(KEYS);
  });
});

describe('a DC offset', () => {
  // Without it taken out, 10 % of full scale under -20 dBm0 tones failed
  // every block's energy-share check: the offset's power is 3 dB above the
  // pair's (16 dB at 25 % under -25 dBm0).
  it.each([0.1, 0.25, -0.25])('at %d of full scale leaves every key at -25 dBm0 exact, the digit times within a hop', (share) => {
    const sent = synthesizeDtmf(KEYS, { onMs: 50, offMs: 50, levelDbm0: -25, leadMs: 100 });
    const clean = decode(sent);
    const offset = decode(dcOffset(share)(sent, -25));
    expect(digitsOf(offset)).toBe(KEYS);
    offset.forEach((event, i) => {
      expect(Math.abs(event.startMs - clean[i]!.startMs)).toBeLessThan(4.25);
      expect(Math.abs(event.endMs - clean[i]!.endMs)).toBeLessThan(4.25);
    });
  });

  it('present from the first sample, under a key that starts there, costs no key', () => {
    const sent = synthesizeDtmf(KEYS, { onMs: 50, offMs: 50, levelDbm0: -25, leadMs: 0 });
    expect(digitsOf(decode(dcOffset(0.25)(sent, -25)))).toBe(KEYS);
  });

  it('that starts mid-call (a step to 25 % of full scale) costs no key', () => {
    const sent = synthesizeDtmf(KEYS, { onMs: 50, offMs: 50, levelDbm0: -25, leadMs: 100 });
    const stepped = sent.map((x, n) => (n < 4000 ? x : clamp(x + 0.25 * FULL_SCALE)));
    expect(digitsOf(decode(stepped))).toBe(KEYS);
  });
});

/**
 * The reception requirements (ITU-T Q.24 AT&T column, ETSI ES 201 235-3)
 * measured for one engine at 8 kHz, on the same generated signals as the
 * tests: one row per requirement with pass/fail and the measured figure.
 */
import { readdirSync } from 'node:fs';
import { DTMF_RECEPTION_SPEC as SPEC } from '../src/dsp/detector-constants.ts';
import { silenceSpan, synthesizeDtmf, toInt16 } from '../src/dsp/dtmf-generator.ts';
import { DTMF_KEYS, keyFrequencies, type DigitEvent, type DtmfKey } from '../src/dsp/dtmf-keys.ts';
import type { DigitDecoder } from '../src/dsp/digit-decoder.ts';
import { addSweep, chords, melody } from '../test/dsp/helpers/music.ts';
import { cornerCases } from '../test/dsp/helpers/corner-cases.ts';
import { acceptLimitErrorPairs } from '../test/dsp/helpers/reception-limits.ts';
import { tonePair } from '../test/dsp/helpers/tone-pair.ts';
import { readWavFixture } from '../test/dsp/helpers/wav-fixture.ts';

/** The rows of the conformance table, in order: what each requirement row says. */
export const REQUIREMENTS = {
  frequencyAccept: 'accepts each tone off by ±(1.5 % + 2 Hz), and both at once (8 cases per key)',
  frequencyReject: 'rejects a tone off by ±3.5 % (and ±5 %)',
  levelAccept: 'accepts 0 to -25 dBm0 per tone',
  levelReject: 'rejects -55 dBm0',
  dynamicRange: 'dynamic range >= 35 dB (all 16 keys, 1 dB steps)',
  twist: 'accepts twist +4 dB (high) / -8 dB (low)',
  tone40: 'accepts a 40 ms tone (34 offsets x 6 keys)',
  tone23: 'rejects a 23 ms tone (34 offsets x 6 keys)',
  corners: 'combined corners: twist -8/0/+4 dB x ±(1.5 % + 2 Hz) x stronger tone -3 / weaker -25 dBm0 x 40/100 ms, 16 keys',
  pause: "40 ms pause separates digits: '55555' at 40/40 ms",
  interruption: 'a 10 ms interruption does not split a digit',
  noise: '100 % of digits at 15 dB SNR (640 digits, -25 dBm0, 40/40 ms)',
  timing: 'start/end times (worst error over those digits)',
  talkOff: 'talk-off: no digit from speech and music',
  talkOffPrompts: 'talk-off: no digit from the prompts and hold music',
} as const;

export type Requirement = keyof typeof REQUIREMENTS;

export interface ConformanceResult {
  pass: boolean;
  figure: string;
}

export type Conformance = Record<Requirement, ConformanceResult>;

const ALL = DTMF_KEYS.join('');
const FIXTURES = new URL('../test/fixtures/talk-off/', import.meta.url).pathname;
const PROMPTS = new URL('../audio/prompts/', import.meta.url).pathname;

export function measureConformance(make: () => DigitDecoder): Conformance {
  const run = (samples: Int16Array): DigitEvent[] => {
    const decoder = make();
    const events: DigitEvent[] = [];
    for (let at = 0; at < samples.length; at += 160) events.push(...decoder.push(samples.subarray(at, at + 160)));
    return [...events, ...decoder.flush()];
  };
  const digits = (samples: Int16Array) => run(samples).map((event) => event.digit).join('');
  const keysPassing = (test: (key: DtmfKey) => boolean) => DTMF_KEYS.filter(test).length;
  const sequence = (options: Parameters<typeof synthesizeDtmf>[1]) =>
    digits(synthesizeDtmf(ALL, { onMs: 50, offMs: 60, leadMs: 30, ...options })) === ALL;
  const rows: Partial<Conformance> = {};
  const row = (requirement: Requirement, pass: boolean, figure: string) => (rows[requirement] = { pass, figure });

  const frequencyAccept = keysPassing((key) => {
    const { lowHz, highHz } = keyFrequencies(key);
    // The same eight cases as the unit test (test/dsp/dtmf-detector-conformance.test.ts).
    return acceptLimitErrorPairs(lowHz, highHz).every(([lowErrorHz, highErrorHz]) => digits(tonePair(key, { lowErrorHz, highErrorHz })) === key);
  });
  row('frequencyAccept', frequencyAccept === 16, `${frequencyAccept}/16 keys`);
  const frequencyReject = keysPassing((key) => {
    const { lowHz, highHz } = keyFrequencies(key);
    return [3.5, -3.5, 5, -5].every(
      (pct) =>
        run(tonePair(key, { lowErrorHz: (lowHz * pct) / 100 })).length === 0 &&
        run(tonePair(key, { highErrorHz: (highHz * pct) / 100 })).length === 0,
    );
  });
  row('frequencyReject', frequencyReject === 16, `${frequencyReject}/16 keys`);

  const levels = [0, -5, -10, -15, -20, -25];
  const levelAccept = keysPassing((key) => levels.every((levelDbm0) => digits(synthesizeDtmf(key, { levelDbm0, leadMs: 30 })) === key));
  row('levelAccept', levelAccept === 16, `${levelAccept}/16 keys`);
  const levelReject = keysPassing((key) => run(synthesizeDtmf(key, { levelDbm0: SPEC.rejectLevelDbm0, leadMs: 30 })).length === 0);
  row('levelReject', levelReject === 16, `${levelReject}/16 keys`);
  let highest = Number.NaN;
  let lowest = Number.NaN;
  for (let level = 3; level >= -50; level--) {
    if (sequence({ levelDbm0: level })) {
      if (Number.isNaN(highest)) highest = level;
      lowest = level;
    } else if (!Number.isNaN(highest)) break;
  }
  const range = highest - lowest;
  row('dynamicRange', range >= 35, Number.isNaN(range) ? 'none' : `${range} dB (${highest} to ${lowest} dBm0)`);

  const twistAccept = keysPassing(
    (key) =>
      digits(synthesizeDtmf(key, { twistDb: SPEC.acceptStandardTwistDb, leadMs: 30 })) === key &&
      digits(synthesizeDtmf(key, { twistDb: -SPEC.acceptReverseTwistDb, leadMs: 30 })) === key,
  );
  const reach = (sign: number) => {
    let db = 0;
    while (db < 20 && sequence({ twistDb: sign * (db + 1) })) db++;
    return db;
  };
  row('twist', twistAccept === 16, `${twistAccept}/16 keys; all keys up to +${reach(1)} / -${reach(-1)} dB`);

  const offsets = Array.from({ length: 34 }, (_, i) => 20 + i / 8);
  const durationKeys = ['1', '5', '9', 'D', '*', '0'];
  let accepted40 = 0;
  let rejected23 = 0;
  for (const key of durationKeys) {
    for (const leadMs of offsets) {
      if (digits(synthesizeDtmf(key, { onMs: SPEC.acceptToneMs, offMs: 60, leadMs })) === key) accepted40++;
      if (run(synthesizeDtmf(key, { onMs: SPEC.rejectToneMs, offMs: 60, leadMs })).length === 0) rejected23++;
    }
  }
  const cases = durationKeys.length * offsets.length;
  row('tone40', accepted40 === cases, `${accepted40}/${cases}`);
  row('tone23', rejected23 === cases, `${rejected23}/${cases}`);

  // All limits at once: a tone's leakage into its neighbour plus the other
  // tone's sidelobe is what one-at-a-time rows cannot show.
  const corners = cornerCases({ sampleRate: 8000, onMs: [SPEC.acceptToneMs, 100], leadMs: [30, 31.6] });
  const cornersRight = corners.filter(({ key, pair }) => digits(tonePair(key, pair)) === key).length;
  row(
    'corners',
    cornersRight === corners.length,
    `${cornersRight}/${corners.length} presses give exactly their key`,
  );

  const pauseLeads = [20, 20.5, 21.125, 22, 23.375, 24];
  const fives = pauseLeads.filter((leadMs) => digits(synthesizeDtmf('55555', { onMs: 40, offMs: 40, leadMs })) === '55555').length;
  row('pause', fives === pauseLeads.length, `${fives}/${pauseLeads.length} offsets give 5 digits`);

  let single = 0;
  let dropouts = 0;
  for (let atMs = 10; atMs <= 80; atMs += 2.5) {
    const audio = synthesizeDtmf('8', { onMs: 100, offMs: 100, leadMs: 50 });
    silenceSpan(audio, 50 + atMs, SPEC.bridgedInterruptionMs, 8000);
    dropouts++;
    if (digits(audio) === '8') single++;
  }
  row('interruption', single === dropouts, `${single}/${dropouts} positions give 1 digit`);

  let decoded = 0;
  let startError = 0;
  let endError = 0;
  for (let seed = 1; seed <= 40; seed++) {
    const events = run(synthesizeDtmf(ALL, { snrDb: SPEC.acceptSnrDb, seed, levelDbm0: -25, onMs: 40, offMs: 40, leadMs: 30 }));
    events.forEach((event, i) => {
      if (event.digit !== ALL[i]) return;
      decoded++;
      startError = Math.max(startError, Math.abs(event.startMs - (30 + 80 * i)));
      endError = Math.max(endError, Math.abs(event.endMs - (70 + 80 * i)));
    });
  }
  row('noise', decoded === 640, `${((decoded / 640) * 100).toFixed(1)} %`);
  row('timing', decoded > 0 && Math.max(startError, endError) <= 12.75,
    decoded > 0 ? `start ${startError.toFixed(1)} ms, end ${endError.toFixed(1)} ms` : 'no digits');

  let falseDigits = 0;
  let talkOffSeconds = 0;
  const talkOff = (samples: Int16Array) => {
    falseDigits += run(samples).length;
    talkOffSeconds += samples.length / 8000;
  };
  for (const name of readdirSync(FIXTURES).filter((file) => file.endsWith('.wav'))) {
    const { samples } = readWavFixture(FIXTURES + name);
    for (const gain of [0.25, 1, 2.5]) talkOff(Int16Array.from(samples, (x) => Math.max(-32768, Math.min(32767, x * gain))));
  }
  for (let seed = 1; seed <= 4; seed++) {
    talkOff(toInt16(chords(30, 8000, seed, 3000)));
    talkOff(toInt16(melody(30, 8000, seed, 4000)));
  }
  for (const seconds of [0.3, 1, 3]) {
    const sweep = new Float32Array(Math.round(8000 * (seconds + 0.2)));
    addSweep(sweep, 800, 8000 * seconds, 600, 1700, 10000, 8000, 'exponential');
    talkOff(toInt16(sweep));
  }
  row('talkOff', falseDigits === 0, `${falseDigits} false digits in ${talkOffSeconds.toFixed(0)} s`);

  // The product's own prompts and hold music: an echo of them reaches the decoder on real lines.
  falseDigits = 0;
  talkOffSeconds = 0;
  for (const name of readdirSync(PROMPTS).filter((file) => file.endsWith('.wav'))) talkOff(readWavFixture(PROMPTS + name).samples);
  row('talkOffPrompts', falseDigits === 0, `${falseDigits} false digits in ${talkOffSeconds.toFixed(0)} s`);
  return rows as Conformance;
}

/** A single key's tone pair with each tone's frequency and level set separately. */
import { addTone, toInt16 } from '../../../src/dsp/dtmf-generator.ts';
import { keyFrequencies, type DtmfKey } from '../../../src/dsp/dtmf-keys.ts';
import { dbm0ToAmplitude } from '../../../src/dsp/levels.ts';

export interface TonePair {
  /** Frequency errors of the low and high tone, in Hz. */
  lowErrorHz?: number;
  highErrorHz?: number;
  /** Level of the low tone in dBm0 and high minus low in dB. */
  levelDbm0?: number;
  twistDb?: number;
  onMs?: number;
  leadMs?: number;
  tailMs?: number;
  sampleRate?: number;
}

export function tonePair(key: DtmfKey, pair: TonePair = {}): Int16Array {
  const { lowErrorHz = 0, highErrorHz = 0, levelDbm0 = -10, twistDb = 0, onMs = 100, leadMs = 50, tailMs = 100 } = pair;
  const rate = pair.sampleRate ?? 8000;
  const { lowHz, highHz } = keyFrequencies(key);
  const out = new Float32Array(Math.round(((leadMs + onMs + tailMs) * rate) / 1000));
  const start = Math.round((leadMs * rate) / 1000);
  const length = Math.round((onMs * rate) / 1000);
  addTone(out, start, length, lowHz + lowErrorHz, dbm0ToAmplitude(levelDbm0), rate);
  addTone(out, start, length, highHz + highErrorHz, dbm0ToAmplitude(levelDbm0 + twistDb), rate);
  return toInt16(out);
}

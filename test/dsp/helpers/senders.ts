/**
 * The two DTMF senders the conformance sweeps run with: the product's own
 * generator (src/dsp, as every scenario and `synth` uses it) and the
 * independent one in reference-dtmf.ts. A sweep that passes with both does
 * not depend on the generator and the detector agreeing on a mistake.
 */
import { synthesizeDtmf } from '../../../src/dsp/dtmf-generator.ts';
import type { DtmfKey } from '../../../src/dsp/dtmf-keys.ts';
import { referenceDtmf, type ReferenceOptions } from './reference-dtmf.ts';
import { tonePair } from './tone-pair.ts';

export interface Sender {
  name: string;
  /** `digits` rendered as `referenceDtmf` lays them out (lead, then tone and pause per key). */
  press(digits: string, options?: ReferenceOptions): Int16Array;
}

const product: Sender = {
  name: 'product generator',
  press(digits, options = {}) {
    const { lowErrorHz = 0, highErrorHz = 0, offMs = 100, leadMs = 0 } = options;
    if (lowErrorHz === 0 && highErrorHz === 0) return synthesizeDtmf(digits, { ...options, offMs, leadMs });
    // synthesizeDtmf scales both tones by one percentage; a per-tone error in Hz needs the tone-pair helper.
    if (digits.length !== 1) throw new Error('per-tone frequency errors need a single key');
    return tonePair(digits as DtmfKey, { ...options, tailMs: offMs, leadMs });
  },
};

const reference: Sender = { name: 'reference generator', press: referenceDtmf };

export const SENDERS: readonly Sender[] = [product, reference];

/**
 * Signal levels. 0 dBm0 is a sine whose peak is 3.14 dB below the 16-bit
 * full scale (ITU-T G.711: the digital milliwatt sequence is +3.14 dBm0 at
 * full scale), so 0 dBm0 has amplitude 32767 * 10^(-3.14/20).
 */
export const FULL_SCALE = 32767;
export const DBM0_FULL_SCALE_OFFSET_DB = 3.14;

/** Peak amplitude (16-bit scale) of a sine at `dbm0`. */
export function dbm0ToAmplitude(dbm0: number): number {
  return FULL_SCALE * 10 ** ((dbm0 - DBM0_FULL_SCALE_OFFSET_DB) / 20);
}

/** Level in dBm0 of a sine with peak `amplitude` (16-bit scale). */
export function amplitudeToDbm0(amplitude: number): number {
  return 20 * Math.log10(amplitude / FULL_SCALE) + DBM0_FULL_SCALE_OFFSET_DB;
}

/** Mean power (16-bit scale squared) of a sine at `dbm0`. */
export function dbm0ToPower(dbm0: number): number {
  const amplitude = dbm0ToAmplitude(dbm0);
  return (amplitude * amplitude) / 2;
}

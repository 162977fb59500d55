/** Test helper: amplitude of one frequency in a signal, by a Hann-windowed single DFT bin. */
export function toneAmplitude(samples: ArrayLike<number>, hz: number, sampleRate: number, from = 0, to = samples.length): number {
  let re = 0;
  let im = 0;
  let windowSum = 0;
  const n = to - from;
  for (let i = 0; i < n; i++) {
    const w = 0.5 - 0.5 * Math.cos((2 * Math.PI * i) / (n - 1));
    const x = samples[from + i]! * w;
    const phase = (2 * Math.PI * hz * (from + i)) / sampleRate;
    re += x * Math.cos(phase);
    im -= x * Math.sin(phase);
    windowSum += w;
  }
  return (2 * Math.hypot(re, im)) / windowSum;
}

export function sine(length: number, hz: number, sampleRate: number, amplitude = 0.5): Float32Array {
  const out = new Float32Array(length);
  for (let i = 0; i < length; i++) out[i] = amplitude * Math.sin((2 * Math.PI * hz * i) / sampleRate);
  return out;
}

export function db(ratio: number): number {
  return 20 * Math.log10(ratio);
}

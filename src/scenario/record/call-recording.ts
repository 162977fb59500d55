/**
 * A call's audio as the scenario runner heard it: the caller's side (key
 * presses, played recordings, silence) and the IVR's side (prompts, hold
 * music), sample-aligned from the moment the call was placed.
 *
 * Long stretches where nothing happens (an hour in the lobby) would make
 * huge files, so any gap longer than LONG_GAP_MS between two events is
 * shortened: its first and last GAP_KEEP_MS are kept and the middle is cut.
 * Every cut is listed, so the picture can draw a break in the time axis and
 * map scenario time to a position in the recording. A recording also stops
 * growing at MAX_RECORDING_MS (marked `truncated`).
 */
import { writeWav } from '../../wav/wav-writer.ts';
import type { CallRecording, RecordingCut } from '../scenario-result.ts';

/** Quiet stretches longer than this are shortened in recordings. */
export const LONG_GAP_MS = 20_000;
/** How much of each end of a shortened stretch is kept. */
export const GAP_KEEP_MS = 4_000;
/** Longest recording of one call. */
export const MAX_RECORDING_MS = 30 * 60_000;

/** Collects one call's two channels in step, frame by frame. */
export class CallRecorder {
  readonly call: string;
  readonly sampleRate: number;
  readonly startMs: number;
  #caller: Int16Array;
  #ivr: Int16Array;
  #length = 0;
  #cuts: RecordingCut[] = [];
  #truncated = false;
  #skippedMs = 0;

  constructor(call: string, sampleRate: number, startMs: number) {
    this.call = call;
    this.sampleRate = sampleRate;
    this.startMs = startMs;
    this.#caller = new Int16Array(sampleRate * 10);
    this.#ivr = new Int16Array(sampleRate * 10);
  }

  /** Scenario time of the next sample to be appended, ms. */
  get nowMs(): number {
    return this.startMs + this.#skippedMs + (this.#length * 1000) / this.sampleRate;
  }

  /** Appends one frame of each side; `caller` undefined is silence. Both cover `ivr.length` samples. */
  append(caller: Int16Array | undefined, ivr: Int16Array): void {
    if (this.#truncated) {
      this.#skippedMs += (ivr.length * 1000) / this.sampleRate;
      return;
    }
    if (((this.#length + ivr.length) * 1000) / this.sampleRate > MAX_RECORDING_MS) {
      this.#truncated = true;
      this.append(caller, ivr);
      return;
    }
    this.#grow(this.#length + ivr.length);
    if (caller) this.#caller.set(caller.subarray(0, ivr.length), this.#length);
    this.#ivr.set(ivr, this.#length);
    this.#length += ivr.length;
  }

  /** Leaves `ms` of scenario time out of the recording at this point. */
  cut(ms: number): void {
    if (ms <= 0) return;
    this.#skippedMs += ms;
    const last = this.#cuts.at(-1);
    if (last && last.atSample === this.#length) this.#cuts[this.#cuts.length - 1] = { atSample: this.#length, skippedMs: last.skippedMs + ms };
    else this.#cuts.push({ atSample: this.#length, skippedMs: ms });
  }

  #grow(needed: number): void {
    if (needed <= this.#caller.length) return;
    const size = Math.max(needed, this.#caller.length * 2);
    for (const side of ['caller', 'ivr'] as const) {
      const bigger = new Int16Array(size);
      bigger.set(side === 'caller' ? this.#caller : this.#ivr);
      if (side === 'caller') this.#caller = bigger;
      else this.#ivr = bigger;
    }
  }

  finish(): CallRecording {
    return {
      call: this.call,
      sampleRate: this.sampleRate,
      startMs: this.startMs,
      endMs: this.nowMs,
      caller: this.#caller.slice(0, this.#length),
      ivr: this.#ivr.slice(0, this.#length),
      cuts: [...this.#cuts],
      truncated: this.#truncated,
    };
  }
}

/** Position in the recording (samples) of a scenario time; times inside a cut land on the cut. */
export function sampleAt(recording: Pick<CallRecording, 'startMs' | 'sampleRate' | 'cuts' | 'caller'>, atMs: number): number {
  let skippedMs = 0;
  for (const cut of recording.cuts) {
    const cutMs = recording.startMs + skippedMs + (cut.atSample * 1000) / recording.sampleRate;
    if (atMs <= cutMs) break;
    if (atMs < cutMs + cut.skippedMs) return cut.atSample;
    skippedMs += cut.skippedMs;
  }
  const sample = Math.round(((atMs - recording.startMs - skippedMs) * recording.sampleRate) / 1000);
  return Math.max(0, Math.min(recording.caller.length, sample));
}

/** The recording as a stereo 16-bit WAV file: left the caller, right the IVR. */
export function recordingToWav(recording: CallRecording): Buffer {
  const frames = recording.caller.length;
  const interleaved = new Int16Array(frames * 2);
  for (let i = 0; i < frames; i++) {
    interleaved[2 * i] = recording.caller[i]!;
    interleaved[2 * i + 1] = recording.ivr[i]!;
  }
  return writeWav({ sampleRate: recording.sampleRate, channels: 2, samples: interleaved });
}

/**
 * Audio thread, incoming: plays what the server sends (prompts, hold music).
 * The page posts decoded frames at the call's rate; a jitter buffer smooths
 * the network's bursts, and a resampler brings the audio up to the
 * AudioContext's rate. Reports the buffer's state to the page four times a
 * second.
 */
import { JitterBuffer } from './jitter-buffer.ts';
import { PLAYER_PROCESSOR, type PlayerCommand, type PlayerOptions, type PlayerReport } from './audio-messages.ts';
import { Resampler } from './resampler.ts';
import { worklet, type ProcessorOptions } from './worklet-scope.ts';

const RENDER_QUANTUM = 128;
const REPORT_INTERVAL_S = 0.25;

class PcmPlayer extends worklet.AudioWorkletProcessor {
  private readonly buffer: JitterBuffer;
  private readonly resampler: Resampler;
  /** Call-rate samples pulled from the jitter buffer per resampler step. */
  private readonly pulled: Float32Array;
  /** Resampled audio waiting to be played, and how much of it. */
  private readonly fifo: Float32Array;
  private fifoFill = 0;
  private peak = 0;
  private nextReportS = 0;

  constructor(options: ProcessorOptions<PlayerOptions>) {
    super();
    const { inputRate, targetMs, maxMs } = options.processorOptions;
    this.buffer = new JitterBuffer({ sampleRate: inputRate, targetMs, maxMs });
    this.resampler = new Resampler({ inputRate, outputRate: worklet.sampleRate });
    this.pulled = new Float32Array(Math.ceil((RENDER_QUANTUM * inputRate) / worklet.sampleRate));
    this.fifo = new Float32Array(RENDER_QUANTUM + this.resampler.maxOutput(this.pulled.length));
    this.port.onmessage = (event: MessageEvent<PlayerCommand>) => {
      if (event.data.type === 'samples') this.buffer.write(event.data.samples);
      else this.buffer.clear();
    };
  }

  process(_inputs: Float32Array[][], outputs: Float32Array[][]): boolean {
    const out = outputs[0]?.[0];
    if (!out) return true;
    while (this.fifoFill < out.length) {
      this.buffer.read(this.pulled);
      this.fifoFill += this.resampler.process(this.pulled, this.fifo.subarray(this.fifoFill));
    }
    out.set(this.fifo.subarray(0, out.length));
    this.fifo.copyWithin(0, out.length, this.fifoFill);
    this.fifoFill -= out.length;
    for (const sample of out) this.peak = Math.max(this.peak, Math.abs(sample));
    if (worklet.currentTime >= this.nextReportS) {
      const report: PlayerReport = { ...this.buffer.stats(), peak: this.peak };
      this.port.postMessage(report);
      this.peak = 0;
      this.nextReportS = worklet.currentTime + REPORT_INTERVAL_S;
    }
    return true;
  }
}

worklet.registerProcessor(PLAYER_PROCESSOR, PcmPlayer);
